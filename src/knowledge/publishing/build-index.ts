/**
 * Runs an index build in a worker thread (index-worker.ts) and wraps the result on this thread. When
 * no worker can be started (a runtime without the TypeScript loader), the build runs here instead.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ClauseIndex, type PackedClauseIndex } from '../clause-index.js';
import { parseDocumentFile } from '../documents.js';
import { addAliasTerms, loadIndexedKnowledge } from '../index-snapshot.js';
import type { PolicyDocument } from '../types.js';

export type IndexJob = { kind: 'files'; knowledgeDir: string } | { kind: 'documents'; files: Array<[string, string]> };

export interface IndexResult {
  documents: PolicyDocument[];
  packed: PackedClauseIndex;
  source: 'snapshot' | 'built';
  saveError?: string;
}

export interface BuiltIndex {
  documents: PolicyDocument[];
  index: ClauseIndex;
  source: 'snapshot' | 'built';
  saveError?: string;
  /** Where the analysis ran. */
  thread: 'worker' | 'main';
}

const WORKER_URL = new URL(import.meta.url.endsWith('.ts') ? './index-worker.ts' : './index-worker.js', import.meta.url);

/**
 * The worker's entry. From TypeScript sources (the server runs under tsx), the worker registers tsx's
 * loader itself first: on Node 20 the loader of `node --import tsx` does not reach worker threads.
 */
function startWorker(job: IndexJob): Worker {
  if (!WORKER_URL.pathname.endsWith('.ts')) return new Worker(WORKER_URL, { workerData: job });
  // tsx's ESM entry of its API, found from here (the worker itself has no module of its own to resolve from).
  const tsxApi = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const boot = `import(${JSON.stringify(tsxApi)}).then((m) => { (m.register ?? m.default.register)(); return import(${JSON.stringify(WORKER_URL.href)}); })`;
  return new Worker(boot, { eval: true, workerData: job });
}

function inWorker(job: IndexJob): Promise<IndexResult> {
  return new Promise((resolve, reject) => {
    const worker = startWorker(job);
    let settled = false;
    worker.once('message', (m: { ok: true; result: IndexResult } | { ok: false; error: string }) => {
      settled = true;
      if (m.ok) resolve(m.result);
      else reject(new Error(m.error));
      void worker.terminate();
    });
    worker.once('error', (err) => {
      if (!settled) reject(Object.assign(err, { workerFailed: true }));
    });
    worker.once('exit', (code) => {
      if (!settled) reject(Object.assign(new Error(`index worker exited with ${code}`), { workerFailed: true }));
    });
  });
}

/** The same build on this thread (start-up, when nothing is served yet). */
export async function buildIndexHere(job: IndexJob): Promise<IndexResult> {
  if (job.kind === 'files') {
    const k = await loadIndexedKnowledge(job.knowledgeDir);
    return { documents: k.documents, packed: k.index.toPacked(), source: k.source, ...(k.saveError ? { saveError: k.saveError } : {}) };
  }
  const documents = job.files.map(([id, text]) => parseDocumentFile(text, `${id}.md`));
  addAliasTerms(documents);
  return { documents, packed: new ClauseIndex(documents).toPacked(), source: 'built' };
}

/** Builds the index for `job`, in a worker when possible; a document error is thrown either way. */
export async function buildIndex(job: IndexJob, onWorkerFailure?: (err: Error) => void): Promise<BuiltIndex> {
  let result: IndexResult;
  let thread: BuiltIndex['thread'] = 'worker';
  try {
    result = await inWorker(job);
  } catch (err) {
    if (!(err as { workerFailed?: boolean }).workerFailed) throw err;
    onWorkerFailure?.(err as Error);
    result = await buildIndexHere(job);
    thread = 'main';
  }
  // The documents' own names segment as one word here too (queries are analysed on this thread).
  addAliasTerms(result.documents);
  return { documents: result.documents, index: new ClauseIndex(result.documents, result.packed), source: result.source, ...(result.saveError ? { saveError: result.saveError } : {}), thread };
}
