/**
 * Publishing from the console (issue 18): upload → proposal (draft) → staff correct → publish; and
 * withdraw / supersede of live documents. Drafts are kept in the session store (both backends), the
 * documents in the knowledge store; every action is audited, and listeners hear of it once the new
 * knowledge is live on this gateway.
 */
import { randomUUID } from 'node:crypto';
import type { SessionStore } from '../../dialogue/session-store.js';
import type { Program } from '../../programs/catalogue.js';
import { facetsToReview, programmesConcerning, type FacetToReview } from '../../programs/catalogue-review.js';
import { ApiError } from '../../server/errors.js';
import { DocumentFormatError, parseDocumentFile, serializeDocumentFile, splitFrontMatter, validateMeta } from '../documents.js';
import type { Publication, PublicationEvents } from '../publication-events.js';
import type { Clause, DocumentMeta, PolicyDocument } from '../types.js';
import { extractText, UploadError } from './extract-text.js';
import type { KnowledgeStore } from './knowledge-store.js';
import { problemsOf, proposeDocument, type Problem } from './propose.js';
import type { KnowledgeReloader } from './reloader.js';

const DRAFT_TTL_SECONDS = 30 * 24 * 3600;
const DRAFT_LIST_KEY = 'publish:drafts';
const draftKey = (id: string) => `publish:draft:${id}`;

export type DocumentStatus = 'draft' | 'published' | 'withdrawn' | 'superseded';

/** What staff may correct before publishing (the rest of DocumentMeta is the system's). */
export type CorrectedMeta = Omit<DocumentMeta, 'source' | 'supersededBy'>;

interface Draft {
  id: string;
  filename: string;
  uploadedBy: string;
  uploadedAt: string;
  body: string;
  meta: DocumentMeta;
  status: 'draft' | 'published';
  docId: string | null;
}

export interface ClausePreview {
  label: string;
  heading: string | null;
  text: string;
}

export interface DraftView {
  id: string;
  filename: string;
  status: 'draft' | 'published';
  docId: string | null;
  preview: DocumentMeta & { clauses: ClausePreview[] };
  problems: Problem[];
}

export interface DocumentListItem {
  id: string;
  status: DocumentStatus;
  title: string;
  docNo: string | null;
  region: string;
  date: string | null;
  supersededBy: string | null;
  /** Where it came from: shipped with the system, or uploaded in the console (file name). */
  origin: string;
  uploadedBy: string | null;
}

/** The knowledge the desk reads: what answers are given from now. */
export interface DeskKnowledge {
  documents: PolicyDocument[];
  withdrawn: PolicyDocument[];
}

export interface DocumentDeskOptions {
  drafts: SessionStore;
  store: KnowledgeStore;
  reloader: KnowledgeReloader<object>;
  current: () => DeskKnowledge;
  programs: Program[];
  publications: PublicationEvents;
  audit: (actor: string, action: 'document_uploaded' | 'document_published' | 'document_withdrawn' | 'document_superseded', target: string, data: Record<string, unknown>) => Promise<void>;
  log: { error(obj: object, msg: string): void };
  clock?: () => Date;
}

export class DocumentDesk {
  private readonly clock: () => Date;
  /** Publish / withdraw / supersede one at a time on this gateway: each checks, then writes. */
  private queue: Promise<unknown> = Promise.resolve();

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  constructor(private readonly o: DocumentDeskOptions) {
    this.clock = o.clock ?? (() => new Date());
  }

  private taken = (id: string): boolean => {
    const k = this.o.current();
    return k.documents.some((d) => d.meta.id === id) || k.withdrawn.some((d) => d.meta.id === id);
  };

  private docNoOwner = (docNo: string): string | null => this.o.current().documents.find((d) => d.meta.docNo === docNo)?.meta.id ?? null;

  /** Reads the upload and proposes metadata and clauses; nothing is stored when the input is refused. */
  async upload(filename: string, input: { text: string } | { content: Buffer }, by: string): Promise<DraftView> {
    const raw = await extractText(filename, input).catch((err) => {
      if (err instanceof UploadError) throw new ApiError(err.tooLarge ? 'PAYLOAD_TOO_LARGE' : 'BAD_REQUEST', err.message, [{ path: 'file', message: err.message }]);
      throw err;
    });
    const proposal = proposeDocument(raw, { filename, idTaken: this.taken, docNoOwner: this.docNoOwner });
    const draft: Draft = {
      id: `draft-${randomUUID().slice(0, 8)}`,
      filename,
      uploadedBy: by,
      uploadedAt: this.clock().toISOString(),
      body: proposal.body,
      meta: proposal.meta,
      status: 'draft',
      docId: null,
    };
    await this.o.drafts.set(draftKey(draft.id), draft, DRAFT_TTL_SECONDS);
    await this.o.drafts.tally(DRAFT_LIST_KEY, draft.id, this.clock(), filename, { cap: 500, ttlSeconds: DRAFT_TTL_SECONDS });
    await this.o.audit(by, 'document_uploaded', draft.id, { filename, title: proposal.meta.title, docNo: proposal.meta.docNo });
    return this.view(draft, proposal.meta);
  }

