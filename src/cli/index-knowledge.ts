/**
 * `npm run index`: validates every document of knowledge/docs, builds the search index the server
 * builds at start-up, and reports what it holds and how long it took. Exits 1 on an invalid document.
 */
import { join } from 'node:path';
import { ClauseIndex } from '../knowledge/clause-index.js';
import { loadKnowledgeBase } from '../knowledge/documents.js';
import { addTerms } from '../nlu/segment.js';

const dir = join(process.env.KNOWLEDGE_DIR ?? 'knowledge', 'docs');
try {
  const t0 = performance.now();
  const docs = await loadKnowledgeBase(dir);
  const t1 = performance.now();
  addTerms(docs.flatMap((d) => d.meta.aliases.filter((a) => a.length <= 12)));
  const index = new ClauseIndex(docs);
  const t2 = performance.now();
  const byRegion = new Map<string, number>();
  for (const d of docs) byRegion.set(d.meta.region, (byRegion.get(d.meta.region) ?? 0) + 1);
  const ended = docs.filter((d) => d.meta.validity.end || d.meta.clauseValidity.length > 0);
  console.log(`documents: ${docs.length} (${[...byRegion].map(([r, n]) => `${r} ${n}`).join(', ')})`);
  console.log(`clauses:   ${index.entries.length}`);
  console.log(`with end dates: ${ended.map((d) => `${d.meta.docNo ?? d.meta.id} → ${[d.meta.validity.end, ...d.meta.clauseValidity.map((c) => `${c.clause} ${c.end}`)].filter(Boolean).join('; ')}`).join('\n                ')}`);
  console.log(`load ${(t1 - t0).toFixed(0)} ms, index ${(t2 - t1).toFixed(0)} ms`);
} catch (err) {
  console.error(`知识库有误：${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
