/**
 * Builds the clause index off the main thread (a worker), so that a gateway keeps answering on its
 * current index while the new one is analysed (jieba over every sentence: ~0.6 s for 34 documents,
 * tens of seconds for hundreds). Posts back the parsed documents and the packed index, which the main
 * thread wraps without analysing anything again (as it does a snapshot).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { buildIndexHere, type IndexJob } from './build-index.js';

// The same build as on the main thread (one home): files through the snapshot of `npm run index`,
// or the documents a publication sent.
const run = (job: IndexJob) => buildIndexHere(job);

run(workerData as IndexJob).then(
  (result) => parentPort?.postMessage({ ok: true, result }),
  (err: unknown) => parentPort?.postMessage({ ok: false, error: err instanceof Error ? err.message : String(err) }),
);