  /** The draft as it would be published with `corrected` metadata (or as proposed). */
  async draft(id: string, corrected?: CorrectedMeta): Promise<DraftView> {
    const d = await this.load(id);
    return this.view(d, corrected ? this.merge(d, corrected) : d.meta);
  }

  /** Publishes the draft with the corrected metadata; resolves once answers on this gateway use it. */
  publish(id: string, corrected: CorrectedMeta, by: string): Promise<{ docId: string; version: string; buildMs: number; builtIn: 'worker' | 'main'; clauses: number; problems: Problem[] }> {
    return this.serial(() => this.publishNow(id, corrected, by));
  }

  private async publishNow(id: string, corrected: CorrectedMeta, by: string): Promise<{ docId: string; version: string; buildMs: number; builtIn: 'worker' | 'main'; clauses: number; problems: Problem[] }> {
    const d = await this.load(id);
    if (d.status === 'published') throw new ApiError('CONFLICT', `草稿 ${id} 已经发布为 ${d.docId}`);
    const meta = this.merge(d, corrected);
    const { doc, problems } = this.check(d, meta);
    const blocking = problems.filter((p) => p.severity === 'error');
    if (blocking.length > 0) throw new ApiError('BAD_REQUEST', `不能发布：${blocking.map((p) => p.message).join('；')}`, blocking.map((p) => ({ path: p.code, message: p.message })));
    await this.o.store.put(meta.id, serializeDocumentFile(meta, d.body));
    const live = await this.o.reloader.refresh();
    await this.o.drafts.set(draftKey(id), { ...d, meta, status: 'published', docId: meta.id }, DRAFT_TTL_SECONDS);
    await this.o.audit(by, 'document_published', meta.id, { draft: id, title: meta.title, docNo: meta.docNo, clauses: doc.clauses.length });
    await this.announce(doc, 'published', by);
    return { docId: meta.id, version: live.version, buildMs: Math.round(live.buildMs), builtIn: live.thread, clauses: doc.clauses.length, problems };
  }

  /** Takes a live document out of answers. */
  withdraw(docId: string, by: string, reason: string | null): Promise<{ docId: string; version: string }> {
    return this.serial(() => this.withdrawNow(docId, by, reason));
  }

  private async withdrawNow(docId: string, by: string, reason: string | null): Promise<{ docId: string; version: string }> {
    const doc = this.live(docId);
    await this.o.store.withdraw(docId, serializeDocumentFile(doc.meta, await this.bodyOf(docId)));
    const live = await this.o.reloader.refresh();
    await this.o.audit(by, 'document_withdrawn', docId, { title: doc.meta.title, docNo: doc.meta.docNo, reason });
    await this.announce(doc, 'withdrawn', by);
    return { docId, version: live.version };
  }

  /** Marks a live document as replaced by another live one: answers quoting it then say so. */
  supersede(docId: string, supersededBy: string, by: string): Promise<{ docId: string; version: string }> {
    return this.serial(() => this.supersedeNow(docId, supersededBy, by));
  }

  private async supersedeNow(docId: string, supersededBy: string, by: string): Promise<{ docId: string; version: string }> {
    if (docId === supersededBy) throw new ApiError('BAD_REQUEST', '文件不能取代它自己', [{ path: 'supersededBy', message: '请选择另一份文件' }]);
    const doc = this.live(docId);
    const next = this.live(supersededBy);
    if (next.meta.supersededBy) throw new ApiError('CONFLICT', `${supersededBy} 本身已被取代，请选择现行文件`);
    const meta: DocumentMeta = { ...doc.meta, supersededBy };
    await this.o.store.put(docId, serializeDocumentFile(meta, await this.bodyOf(docId)));
    const live = await this.o.reloader.refresh();
    await this.o.audit(by, 'document_superseded', docId, { title: doc.meta.title, docNo: doc.meta.docNo, supersededBy });
    await this.announce({ ...doc, meta }, 'superseded', by);
    return { docId, version: live.version };
  }

