/**
 * Builds knowledge/docs/<id>.md from the seed texts and knowledge/seeds/manifest.yaml.
 *
 *   npx tsx scripts/import-seeds.ts            write the documents, print a summary and warnings
 *   npx tsx scripts/import-seeds.ts --check    write nothing; fail if a document would change
 *   npx tsx scripts/import-seeds.ts --joins    also print every line-joining decision (for review)
 *
 * Re-runnable: the output depends only on the seeds and the manifest. Files of knowledge/docs/ that
 * the manifest no longer lists are removed.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';
import { cleanLines, type JoinDecision, type RawLine } from '../src/knowledge/clean.js';
import { parseDocumentFile, serializeDocumentFile, validateMeta } from '../src/knowledge/documents.js';
import type { DocumentMeta } from '../src/knowledge/types.js';
import { findDateStatements } from '../src/knowledge/validity.js';

const range = z.tuple([z.number().int().positive(), z.number().int().positive()]);

const manifestDocSchema = z
  .object({
    id: z.string(),
    file: z.string(),
    lines: range,
    toc: z.array(z.number().int().positive()).optional(),
    alsoAt: z.object({ file: z.string(), lines: range }).optional(),
    inserts: z.array(z.object({ before: z.number().int().positive(), text: z.string() })).optional(),
    keepBreakAfter: z.array(z.number().int().positive()).optional(),
    joinAfter: z.array(z.number().int().positive()).optional(),
    title: z.string(),
    aliases: z.array(z.string()),
    docNo: z.string().nullable(),
    issuers: z.array(z.string()),
    date: z.string().nullable(),
    region: z.string(),
    personas: z.array(z.string()),
    validity: z.object({ start: z.string().nullable(), end: z.string().nullable(), endText: z.string().nullable() }),
    clauseValidity: z.array(z.object({ clause: z.string(), end: z.string(), endText: z.string() })),
  })
  .strict();

export const manifestSchema = z.object({
  seedDir: z.string(),
  toc: z.object({ file: z.string(), lines: range }),
  ignored: z.array(z.object({ file: z.string(), lines: range })),
  documents: z.array(manifestDocSchema),
});

export type Manifest = z.infer<typeof manifestSchema>;
export type ManifestDocument = z.infer<typeof manifestDocSchema>;

export const MANIFEST_PATH = 'knowledge/seeds/manifest.yaml';
export const DOCS_DIR = 'knowledge/docs';

export async function readManifest(file = MANIFEST_PATH): Promise<Manifest> {
  return manifestSchema.parse(YAML.parse(await readFile(file, 'utf8')));
}

const seedCache = new Map<string, string[]>();
export async function seedLines(seedDir: string, file: string): Promise<string[]> {
  const key = path.join(seedDir, file);
  let lines = seedCache.get(key);
  if (!lines) {
    lines = (await readFile(key, 'utf8')).split('\n');
    seedCache.set(key, lines);
  }
  return lines;
}

/** Raw lines of a document: its source range plus the manifest's inserted attachment headings. */
export function rawLinesOf(all: string[], doc: Pick<ManifestDocument, 'lines' | 'inserts'>): RawLine[] {
  const [from, to] = doc.lines;
  const inserts = new Map<number, string[]>();
  for (const ins of doc.inserts ?? []) {
    if (ins.before < from || ins.before > to) throw new Error(`insert before line ${ins.before} is outside ${from}-${to}`);
    inserts.set(ins.before, [...(inserts.get(ins.before) ?? []), ins.text]);
  }
  const raw: RawLine[] = [];
  for (let no = from; no <= to; no++) {
    for (const text of inserts.get(no) ?? []) raw.push({ no: 0, text });
    raw.push({ no, text: all[no - 1] ?? '' });
  }
  return raw;
}

export interface BuiltDocument {
  meta: DocumentMeta;
  body: string;
  warnings: string[];
  /** Whether the 文号 occurs in this document's own text (a split document may carry it from its sibling). */
  docNoInText: boolean;
}

