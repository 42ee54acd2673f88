/**
 * Staff fixes to what the assistant answers, live without a restart: a layer over the knowledge (the
 * index and the catalogue are held elsewhere and may be swapped by publishing; this layer only
 * reads them through a getter).
 *
 * - clause: a question's wording (questionKey) is answered from the clause staff chose;
 * - alias: a wording now names a programme of the catalogue (the question is read with the
 *   programme's name in place of the wording, so the matcher, routing and retrieval all see it);
 * - facet: a programme's facet written or adjusted by staff, accepted only when grounded.
 *
 * All fixes are one document in the session store (SQLite or Redis, shared by every gateway) with a
 * version key: a gateway reads the version before answering and reloads the document when it moved,
 * and also checks it every second in the background (the reading of a question is synchronous).
 * Writes take the store's lock, so two staff saving at once never lose each other's fix.
 */
import type { Logger } from 'pino';
import { z } from 'zod';
import { buildQuery } from '../answers/policy-answer.js';
import type { Reply } from '../core/types.js';
import type { SessionStore } from '../dialogue/session-store.js';
import type { ClauseIndex } from '../knowledge/clause-index.js';
import { citationFor } from '../knowledge/documents.js';
import type { Clause, PolicyDocument } from '../knowledge/types.js';
import type { CatalogueAnswerer } from '../programs/catalogue-answer.js';
import { FACETS, FacetEntry, type Facet, type Program } from '../programs/catalogue.js';
import { checkFacet, clauseLookup, type GroundingProblem } from '../programs/grounding.js';
import { ApiError } from '../server/errors.js';
import { questionKey } from './question-key.js';

/** What the layer reads; a getter, because publishing may swap the index and catalogue. */
export interface KnowledgeView {
  documents: PolicyDocument[];
  index: ClauseIndex;
  catalogue: CatalogueAnswerer;
}

const Stamp = { by: z.string(), at: z.string() };
const ClauseFix = z.object({ key: z.string(), question: z.string(), clauseId: z.string(), ...Stamp });
const AliasFix = z.object({ wording: z.string(), programId: z.string(), ...Stamp });
const FacetFix = z.object({ programId: z.string(), facet: z.enum(FACETS), entry: z.unknown(), ...Stamp });
const LogEntry = z.object({ kind: z.enum(['clause', 'alias', 'facet']), what: z.string(), ...Stamp });
const FixesDoc = z.object({
  version: z.number().int(),
  clauses: z.array(ClauseFix),
  aliases: z.array(AliasFix),
  facets: z.array(FacetFix),
  log: z.array(LogEntry),
});
export type FixesDocument = z.infer<typeof FixesDoc>;
export type FixLogEntry = z.infer<typeof LogEntry>;

const DOC_KEY = 'fixes:doc';
const VERSION_KEY = 'fixes:version';
const LOCK_KEY = 'fixes:write';
/** Fixes are knowledge: kept as long as the store keeps anything (ten years). */
const KEEP_SECONDS = 10 * 365 * 24 * 3600;
const MAX_CLAUSE_FIXES = 1000;
const MAX_ALIASES = 1000;
const MAX_LOG = 1000;
/** Every gateway checks the version this often in the background. */
const POLL_MS = 1000;
const ORIGINAL_CHARS = 600;

const empty = (): FixesDocument => ({ version: 0, clauses: [], aliases: [], facets: [], log: [] });
const compact = (s: string): string => s.normalize('NFKC').replace(/[\s\p{P}\p{S}]/gu, '');

export interface RankedClause {
  clauseId: string;
  title: string;
  docNo: string | null;
  clause: string;
  score: number;
  excerpt: string;
}

export class FixRefused extends ApiError {
  constructor(message: string, issues: Array<{ path: string; message: string }> = []) {
    super('BAD_REQUEST', message, issues);
  }
}