  /** Every document with its status: live (published or superseded), withdrawn, and drafts not yet published. */
  async list(): Promise<DocumentListItem[]> {
    const k = this.o.current();
    const item = (d: PolicyDocument, status: DocumentStatus): DocumentListItem => ({
      id: d.meta.id,
      status,
      title: d.meta.title,
      docNo: d.meta.docNo,
      region: d.meta.region,
      date: d.meta.date,
      supersededBy: d.meta.supersededBy ?? null,
      origin: d.meta.source?.file.startsWith('upload:') ? d.meta.source.file : 'shipped',
      uploadedBy: null,
    });
    const drafts: DocumentListItem[] = [];
    for (const t of await this.o.drafts.tallies(DRAFT_LIST_KEY, 200)) {
      const d = await this.o.drafts.get<Draft>(draftKey(t.member));
      if (!d || d.status !== 'draft') continue;
      drafts.push({ ...item({ meta: d.meta, clauses: [] }, 'draft'), id: d.id, origin: `upload:${d.filename}`, uploadedBy: d.uploadedBy });
    }
    return [
      ...drafts,
      ...k.documents.map((d) => item(d, d.meta.supersededBy ? 'superseded' : 'published')),
      ...k.withdrawn.map((d) => item(d, 'withdrawn')),
    ];
  }

  /** Catalogue facets citing a withdrawn, superseded or re-published document: for staff to review. */
  review(): FacetToReview[] {
    const k = this.o.current();
    return facetsToReview(this.o.programs, k.documents, new Set(k.withdrawn.map((d) => d.meta.id)));
  }

  private live(docId: string): PolicyDocument {
    const doc = this.o.current().documents.find((d) => d.meta.id === docId);
    if (!doc) throw new ApiError('NOT_FOUND', `没有现行文件 ${docId}`);
    return doc;
  }

  /** The text of a live document as its file holds it. */
  private async bodyOf(docId: string): Promise<string> {
    const text = (await this.o.store.load()).live.get(docId);
    if (text === undefined) throw new ApiError('NOT_FOUND', `没有现行文件 ${docId}`);
    return splitFrontMatter(text, `${docId}.md`).body;
  }

  private async load(id: string): Promise<Draft> {
    const d = await this.o.drafts.get<Draft>(draftKey(id));
    if (!d) throw new ApiError('NOT_FOUND', `没有草稿 ${id}（草稿保存30天）`);
    return d;
  }

  private merge(d: Draft, corrected: CorrectedMeta): DocumentMeta {
    return { ...corrected, source: d.meta.source };
  }

  /** The document as it would be published, and its problems (an invalid field is an error problem). */
  private check(d: Draft, meta: DocumentMeta): { doc: PolicyDocument; problems: Problem[] } {
    const fileName = `${meta.id}.md`;
    const idTaken = (id: string) => id === meta.id && this.taken(id);
    try {
      validateMeta(meta, fileName);
      const doc = parseDocumentFile(serializeDocumentFile(meta, d.body), fileName);
      const problems = problemsOf(meta, d.body, doc.clauses, { idTaken, docNoOwner: this.docNoOwner });
      for (const cv of meta.clauseValidity) {
        if (!doc.clauses.some((c) => c.label === cv.clause)) problems.push({ code: 'clause_not_found', severity: 'error', message: `有效期中的条款 ${cv.clause} 在正文中没有` });
      }
      return { doc, problems };
    } catch (err) {
      if (!(err instanceof DocumentFormatError)) throw err;
      const doc: PolicyDocument = { meta, clauses: [] };
      return { doc, problems: [{ code: 'invalid_metadata', severity: 'error', message: err.message.replace(`${fileName}: `, '') }] };
    }
  }

  private view(d: Draft, meta: DocumentMeta): DraftView {
    const { doc, problems } = this.check(d, meta);
    const clauses = doc.clauses.length > 0 ? doc.clauses : [];
    return { id: d.id, filename: d.filename, status: d.status, docId: d.docId, preview: { ...meta, clauses: clauses.map(preview) }, problems };
  }

  private async announce(doc: PolicyDocument, action: Publication['action'], by: string): Promise<void> {
    const p: Publication = {
      docId: doc.meta.id,
      title: doc.meta.title,
      ...(doc.meta.docNo ? { docNo: doc.meta.docNo } : {}),
      region: doc.meta.region,
      action,
      ...(doc.meta.supersededBy ? { supersededBy: doc.meta.supersededBy } : {}),
      programmeIds: programmesConcerning(this.o.programs, doc),
      by,
      at: this.clock().toISOString(),
    };
    for (const err of await this.o.publications.emit(p)) this.o.log.error({ err, docId: p.docId, action }, 'publication listener failed');
  }
}

function preview(c: Clause): ClausePreview {
  return { label: c.label, heading: c.heading, text: c.text };
}

