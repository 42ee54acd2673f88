/**
 * The policy texts as the web pages open them: which document and clause a citation points to, each
 * clause's anchor on its document's page (/docs/:id#anchor), and a clause with its neighbours.
 */
import type { Citation } from '../../core/types.js';
import { displayTitle } from '../../knowledge/citation-text.js';
import { citeTitle, clauseWithChildren } from '../../knowledge/documents.js';
import type { Clause, PolicyDocument } from '../../knowledge/types.js';

export interface SourceLink {
  docId: string;
  /** The clause's anchor on the document page; null when the citation names the whole document. */
  anchor: string | null;
}

export interface ClauseInContext {
  doc: PolicyDocument;
  clause: Clause;
  anchor: string;
  /** Its sub-clauses, in order. */
  children: Array<{ clause: Clause; anchor: string }>;
  before: Array<{ clause: Clause; anchor: string }>;
  after: Array<{ clause: Clause; anchor: string }>;
}

const compact = (s: string) => s.replace(/\s+/g, '');

export class PolicySources {
  private readonly docs = new Map<string, PolicyDocument>();
  private readonly byDocNo = new Map<string, string>();
  private readonly byTitle = new Map<string, string>();
  private readonly anchorsOf = new Map<string, string[]>();

  constructor(documents: readonly PolicyDocument[]) {
    for (const d of documents) {
      this.docs.set(d.meta.id, d);
      if (d.meta.docNo) this.byDocNo.set(d.meta.docNo, d.meta.id);
      for (const t of [d.meta.title, citeTitle(d.meta), ...d.meta.aliases]) {
        if (!this.byTitle.has(compact(displayTitle(t)))) this.byTitle.set(compact(displayTitle(t)), d.meta.id);
      }
      // Anchors: the clause's path as cited ("三、（二）"), made unique within the document.
      const seen = new Map<string, number>();
      this.anchorsOf.set(
        d.meta.id,
        d.clauses.map((c) => {
          const base = compact(c.path.join('')) || '正文';
          const n = (seen.get(base) ?? 0) + 1;
          seen.set(base, n);
          return n === 1 ? base : `${base}-${n}`;
        }),
      );
    }
  }

  document(id: string): PolicyDocument | undefined {
    return this.docs.get(id);
  }

  /** Each clause of a document with its anchor, in document order. */
  clauses(doc: PolicyDocument): Array<{ clause: Clause; anchor: string }> {
    const anchors = this.anchorsOf.get(doc.meta.id) ?? [];
    return doc.clauses.map((clause, i) => ({ clause, anchor: anchors[i] ?? String(i) }));
  }

  /** Where a citation points: its document (by 文号, else title or alias) and clause (by label). */
  resolve(c: Citation): SourceLink | null {
    const docId = (c.docNo && this.byDocNo.get(c.docNo)) || this.byTitle.get(compact(displayTitle(c.title)));
    const doc = docId ? this.docs.get(docId) : undefined;
    if (!doc) return null;
    const label = c.clause ? compact(c.clause) : '';
    if (!label || label === '正文') return { docId: doc.meta.id, anchor: null };
    const found = this.clauses(doc).find(({ clause }) => compact(clause.label) === label || compact(clause.path.join('')) === label);
    return { docId: doc.meta.id, anchor: found?.anchor ?? null };
  }

  /** A clause by its anchor (or label), with up to `around` clauses either side. */
  clauseInContext(docId: string, anchorOrLabel: string, around = 1): ClauseInContext | null {
    const doc = this.docs.get(docId);
    if (!doc) return null;
    const all = this.clauses(doc);
    const wanted = compact(anchorOrLabel);
    const i = all.findIndex(({ clause, anchor }) => anchor === wanted || compact(clause.label) === wanted);
    if (i < 0) return null;
    // The clause with its sub-clauses ("1. …提供以下材料：" and its （1）…（4）); the neighbours around them.
    const family = clauseWithChildren(doc, all[i]!.clause).length;
    return {
      doc,
      clause: all[i]!.clause,
      anchor: all[i]!.anchor,
      children: all.slice(i + 1, i + family),
      before: all.slice(Math.max(0, i - around), i),
      after: all.slice(i + family, i + family + around),
    };
  }
}
