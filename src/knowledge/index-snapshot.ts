/**
 * The clause index saved to disk (`npm run index`) and loaded at start-up instead of analysing every
 * text again (jieba over every sentence: ~2 s for the shipped 33 documents, ~40 s for 500).
 *
 * One file, `<KNOWLEDGE_DIR>/.index/clauses.snapshot`:
 *   "EPAIDX01", header length (uint32 LE), header JSON (version, content hash, the parsed documents,
 *   the term list, where each array lies), then the typed arrays (postings, offsets) 8-byte aligned.
 * The content hash covers the knowledge files (docs/*.md), the lexicon that segmentation reads, the
 * source files of the analysis and the jieba version: when any of them changes, the snapshot is
 * stale, and the server builds the index from the files (and saves it, when it may write there).
 * A missing, stale or unreadable snapshot never stops the server: it only costs the build time.
 */
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, mkdirSync, openSync, readFileSync, readSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { addTerms } from '../nlu/segment.js';
import type { PackedPostings } from './bm25.js';
import { ClauseIndex, type PackedClauseIndex, type Rows } from './clause-index.js';
import { loadKnowledgeBase } from './documents.js';
import type { PolicyDocument } from './types.js';

export const SNAPSHOT_VERSION = 2;
const MAGIC = 'EPAIDX01';
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Files whose change alters what the index holds (besides the documents and the lexicon). */
const ANALYSIS_SOURCES = [
  'src/knowledge/bm25.ts',
  'src/knowledge/clause-index.ts',
  'src/knowledge/clauses.ts',
  'src/knowledge/documents.ts',
  'src/knowledge/index-snapshot.ts',
  'src/nlu/segment.ts',
  'src/nlu/lexicon.ts',
  'node_modules/@node-rs/jieba/package.json',
];

export function snapshotPath(knowledgeDir: string): string {
  return join(knowledgeDir, '.index', 'clauses.snapshot');
}

/** The documents' own names (一奖一补, 创业担保贷款精细化操作规程 …) segment as one word. */
export function addAliasTerms(documents: PolicyDocument[]): void {
  addTerms(documents.flatMap((d) => d.meta.aliases.filter((a) => a.length <= 12)));
}

/** sha256 of everything the index is built from. */
export function knowledgeHash(knowledgeDir: string): string {
  const h = createHash('sha256');
  h.update(`${MAGIC} v${SNAPSHOT_VERSION}\0`);
  const add = (label: string, file: string) => {
    h.update(`${label}\0`);
    try {
      h.update(readFileSync(file));
    } catch {
      h.update('(missing)');
    }
    h.update('\0');
  };
  const docs = join(knowledgeDir, 'docs');
  for (const name of readdirSync(docs).filter((n) => n.endsWith('.md')).sort()) add(`docs/${name}`, join(docs, name));
  const lexicon = join(ROOT, 'knowledge', 'lexicon');
  for (const name of readdirSync(lexicon).sort()) add(`lexicon/${name}`, join(lexicon, name));
  for (const file of ANALYSIS_SOURCES) add(file, join(ROOT, file));
  return h.digest('hex');
}

type ArrayKind = 'u8' | 'u16' | 'u32' | 'i32' | 'f64';
interface Section {
  kind: ArrayKind;
  offset: number;
  length: number;
}
interface Header {
  version: number;
  hash: string;
  documents: PolicyDocument[];
  terms: string[];
  sentenceSize: number;
  clauseSize: number;
  k1: number;
  sections: Record<string, Section>;
}

type Typed = Uint8Array | Uint16Array | Uint32Array | Int32Array | Float64Array;
const kindOf = (a: Typed): ArrayKind =>
  a instanceof Uint8Array ? 'u8' : a instanceof Uint16Array ? 'u16' : a instanceof Uint32Array ? 'u32' : a instanceof Int32Array ? 'i32' : 'f64';
const BYTES: Record<ArrayKind, number> = { u8: 1, u16: 2, u32: 4, i32: 4, f64: 8 };

function postingArrays(prefix: string, p: PackedPostings): Record<string, Typed> {
  return {
    [`${prefix}.offsets`]: p.offsets,
    [`${prefix}.docs`]: p.docs,
    [`${prefix}.tfCodes`]: p.tfCodes,
    [`${prefix}.tfValues`]: p.tfValues,
    [`${prefix}.norms`]: p.norms,
  };
}

function arraysOf(p: PackedClauseIndex): Record<string, Typed> {
  return {
    ...postingArrays('sentence', p.sentence),
    ...postingArrays('clause', p.clause),
    'termDocs.offsets': p.termDocs.offsets,
    'termDocs.values': p.termDocs.values,
    'entryTerms.offsets': p.entryTerms.offsets,
    'entryTerms.values': p.entryTerms.values,
  };
}

