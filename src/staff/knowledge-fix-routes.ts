/**
 * The console's review of misses and the staff fixes (issue 18, item 2):
 *
 *   GET  /api/staff/misses        answers marked 没用 and unanswered questions, grouped, each with the
 *                                 answer given, the rules that fired and the clauses ranked next
 *   GET  /api/staff/fixes         the fixes in force and who made each, when
 *   GET  /api/staff/programmes    the catalogue's programmes (for choosing an alias's programme)
 *   POST /api/staff/fixes/clause  this wording is answered from this clause       (admin)
 *   POST /api/staff/fixes/alias   this wording names this programme               (admin)
 *   POST /api/staff/fixes/facet   a programme's facet, accepted only when grounded (admin)
 *
 * Knowledge is edited by administrators only (the roles of src/staff); every fix is in the audit trail.
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AnswerLog } from '../feedback/answer-log.js';
import { groupMisses, type MissItem } from '../feedback/miss-groups.js';
import type { StaffFixes } from '../feedback/staff-fixes.js';
import { FACETS } from '../programs/catalogue.js';
import type { Clock } from '../tickets/ticket-store.js';
import type { StaffAccountStore } from './account-store.js';
import { bearer, errors } from './api-schemas.js';
import { newAuditEntry } from './audit.js';
import { adminOnly, staffUser } from './auth-hook.js';

export interface KnowledgeFixOptions {
  answers: AnswerLog;
  fixes: StaffFixes;
  unanswered?: { list(limit: number): Promise<Array<{ text: string; reason?: string; at: string; count: number }>> } | undefined;
}

const Citation = z.object({ title: z.string(), docNo: z.string().nullable(), clause: z.string().nullable() });
const Ranked = z.object({ clauseId: z.string(), title: z.string(), docNo: z.string().nullable(), clause: z.string(), score: z.number(), excerpt: z.string() });
const MissItemOut = z.object({
  kind: z.enum(['useless', 'unanswered']),
  question: z.string(),
  count: z.number().int(),
  at: z.string(),
  answer: z.string().nullable(),
  answerId: z.string().nullable(),
  handler: z.string().nullable(),
  rules: z.array(z.string()),
  source: z.string().nullable(),
  citations: z.array(Citation),
  reason: z.string().nullable(),
  nextClauses: z.array(Ranked),
});
const MissesOut = z.object({
  groups: z.array(z.object({ label: z.string(), programme: z.string().nullable(), count: z.number().int(), items: z.array(MissItemOut) })),
});
const Stamp = { by: z.string(), at: z.string() };
const FixesOut = z.object({
  version: z.number().int(),
  clauses: z.array(z.object({ question: z.string(), clauseId: z.string(), ...Stamp })),
  aliases: z.array(z.object({ wording: z.string(), programId: z.string(), ...Stamp })),
  facets: z.array(z.object({ programId: z.string(), facet: z.string(), answer: z.string(), cite: z.array(z.string()), ...Stamp })),
  log: z.array(z.object({ kind: z.enum(['clause', 'alias', 'facet']), what: z.string(), ...Stamp })),
});

const Question = z.string().trim().min(1, '请填写问题').max(200, '问题最长200字');
const ClauseBody = z.object({ question: Question, clause: z.string().trim().min(3, '请选择或填写条款').max(200) }).strict();
const AliasBody = z.object({ wording: z.string().trim().min(2, '别名至少2个字').max(30, '别名最长30字'), programId: z.string().trim().regex(/^[a-z0-9-]+$/, '项目编号不对') }).strict();
const FacetBody = z
  .object({
    programId: z.string().trim().regex(/^[a-z0-9-]+$/, '项目编号不对'),
    facet: z.enum(FACETS),
    answer: z.string().trim().min(4, '答复至少4个字').max(160, '答复最长160字'),
    cite: z.array(z.string().trim().min(3).max(200)).min(1, '至少引用一个条款').max(5),
  })
  .strict();

const MISS_SOURCES = 200;
const NEXT_CLAUSES = 3;

export const knowledgeFixRoutes: FastifyPluginAsync<KnowledgeFixOptions & { accounts: StaffAccountStore; clock: Clock }> = async (app, opts) => {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['知识修正'];
  const audit = (req: FastifyRequest, data: Record<string, unknown>) =>
    opts.accounts.appendAudit(newAuditEntry(opts.clock(), staffUser(req).username, 'knowledge_fixed', { ip: req.ip ?? null, data }));

  api.get(
    '/api/staff/misses',
    {
      schema: {
        tags,
        summary: '没用的回答与未能回答的问题，按相近问法归组；附回答、触发的规则、排名靠前的条款',
        security: bearer,
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(MISS_SOURCES).default(100) }),
        response: { 200: MissesOut, ...errors(400, 401) },
      },
    },
    async (req) => {
      const { limit } = req.query;
      const [useless, unanswered] = await Promise.all([opts.answers.verdicts('useless', limit), opts.unanswered?.list(limit) ?? []]);
      const items: MissItem[] = useless.map((v) => ({
        kind: 'useless',
        question: v.question,
        count: v.count,
        at: v.votedAt,
        answer: v.answer,
        answerId: v.id,
        handler: v.handler,
        rules: v.rules,
        source: v.source,
        citations: v.citations,
        reason: null,
        nextClauses: opts.fixes.rankedClauses(v.question, NEXT_CLAUSES),
      }));
      for (const u of unanswered) {
        const snapshot = await opts.answers.byQuestion(u.text);
        items.push({
          kind: 'unanswered',
          question: u.text,
          count: u.count,
          at: u.at,
          answer: snapshot?.answer ?? null,
          answerId: snapshot?.id ?? null,
          handler: snapshot?.handler ?? null,
          rules: snapshot?.rules ?? [],
          source: snapshot?.source ?? null,
          citations: snapshot?.citations ?? [],
          reason: u.reason ?? null,
          nextClauses: opts.fixes.rankedClauses(u.text, NEXT_CLAUSES),
        });
      }
      return { groups: groupMisses(items) };
    },
  );

  api.get(
    '/api/staff/fixes',
    { schema: { tags, summary: '生效中的知识修正及其记录（谁、何时、改了什么）', security: bearer, response: { 200: FixesOut, ...errors(401) } } },
    async () => {
      await opts.fixes.refresh();
      const doc = opts.fixes.current();
      return {
        version: doc.version,
        clauses: doc.clauses.map(({ key: _key, ...c }) => c),
        aliases: doc.aliases,
        facets: doc.facets.map((f) => {
          const e = f.entry as { answer?: unknown; cite?: unknown };
          return { programId: f.programId, facet: f.facet, answer: String(e.answer ?? ''), cite: Array.isArray(e.cite) ? e.cite.map(String) : [], by: f.by, at: f.at };
        }),
        log: [...doc.log].reverse(),
      };
    },
  );

  api.get(
    '/api/staff/programmes',
    {
      schema: {
        tags,
        summary: '政策项目目录（供选择别名所属项目）',
        security: bearer,
        response: { 200: z.object({ programmes: z.array(z.object({ id: z.string(), name: z.string(), region: z.string(), aliases: z.array(z.string()), facets: z.array(z.string()) })) }), ...errors(401) },
      },
    },
    async () => ({ programmes: opts.fixes.programmes() }),
  );

  const fixed = { 200: z.object({ ok: z.literal(true), version: z.number().int(), detail: z.record(z.string(), z.unknown()) }), ...errors(400, 401, 403, 409) };

  api.post(
    '/api/staff/fixes/clause',
    { schema: { tags, summary: '指定回答某问法的条款（同样的问法此后按该条款回答）', security: bearer, body: ClauseBody, response: fixed }, preHandler: adminOnly },
    async (req) => {
      const me = staffUser(req);
      const r = await opts.fixes.fixClause(req.body, me.username, opts.clock());
      await audit(req, { kind: 'clause', question: req.body.question, clauseId: r.clauseId });
      return { ok: true as const, version: opts.fixes.current().version, detail: { clauseId: r.clauseId, answer: r.reply.text } };
    },
  );

  api.post(
    '/api/staff/fixes/alias',
    { schema: { tags, summary: '把一种说法加为项目的别名（立即生效）', security: bearer, body: AliasBody, response: fixed }, preHandler: adminOnly },
    async (req) => {
      const r = await opts.fixes.addAlias(req.body, staffUser(req).username, opts.clock());
      await audit(req, { kind: 'alias', wording: r.wording, programId: r.program });
      return { ok: true as const, version: opts.fixes.current().version, detail: r };
    },
  );

  api.post(
    '/api/staff/fixes/facet',
    { schema: { tags, summary: '编写或修改项目的一条答复；须通过依据核对（数字须出自所引条款）', security: bearer, body: FacetBody, response: fixed }, preHandler: adminOnly },
    async (req) => {
      const r = await opts.fixes.setFacet(req.body, staffUser(req).username, opts.clock());
      await audit(req, { kind: 'facet', programId: r.program, facet: r.facet, answer: req.body.answer, cite: req.body.cite });
      return { ok: true as const, version: opts.fixes.current().version, detail: r };
    },
  );
};
