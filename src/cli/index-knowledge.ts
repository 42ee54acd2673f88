/**
 * `npm run index`: validates every document of knowledge/docs, builds the search index, saves it as
 * the snapshot the server loads at start-up (<KNOWLEDGE_DIR>/.index/clauses.snapshot, with the
 * content hash of what it was built from), and reports what it holds and how long it took. Exits 1 on
 * an invalid document.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { ClauseIndex } from '../knowledge/clause-index.js';
import { loadKnowledgeBase } from '../knowledge/documents.js';
import { addAliasTerms, knowledgeHash, snapshotPath, writeSnapshot } from '../knowledge/index-snapshot.js';

const knowledgeDir = process.env.KNOWLEDGE_DIR ?? 'knowledge';
try {
  const t0 = performance.now();
  const hash = knowledgeHash(knowledgeDir);
  const docs = await loadKnowledgeBase(join(knowledgeDir, 'docs'));
  const t1 = performance.now();
  addAliasTerms(docs);
  const index = new ClauseIndex(docs);
  const t2 = performance.now();
  const file = snapshotPath(knowledgeDir);
  const bytes = writeSnapshot(file, hash, docs, index);
  const t3 = performance.now();
  const byRegion = new Map<string, number>();
  for (const d of docs) byRegion.set(d.meta.region, (byRegion.get(d.meta.region) ?? 0) + 1);
  const ended = docs.filter((d) => d.meta.validity.end || d.meta.clauseValidity.length > 0);
  console.log(`documents: ${docs.length} (${[...byRegion].map(([r, n]) => `${r} ${n}`).join(', ')})`);
  console.log(`clauses:   ${index.entries.length}`);
  console.log(`with end dates: ${ended.map((d) => `${d.meta.docNo ?? d.meta.id} → ${[d.meta.validity.end, ...d.meta.clauseValidity.map((c) => `${c.clause} ${c.end}`)].filter(Boolean).join('; ')}`).join('\n                ')}`);
  console.log(`load ${(t1 - t0).toFixed(0)} ms, index ${(t2 - t1).toFixed(0)} ms`);
  console.log(`snapshot ${file} (${(bytes / 2 ** 20).toFixed(1)} MB, written in ${(t3 - t2).toFixed(0)} ms, hash ${hash.slice(0, 12)}; ${statSync(file).size === bytes ? 'ok' : 'size mismatch'})`);
} catch (err) {
  console.error(`知识库有误：${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