export function writeSnapshot(file: string, hash: string, documents: PolicyDocument[], index: ClauseIndex): number {
  const packed = index.toPacked();
  if (packed.sentence.k1 !== packed.clause.k1) throw new Error('both views are expected to share k1');
  const arrays = arraysOf(packed);
  const sections: Record<string, Section> = {};
  let offset = 0;
  for (const [name, a] of Object.entries(arrays)) {
    sections[name] = { kind: kindOf(a), offset, length: a.length };
    offset += Math.ceil(a.byteLength / 8) * 8;
  }
  const header: Header = {
    version: SNAPSHOT_VERSION,
    hash,
    documents,
    terms: packed.terms,
    sentenceSize: packed.sentence.size,
    clauseSize: packed.clause.size,
    k1: packed.sentence.k1,
    sections,
  };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const start = Math.ceil((MAGIC.length + 4 + json.length) / 8) * 8;
  const out = Buffer.alloc(start + offset);
  out.write(MAGIC, 0, 'latin1');
  out.writeUInt32LE(json.length, MAGIC.length);
  json.copy(out, MAGIC.length + 4);
  for (const [name, a] of Object.entries(arrays)) {
    Buffer.from(a.buffer, a.byteOffset, a.byteLength).copy(out, start + sections[name]!.offset);
  }
  mkdirSync(join(file, '..'), { recursive: true });
  // Written aside, then renamed: a reader (another process starting) never sees half a file.
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(tmp, out);
  renameSync(tmp, file);
  return out.length;
}

/** The snapshot's documents and packed index, or null when it is absent, stale or unreadable. */
export function readSnapshot(file: string, hash: string): { documents: PolicyDocument[]; packed: PackedClauseIndex } | null {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return null;
  }
  try {
    const size = fstatSync(fd).size;
    const head = Buffer.alloc(MAGIC.length + 4);
    if (size < head.length || readSync(fd, head, 0, head.length, 0) !== head.length || head.toString('latin1', 0, MAGIC.length) !== MAGIC) return null;
    const jsonLength = head.readUInt32LE(MAGIC.length);
    const json = Buffer.alloc(jsonLength);
    if (readSync(fd, json, 0, jsonLength, head.length) !== jsonLength) return null;
    const header = JSON.parse(json.toString('utf8')) as Header;
    if (header.version !== SNAPSHOT_VERSION || header.hash !== hash) return null;
    // The arrays are read straight into one buffer of their own (aligned, no copy) and viewed in place.
    const start = Math.ceil((head.length + jsonLength) / 8) * 8;
    const bin = new ArrayBuffer(size - start);
    const binBytes = new Uint8Array(bin);
    for (let done = 0; done < binBytes.length; ) {
      const n = readSync(fd, binBytes, done, binBytes.length - done, start + done);
      if (n <= 0) return null;
      done += n;
    }
    const view = (name: string): Typed => {
      const s = header.sections[name];
      if (!s || s.offset + s.length * BYTES[s.kind] > bin.byteLength) throw new Error(`snapshot section ${name} missing or truncated`);
      switch (s.kind) {
        case 'u8':
          return new Uint8Array(bin, s.offset, s.length);
        case 'u16':
          return new Uint16Array(bin, s.offset, s.length);
        case 'u32':
          return new Uint32Array(bin, s.offset, s.length);
        case 'i32':
          return new Int32Array(bin, s.offset, s.length);
        default:
          return new Float64Array(bin, s.offset, s.length);
      }
    };
    const postings = (prefix: string, size: number): PackedPostings => ({
      size,
      k1: header.k1,
      offsets: view(`${prefix}.offsets`) as Uint32Array,
      docs: view(`${prefix}.docs`) as Int32Array,
      tfCodes: view(`${prefix}.tfCodes`) as Uint8Array | Uint16Array,
      tfValues: view(`${prefix}.tfValues`) as Float64Array,
      norms: view(`${prefix}.norms`) as Float64Array,
    });
    const rows = (prefix: string): Rows => ({ offsets: view(`${prefix}.offsets`) as Uint32Array, values: view(`${prefix}.values`) as Int32Array });
    return {
      documents: header.documents,
      packed: {
        terms: header.terms,
        sentence: postings('sentence', header.sentenceSize),
        clause: postings('clause', header.clauseSize),
        termDocs: rows('termDocs'),
        entryTerms: rows('entryTerms'),
      },
    };
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}

export interface IndexedKnowledge {
  documents: PolicyDocument[];
  index: ClauseIndex;
  /** Where the index came from; `saved` says whether a fresh build was written as the snapshot. */
  source: 'snapshot' | 'built';
  saved: boolean;
  /** Why a built index could not be saved (read-only folder …). */
  saveError?: string;
  hash: string;
}

/**
 * The documents and their index: from the snapshot when it matches the knowledge files, else built
 * from them (validating every document) and, unless `save` is false, saved as the new snapshot.
 */
export async function loadIndexedKnowledge(knowledgeDir: string, options: { save?: boolean; rebuild?: boolean } = {}): Promise<IndexedKnowledge> {
  const hash = knowledgeHash(knowledgeDir);
  const file = snapshotPath(knowledgeDir);
  const snap = options.rebuild ? null : readSnapshot(file, hash);
  if (snap) {
    addAliasTerms(snap.documents);
    try {
      return { documents: snap.documents, index: new ClauseIndex(snap.documents, snap.packed), source: 'snapshot', saved: false, hash };
    } catch {
      // does not fit its documents: build
    }
  }
  const documents = await loadKnowledgeBase(join(knowledgeDir, 'docs'));
  addAliasTerms(documents);
  const index = new ClauseIndex(documents);
  if (options.save === false) return { documents, index, source: 'built', saved: false, hash };
  try {
    writeSnapshot(file, hash, documents, index);
    return { documents, index, source: 'built', saved: true, hash };
  } catch (err) {
    return { documents, index, source: 'built', saved: false, saveError: (err as Error).message, hash };
  }
}
