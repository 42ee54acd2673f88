/** Reads knowledge/rules/ into memory, failing with an error that names the file and the field. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { type Parameter, parameterFileSchema, type Source, sourcesFileSchema } from './schema.js';

export const DEFAULT_RULES_DIR = fileURLToPath(new URL('../../../knowledge/rules/', import.meta.url));

export class RuleDataError extends Error {
  constructor(
    readonly file: string,
    readonly field: string,
    detail: string,
  ) {
    super(`${file}: ${field ? `${field}: ` : ''}${detail}`);
    this.name = 'RuleDataError';
  }
}

/** Parses YAML and validates it; the first problem is thrown as "file: field.path: message". */
export function readYaml<S extends z.ZodType>(file: string, schema: S, shownAs = file): z.infer<S> {
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new RuleDataError(shownAs, '', `YAML 无法解析：${(err as Error).message}`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new RuleDataError(shownAs, issue.path.map(String).join('.'), issue.message);
  }
  return parsed.data;
}

function yamlFilesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...yamlFilesUnder(full));
    else if (name.endsWith('.yaml') || name.endsWith('.yml')) out.push(full);
  }
  return out;
}

export interface RuleData {
  dir: string;
  sources: Map<string, Source>;
  parameters: Map<string, Parameter>;
}

export function loadRuleData(dir: string = DEFAULT_RULES_DIR): RuleData {
  const sourcesList = readYaml(join(dir, 'sources.yaml'), sourcesFileSchema, 'sources.yaml');
  const sources = new Map<string, Source>();
  sourcesList.forEach((s, i) => {
    if (sources.has(s.id)) throw new RuleDataError('sources.yaml', `${i}.id`, `重复的来源 id：${s.id}`);
    sources.set(s.id, s);
  });

  const paramDir = join(dir, 'parameters');
  const parameters = new Map<string, Parameter>();
  for (const file of yamlFilesUnder(paramDir)) {
    const rel = relative(dir, file).split(sep).join('/');
    const data = readYaml(file, parameterFileSchema, rel);
    const name = relative(paramDir, file).replace(/\.ya?ml$/, '').split(sep).join('.');
    data.values.forEach((v, i) => {
      for (const [j, r] of [...v.references, ...(v.end_reference ? [v.end_reference] : [])].entries()) {
        if (!sources.has(r.source)) {
          const field = j < v.references.length ? `values.${i}.references.${j}.source` : `values.${i}.end_reference.source`;
          throw new RuleDataError(rel, field, `未知的来源 id：${r.source}（见 sources.yaml）`);
        }
      }
      if (v.end !== null && !v.end_reference && !v.references.some((r) => r.quote.includes('截止') || r.quote.includes('延续'))) {
        // An end date must say where it comes from, unless it is only the start of the next value.
        const next = data.values.find((w) => w.region === v.region && w.start > v.start);
        if (!next) throw new RuleDataError(rel, `values.${i}.end_reference`, '有到期日而没有写明出处（end_reference）');
      }
      for (let k = 0; k < i; k++) {
        const w = data.values[k]!;
        if (w.region !== v.region) continue;
        const overlap = (w.end === null || w.end >= v.start) && (v.end === null || v.end >= w.start);
        if (overlap) throw new RuleDataError(rel, `values.${i}`, `与 values.${k} 在 ${v.region} 的有效期重叠；旧值请写 end 而不是重叠`);
      }
    });
    parameters.set(name, { ...data, name, file: rel });
  }
  return { dir, sources, parameters };
}
