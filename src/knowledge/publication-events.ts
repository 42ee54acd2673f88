/**
 * What staff did to the knowledge base, told to whoever cares (subscriptions, the catalogue review
 * list, metrics). The publishing flow emits after the new index is live on this gateway; listeners
 * must not throw into it, so a failing listener is logged by the emitter's caller and the rest run.
 */
export interface Publication {
  /** Document id as in knowledge/docs (file name without .md). */
  docId: string;
  title: string;
  docNo?: string;
  /** Region of the document as its front matter names it (平顶山市, 河南省, 全国, 济宁市). */
  region: string;
  action: 'published' | 'withdrawn' | 'superseded';
  /** For 'superseded': the document that replaces it. */
  supersededBy?: string;
  /** Catalogue programmes whose facets cite this document (knowledge/programs), or which a new document's text matches. */
  programmeIds: string[];
  /** Staff account that published it (for the audit trail and reach report). */
  by: string;
  /** ISO time. */
  at: string;
}

export type PublicationListener = (p: Publication) => void | Promise<void>;

export class PublicationEvents {
  private readonly listeners = new Set<PublicationListener>();

  on(listener: PublicationListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Runs every listener; returns the errors of those that failed (the others still ran). */
  async emit(p: Publication): Promise<unknown[]> {
    const errors: unknown[] = [];
    for (const listener of this.listeners) {
      try {
        await listener(p);
      } catch (err) {
        errors.push(err);
      }
    }
    return errors;
  }
}
