/**
 * Policy documents as shipped in knowledge/docs/<id>.md: YAML front matter (DocumentMeta) + plain text.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';
import { PERSONAS, REGIONS, type Citation } from '../core/types.js';
import { displayTitle, innerTitle } from './citation-text.js';
import { parseClauses } from './clauses.js';
import type { Clause, DocumentMeta, PolicyDocument } from './types.js';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD');

export const documentMetaSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'expected a kebab-case ASCII id'),
    title: z.string().min(1),
    aliases: z.array(z.string().min(1)),
    docNo: z.string().regex(/^\S+〔\d{4}〕\d+号$/, 'expected a 文号 like 豫政办〔2023〕17号').nullable(),
    issuers: z.array(z.string().min(1)),
    date: isoDate.nullable(),
    region: z.enum(REGIONS),
    personas: z.array(z.enum(PERSONAS)),
    validity: z
      .object({ start: isoDate.nullable(), end: isoDate.nullable(), endText: z.string().min(1).nullable() })
      .strict()
      .refine((v) => (v.end === null) === (v.endText === null), 'end and endText go together'),
    clauseValidity: z.array(z.object({ clause: z.string().min(1), end: isoDate, endText: z.string().min(1) }).strict()),
    source: z
      .object({
        file: z.string().min(1),
        lines: z.tuple([z.number().int().positive(), z.number().int().positive()]),
      })
      .strict()
      .nullable(),
    /** Set when staff marked the document superseded (issue 18): the id of the document that replaces it. */
    supersededBy: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/).optional(),
  })
  .strict();

export class DocumentFormatError extends Error {
  constructor(
    readonly fileName: string,
    message: string,
  ) {
    super(`${fileName}: ${message}`);
    this.name = 'DocumentFormatError';
  }
}

/** Splits "---\n<yaml>\n---\n<body>" into its two parts. */
export function splitFrontMatter(text: string, fileName: string): { frontMatter: string; body: string } {
  const normalized = text.replace(/^\ufeff/, '').replace(/\r\n/g, '\n');
  const m = /^---\n([\s\S]*?)\n---\n?([\s\S]*)$/.exec(normalized);
  if (!m) throw new DocumentFormatError(fileName, 'missing YAML front matter (a first line "---" and a closing "---")');
  return { frontMatter: m[1] ?? '', body: (m[2] ?? '').trim() };
}

/** Validates front matter; the error names the file and every invalid field. */
export function validateMeta(data: unknown, fileName: string): DocumentMeta {
  const result = documentMetaSchema.safeParse(data);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `field "${i.path.join('.') || '(root)'}": ${i.message}`);
    throw new DocumentFormatError(fileName, `invalid front matter: ${problems.join('; ')}`);
  }
  return result.data as DocumentMeta;
}

/** Parses one knowledge-base file. `fileName` is used in error messages and must match the id. */
export function parseDocumentFile(text: string, fileName: string): PolicyDocument {
  const { frontMatter, body } = splitFrontMatter(text, fileName);
  let data: unknown;
  try {
    data = YAML.parse(frontMatter);
  } catch (err) {
    throw new DocumentFormatError(fileName, `front matter is not valid YAML: ${(err as Error).message}`);
  }
  const meta = validateMeta(data, fileName);
  const stem = path.basename(fileName).replace(/\.md$/, '');
  if (stem !== path.basename(fileName) && stem !== meta.id) {
    throw new DocumentFormatError(fileName, `field "id": "${meta.id}" does not match the file name "${stem}"`);
  }
  const clauses = parseClauses(meta.id, body, {
    validity: meta.validity,
    clauseValidity: meta.clauseValidity,
    ownTitles: [meta.title, innerTitle(meta.title) ?? ''],
  });
  return { meta, clauses };
}

/** Writes a knowledge-base file: front matter with the DocumentMeta fields in their usual order, then the text. */
export function serializeDocumentFile(meta: DocumentMeta, body: string): string {
  const ordered: DocumentMeta = {
    id: meta.id,
    title: meta.title,
    aliases: meta.aliases,
    docNo: meta.docNo,
    issuers: meta.issuers,
    date: meta.date,
    region: meta.region,
    personas: meta.personas,
    validity: meta.validity,
    clauseValidity: meta.clauseValidity,
    source: meta.source,
    ...(meta.supersededBy ? { supersededBy: meta.supersededBy } : {}),
  };
  const doc = new YAML.Document(ordered);
  const lines = doc.getIn(['source', 'lines'], true);
  if (YAML.isSeq(lines)) lines.flow = true;
  const yaml = doc.toString({ lineWidth: 0 });
  return `---\n${yaml}---\n${body.trim()}\n`;
}

/** Loads every `*.md` of the knowledge base, sorted by id. */
export async function loadKnowledgeBase(dir = 'knowledge/docs'): Promise<PolicyDocument[]> {
  const root = path.resolve(dir);
  const names = (await readdir(root)).filter((n) => n.endsWith('.md')).sort();
  const docs = await Promise.all(
    names.map(async (name) => parseDocumentFile(await readFile(path.join(root, name), 'utf8'), name)),
  );
  const ids = new Set<string>();
  for (const d of docs) {
    if (ids.has(d.meta.id)) throw new DocumentFormatError(d.meta.id, 'duplicate document id');
    ids.add(d.meta.id);
  }
  return docs.sort((a, b) => (a.meta.id < b.meta.id ? -1 : a.meta.id > b.meta.id ? 1 : 0));
}

export { innerTitle };

/** The name a user recognises: the issued 方案/办法 for a "关于印发…的通知", else the title. */
export function citeTitle(meta: DocumentMeta): string {
  return displayTitle(meta.title);
}

/**
 * Citation of a document or one of its clauses. In an attachment known by its own name (an alias of
 * the document, e.g. "致2023届高校毕业生的一封信"), that name is the title.
 */
export function citationFor(doc: PolicyDocument, clause?: Clause | null): Citation {
  let title = citeTitle(doc.meta);
  const first = clause?.path[0];
  if (first?.startsWith('附件')) {
    const attachment = doc.clauses.find((c) => c.path.length === 1 && c.path[0] === first);
    const heading = attachment?.heading?.replace(/\s+/g, '') ?? '';
    const alias = doc.meta.aliases.find((a) => heading.length > 0 && heading.endsWith(a.replace(/\s+/g, '')));
    if (alias) title = alias;
  }
  const label = clause && clause.label !== '正文' ? clause.label : null;
  return { title, docNo: doc.meta.docNo, clause: label };
}

/**
 * A clause's full wording: its own text, then its sub-clauses' in order ("1. 个人自主创业贷款申请材料
 * …提供以下材料：" is followed by its （1）…（4）). A clause's `text` holds only its own lines.
 */
export function clauseWithChildren(doc: PolicyDocument, clause: Clause): Clause[] {
  const inside = (c: Clause) => c.path.length > clause.path.length && clause.path.every((p, i) => c.path[i] === p);
  return clause.path.length === 0 ? [clause] : [clause, ...doc.clauses.filter(inside)];
}