export async function buildDocument(manifest: Manifest, doc: ManifestDocument, onJoin?: (d: JoinDecision) => void): Promise<BuiltDocument> {
  const all = await seedLines(manifest.seedDir, doc.file);
  if (doc.lines[1] > all.length) throw new Error(`${doc.id}: lines ${doc.lines.join('-')} beyond the end of ${doc.file}`);
  const cleaned = cleanLines(rawLinesOf(all, doc), {
    keepBreakAfter: doc.keepBreakAfter,
    joinAfter: doc.joinAfter,
    onJoinDecision: onJoin,
  });
  const body = cleaned.map((l) => l.text).join('\n');
  const fileName = `${doc.id}.md`;
  const meta = validateMeta(
    {
      id: doc.id,
      title: doc.title,
      aliases: doc.aliases,
      docNo: doc.docNo,
      issuers: doc.issuers,
      date: doc.date,
      region: doc.region,
      personas: doc.personas,
      validity: doc.validity,
      clauseValidity: doc.clauseValidity,
      source: { file: doc.file, lines: doc.lines },
    },
    fileName,
  );

  const flat = body.replace(/\s+/g, '');
  const warnings: string[] = [];
  const quoted = [meta.validity.endText, ...meta.clauseValidity.map((c) => c.endText)].filter((t): t is string => t !== null);
  for (const q of quoted) {
    if (!flat.includes(q.replace(/\s+/g, ''))) throw new Error(`${doc.id}: endText not found in the text: ${q}`);
  }

  const declared = new Set([meta.validity.end, meta.validity.start, ...meta.clauseValidity.map((c) => c.end)]);
  for (const s of findDateStatements(body)) {
    if (s.date && !declared.has(s.date)) warnings.push(`${doc.id}: ${s.kind} ${s.date} not recorded: ${s.sentence.slice(0, 80)}`);
  }
  // Clause labels of clauseValidity must exist.
  const parsed = parseDocumentFile(serializeDocumentFile(meta, body), fileName);
  for (const cv of meta.clauseValidity) {
    if (!parsed.clauses.some((c) => c.label === cv.clause)) throw new Error(`${doc.id}: clauseValidity clause ${cv.clause} not found`);
  }
  return { meta, body, warnings, docNoInText: meta.docNo !== null && flat.includes(meta.docNo) };
}

async function main(): Promise<void> {
  const args = new Set(process.argv.slice(2));
  const check = args.has('--check');
  const manifest = await readManifest();
  const ids = new Set<string>();
  for (const d of manifest.documents) {
    if (ids.has(d.id)) throw new Error(`duplicate id ${d.id}`);
    ids.add(d.id);
  }
  await mkdir(DOCS_DIR, { recursive: true });
  let changed = 0;
  const warnings: string[] = [];
  const docNoSeen = new Map<string, boolean>();
  for (const doc of manifest.documents) {
    const joins: JoinDecision[] = [];
    const built = await buildDocument(manifest, doc, (d) => joins.push(d));
    warnings.push(...built.warnings);
    if (built.meta.docNo) docNoSeen.set(built.meta.docNo, (docNoSeen.get(built.meta.docNo) ?? false) || built.docNoInText);
    if (args.has('--joins')) {
      for (const j of joins) console.log(`${doc.id}:${j.line} ${j.joined ? 'JOIN' : 'keep'}  …${j.tail} ⏎ ${j.head}…`);
    }
    const file = path.join(DOCS_DIR, `${doc.id}.md`);
    const text = serializeDocumentFile(built.meta, built.body);
    const before = existsSync(file) ? await readFile(file, 'utf8') : null;
    if (before !== text) {
      changed++;
      if (check) console.error(`would change: ${file}`);
      else await writeFile(file, text);
    }
  }
  for (const [docNo, seen] of docNoSeen) {
    if (!seen) throw new Error(`文号 ${docNo} does not occur in the text of any document that carries it`);
  }
  for (const name of await readdir(DOCS_DIR)) {
    if (name.endsWith('.md') && !ids.has(name.replace(/\.md$/, ''))) {
      changed++;
      if (check) console.error(`would remove: ${name}`);
      else await rm(path.join(DOCS_DIR, name));
    }
  }
  for (const w of warnings) console.warn(`warning: ${w}`);
  console.log(`${manifest.documents.length} documents, ${changed} ${check ? 'out of date' : 'written or removed'}`);
  if (check && changed > 0) process.exitCode = 1;
}

const invokedDirectly = process.argv[1] !== undefined && path.resolve(process.argv[1]).endsWith(path.join('scripts', 'import-seeds.ts'));
if (invokedDirectly) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  });
}
