/**
 * Builds the clause index off the main thread (a worker), so that a gateway keeps answering on its
 * current index while the new one is analysed (jieba over every sentence: ~0.6 s for 34 documents,
 * tens of seconds for hundreds). Posts back the parsed documents and the packed index, which the main
 * thread wraps without analysing anything again (as it does a snapshot).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ClauseIndex } from '../clause-index.js';
import { parseDocumentFile } from '../documents.js';
import { addAliasTerms, loadIndexedKnowledge } from '../index-snapshot.js';
import type { IndexJob, IndexResult } from './build-index.js';

async function run(job: IndexJob): Promise<IndexResult> {
  if (job.kind === 'files') {
    // Through the snapshot of `npm run index`: built from the files and saved for the next start.
    const k = await loadIndexedKnowledge(job.knowledgeDir);
    return { documents: k.documents, packed: k.index.toPacked(), source: k.source, ...(k.saveError ? { saveError: k.saveError } : {}) };
  }
  const documents = job.files.map(([id, text]) => parseDocumentFile(text, `${id}.md`));
  addAliasTerms(documents);
  return { documents, packed: new ClauseIndex(documents).toPacked(), source: 'built' };
}

run(workerData as IndexJob).then(
  (result) => parentPort?.postMessage({ ok: true, result }),
  (err: unknown) => parentPort?.postMessage({ ok: false, error: err instanceof Error ? err.message : String(err) }),
);