export class StaffFixes {
  private doc: FixesDocument = empty();
  private clauseByKey = new Map<string, z.infer<typeof ClauseFix>>();
  private readonly facetsApplied = new WeakMap<CatalogueAnswerer, number>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly store: SessionStore,
    private readonly knowledge: () => KnowledgeView,
    private readonly log?: Pick<Logger, 'warn'>,
  ) {}

  /** Loads the fixes and keeps checking the version in the background. */
  async start(): Promise<void> {
    // A store that is down at start (Redis away) must not keep the gateway from starting: the fixes
    // load on the next poll, and chats meanwhile get the store's own 503.
    await this.refresh().catch((err: unknown) => this.log?.warn({ err }, 'staff fixes: not loaded at start; retrying in the background'));
    this.timer = setInterval(() => void this.refresh().catch((err: unknown) => this.log?.warn({ err }, 'staff fixes: reload failed')), POLL_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Reloads when another gateway (or this one) saved a newer version. */
  async refresh(): Promise<void> {
    const version = Number((await this.store.get<number>(VERSION_KEY)) ?? 0);
    if (version !== this.doc.version) {
      const parsed = FixesDoc.safeParse(await this.store.get(DOC_KEY));
      this.use(parsed.success ? parsed.data : empty());
    }
    this.applyFacets();
  }

  current(): FixesDocument {
    return this.doc;
  }

  // ---- reading a question ---------------------------------------------------------------------

  /** The question with a staff alias replaced by its programme's name (longest alias first). */
  rewrite(text: string): string {
    if (this.doc.aliases.length === 0) return text;
    const { catalogue } = this.knowledge();
    for (const a of this.doc.aliases) {
      const program = catalogue.program(a.programId);
      if (!program || !text.includes(a.wording)) continue;
      if (text.includes(program.name)) return text;
      return text.replace(a.wording, program.name);
    }
    return text;
  }

  /** The clause staff chose for this wording, as a reply with its source; null when there is none. */
  answerFor(text: string): { reply: Reply; clauseId: string; by: string } | null {
    const fix = this.clauseByKey.get(questionKey(text));
    if (!fix) return null;
    const found = this.findClause(fix.clauseId);
    if (!found) return null;
    return { reply: clauseReply(found.doc, found.clause), clauseId: found.clause.id, by: fix.by };
  }

  // ---- fixing ---------------------------------------------------------------------------------

  async fixClause(input: { question: string; clause: string }, by: string, at: Date): Promise<{ clauseId: string; reply: Reply }> {
    const key = questionKey(input.question);
    if (!key) throw new FixRefused('问题不能为空', [{ path: 'question', message: 'empty after normalising' }]);
    const found = this.findClause(input.clause);
    if (!found) throw new FixRefused(`没有这一条款：${input.clause}`, [{ path: 'clause', message: 'no such clause (use an id from the ranked clauses, or <文件id>#<条款>)' }]);
    const clauseId = found.clause.id;
    await this.write(at, (doc) => {
      doc.clauses = [...doc.clauses.filter((c) => c.key !== key), { key, question: input.question.trim().slice(0, 200), clauseId, by, at: at.toISOString() }].slice(-MAX_CLAUSE_FIXES);
      return { kind: 'clause', what: `「${input.question.trim().slice(0, 100)}」→ ${clauseId}` };
    }, by);
    return { clauseId, reply: clauseReply(found.doc, found.clause) };
  }

  async addAlias(input: { wording: string; programId: string }, by: string, at: Date): Promise<{ wording: string; program: string }> {
    const wording = compact(input.wording);
    if (wording.length < 2 || wording.length > 30) throw new FixRefused('别名应为2–30个字', [{ path: 'wording', message: '2–30 characters' }]);
    const { catalogue } = this.knowledge();
    const program = catalogue.program(input.programId);
    if (!program) throw new FixRefused(`没有这个项目：${input.programId}`, [{ path: 'programId', message: 'no such programme' }]);
    const taken =
      catalogue.programs.find((p) => p.id !== program.id && [p.name, ...p.aliases].some((n) => compact(n) === wording))?.id ??
      this.doc.aliases.find((a) => a.wording === wording && a.programId !== program.id)?.programId;
    if (taken) throw new ApiError('CONFLICT', `「${wording}」已是另一个项目（${taken}）的名称`);
    await this.write(at, (doc) => {
      // Longest first: "灵活就业补贴" wins over "补贴" inside it.
      doc.aliases = [...doc.aliases.filter((a) => a.wording !== wording), { wording, programId: program.id, by, at: at.toISOString() }]
        .sort((a, b) => b.wording.length - a.wording.length)
        .slice(0, MAX_ALIASES);
      return { kind: 'alias', what: `「${wording}」→ ${program.id}（${program.name}）` };
    }, by);
    return { wording, program: program.id };
  }

  /** A facet written by staff: refused unless every figure in it is in the clauses it cites. */
  async setFacet(input: { programId: string; facet: Facet; answer: string; cite: string[] }, by: string, at: Date): Promise<{ program: string; facet: Facet }> {
    const { catalogue, documents } = this.knowledge();
    const program = catalogue.program(input.programId);
    if (!program) throw new FixRefused(`没有这个项目：${input.programId}`, [{ path: 'programId', message: 'no such programme' }]);
    const parsed = FacetEntry.safeParse({ answer: input.answer, cite: input.cite });
    if (!parsed.success) throw new FixRefused('答复格式不对', parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
    const problems = groundingProblems(program, input.facet, parsed.data, documents);
    if (problems.length > 0) {
      throw new FixRefused(`未通过依据核对：${problems.map((p) => p.problem).join('；')}`, problems.map((p) => ({ path: 'answer', message: p.problem })));
    }
    await this.write(at, (doc) => {
      doc.facets = [...doc.facets.filter((f) => !(f.programId === program.id && f.facet === input.facet)), { programId: program.id, facet: input.facet, entry: parsed.data, by, at: at.toISOString() }];
      return { kind: 'facet', what: `${program.id}.${input.facet}：${parsed.data.answer}（${parsed.data.cite.join('、')}）` };
    }, by);
    return { program: program.id, facet: input.facet };
  }

  /** The catalogue's programmes, for choosing where an alias belongs. */
  programmes(): Array<{ id: string; name: string; region: string; aliases: string[]; facets: string[] }> {
    return this.knowledge().catalogue.programs.map((p) => ({
      id: p.id,
      name: p.name,
      region: p.region,
      aliases: [...p.aliases, ...this.doc.aliases.filter((a) => a.programId === p.id).map((a) => a.wording)],
      facets: Object.keys(p.facets),
    }));
  }

  /** The clauses the index ranks best for a question: what staff choose from. */
  rankedClauses(question: string, limit = 3): RankedClause[] {
    const { index } = this.knowledge();
    return index.search(buildQuery(question), { region: null, limit }).map((hit) => ({
      clauseId: hit.clause.id,
      title: hit.doc.title,
      docNo: hit.doc.docNo,
      clause: hit.clause.label,
      score: Math.round(hit.score * 10) / 10,
      excerpt: hit.passage.slice(0, 120),
    }));
  }

  // ---- internals ------------------------------------------------------------------------------

  /** A clause by its id ("<doc>#一、/（二）") or as the catalogue cites it ("<doc>#一、（二）"). */
  findClause(ref: string): { doc: PolicyDocument; clause: Clause } | null {
    const { documents } = this.knowledge();
    const wanted = ref.trim();
    for (const doc of documents) {
      const clause = doc.clauses.find((c) => c.id === wanted);
      if (clause) return { doc, clause };
    }
    const kb = clauseLookup(documents);
    const clause = kb.clauses(wanted)[0];
    const doc = clause && kb.document(clause.docId);
    return clause && doc ? { doc, clause } : null;
  }

  private use(doc: FixesDocument): void {
    this.doc = doc;
    this.clauseByKey = new Map(doc.clauses.map((c) => [c.key, c]));
  }

  /**
   * Staff facets are put into the catalogue's programmes (once per catalogue and version): a new
   * catalogue from publishing gets them again on the next refresh.
   */
  private applyFacets(): void {
    const { catalogue } = this.knowledge();
    if (this.facetsApplied.get(catalogue) === this.doc.version) return;
    for (const f of this.doc.facets) {
      const program = catalogue.program(f.programId);
      const entry = FacetEntry.safeParse(f.entry);
      if (program && entry.success) program.facets[f.facet] = entry.data;
    }
    this.facetsApplied.set(catalogue, this.doc.version);
  }

  private async write(at: Date, change: (doc: FixesDocument) => { kind: FixLogEntry['kind']; what: string }, by: string): Promise<void> {
    let token: string | null = null;
    for (let i = 0; i < 50 && !(token = await this.store.tryLock(LOCK_KEY, 5000)); i++) await new Promise((r) => setTimeout(r, 50));
    if (!token) throw new ApiError('UNAVAILABLE', '知识修正正被他人保存，请稍后再试');
    try {
      const parsed = FixesDoc.safeParse(await this.store.get(DOC_KEY));
      const doc = parsed.success ? parsed.data : empty();
      const logged = change(doc);
      doc.log = [...doc.log, { ...logged, by, at: at.toISOString() }].slice(-MAX_LOG);
      doc.version += 1;
      await this.store.set(DOC_KEY, doc, KEEP_SECONDS);
      await this.store.set(VERSION_KEY, doc.version, KEEP_SECONDS);
      this.use(doc);
      this.applyFacets();
    } finally {
      await this.store.unlock(LOCK_KEY, token);
    }
  }
}

/** The grounding check of the catalogue (figures in the cited clauses; the clauses of the programme's region). */
export function groundingProblems(program: Program, facet: string, entry: FacetEntry, documents: PolicyDocument[]): GroundingProblem[] {
  const kb = clauseLookup(documents);
  const problems = checkFacet(program, facet, entry, kb);
  for (const ref of entry.cite) {
    const c = kb.clauses(ref)[0];
    const doc = c && kb.document(c.docId);
    if (doc && doc.meta.region !== program.region) problems.push({ program: program.id, facet, problem: `${ref} 属于${doc.meta.region}，项目是${program.region}的` });
  }
  return problems;
}

/** A clause as an answer: its text (cut at ORIGINAL_CHARS) and its source line. */
export function clauseReply(doc: PolicyDocument, clause: Clause): Reply {
  const c = citationFor(doc, clause);
  const body = `${clause.heading ?? ''}${clause.text}`.trim();
  const text = body.length > ORIGINAL_CHARS ? `${body.slice(0, ORIGINAL_CHARS)}……` : body;
  return { text: `${text}\n出处：《${c.title}》${c.docNo ? `（${c.docNo}）` : ''}${c.clause ? ` ${c.clause}` : ''}`, citations: [c] };
}
