/**
 * `npm run programs -- check`: the grounding check of the programme catalogue (exit 1 on a problem).
 * `npm run programs -- clauses [document id]`: the citable clauses (`<document id>#<label>`) with
 * the start of their text, for writing a facet.
 */
import { join } from 'node:path';
import { loadKnowledgeBase } from '../knowledge/documents.js';
import { loadCatalogue } from '../programs/catalogue.js';
import { checkCatalogue } from '../programs/grounding.js';
import { catalogueWithout, facetsToReview } from '../programs/catalogue-review.js';
import { existsSync, readdirSync } from 'node:fs';

const [command = 'check', docId] = process.argv.slice(2);
const root = process.env.KNOWLEDGE_DIR ?? 'knowledge';
const documents = await loadKnowledgeBase(join(root, 'docs'));

if (command === 'clauses') {
  for (const d of documents) {
    if (docId && d.meta.id !== docId) continue;
    console.log(`## ${d.meta.id} ${d.meta.region} ${d.meta.docNo ?? '（无文号）'} 《${d.meta.title}》 ends ${d.meta.validity.end ?? '-'}`);
    for (const c of d.clauses) console.log(`  ${d.meta.id}#${c.label}  ${(c.heading ?? '').slice(0, 24)} | ${c.text.replace(/\s+/g, '').slice(0, 90)}`);
  }
} else if (command === 'check') {
  // Citations of documents withdrawn from the console are not grounding failures but entries to review.
  const withdrawnDir = join(root, 'withdrawn');
  const withdrawn = new Set(existsSync(withdrawnDir) ? readdirSync(withdrawnDir).filter((n) => n.endsWith('.md')).map((n) => n.slice(0, -3)) : []);
  const all = loadCatalogue(join(root, 'programs'));
  for (const f of facetsToReview(all, documents, withdrawn)) console.log(`! ${f.programmeId}.${f.facet}: cites ${f.cite} (${f.status}${f.supersededBy ? ` by ${f.supersededBy}` : ''}) — to review`);
  const programs = catalogueWithout(all, withdrawn);
  const problems = checkCatalogue(programs, documents);
  const facets = programs.reduce((n, p) => n + Object.keys(p.facets).length, 0);
  for (const p of problems) console.log(`✗ ${p.program}.${p.facet}: ${p.problem}`);
  console.log(`${programs.length} programmes, ${facets} facets, ${problems.length} grounding problems`);
  process.exitCode = problems.length > 0 ? 1 : 0;
} else {
  console.error('usage: npm run programs -- check | clauses [document id]');
  process.exitCode = 2;
}
