/** Answers quoting a superseded document say so, naming the document that replaces it. */
import type { Reply } from '../../core/types.js';
import { citeTitle } from '../documents.js';
import type { PolicyDocument } from '../types.js';

export type SupersededLookup = (citation: { title: string; docNo: string | null }) => PolicyDocument | null;

/** Finds, for a citation, the document replacing the one it names (by 文号, else by title or alias). */
export function supersededLookup(documents: PolicyDocument[]): SupersededLookup {
  const byId = new Map(documents.map((d) => [d.meta.id, d]));
  const byDocNo = new Map<string, PolicyDocument>();
  const byTitle = new Map<string, PolicyDocument>();
  for (const d of documents) {
    const next = d.meta.supersededBy ? byId.get(d.meta.supersededBy) : undefined;
    if (!next) continue;
    if (d.meta.docNo) byDocNo.set(d.meta.docNo, next);
    for (const t of [d.meta.title, citeTitle(d.meta), ...d.meta.aliases]) byTitle.set(t, next);
  }
  return (c) => (c.docNo ? byDocNo.get(c.docNo) : undefined) ?? byTitle.get(c.title) ?? null;
}

/** Appends the notice to every reply citing a superseded document (once per replacing document). */
export function withSupersededNotices(replies: Reply[], lookup: SupersededLookup, template: string): Reply[] {
  return replies.map((r) => {
    const next = [...new Set(r.citations.map(lookup).filter((d): d is PolicyDocument => d !== null))];
    if (next.length === 0) return r;
    const notices = next.map((d) => template.replace('{title}', citeTitle(d.meta)).replace('{docNo}', d.meta.docNo ? `（${d.meta.docNo}）` : ''));
    return { ...r, text: `${r.text}\n${notices.join('\n')}` };
  });
}
