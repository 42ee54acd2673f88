/**
 * Issue 18, item 2 through the real HTTP interfaces, on both storage backends: 有用 / 没用 on an
 * answer (the page's button, a typed "没用" on SMS and WeChat), the console's grouped list of misses
 * with what was answered and why, and the three staff fixes — a clause for a wording, an alias for a
 * programme, a grounded facet — live at once (on Redis, on another gateway too), each audited; bad
 * input refused with a clear error and nothing changed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reply } from '../../src/core/types.js';
import { ADMIN, dropPrefix, openFeedbackApp, STAFF, type Backend, type FeedbackApp } from '../helpers/feedback-app.js';

const FEEDBACK_REPLY = /谢谢您告诉我们.*12333.*转人工/s;
const answerIdOf = (replies: Reply[]) => replies.map((r) => r.answerId).find(Boolean);
const text = (replies: Reply[]) => replies.map((r) => r.text).join('\n');

interface Group {
  label: string;
  count: number;
  items: Array<{ kind: string; question: string; answer: string | null; rules: string[]; source: string | null; reason: string | null; nextClauses: Array<{ clauseId: string; title: string; docNo: string | null; clause: string; excerpt: string }> }>;
}

describe.each(['sqlite', 'redis'] as Backend[])('feedback and staff fixes (%s)', (backend) => {
  let t: FeedbackApp;
  const run = Math.random().toString(36).slice(2, 8);
  const user = (name: string) => `${name}-${run}`;
  beforeAll(async () => {
    t = await openFeedbackApp(backend);
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    if (backend === 'redis') await dropPrefix(t.prefix);
  });

  const misses = async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/staff/misses', headers: await t.as(STAFF) });
    expect(res.statusCode).toBe(200);
    return (res.json() as { groups: Group[] }).groups;
  };
  const fixes = async () => (await t.app.inject({ method: 'GET', url: '/api/staff/fixes', headers: await t.as(STAFF) })).json() as { version: number; log: Array<{ kind: string; by: string; what: string }> };
  const audits = async () =>
    ((await t.app.inject({ method: 'GET', url: '/api/staff/audit?action=knowledge_fixed', headers: await t.as(ADMIN) })).json() as { entries: Array<{ actor: string; data: Record<string, unknown> }> }).entries;

  it('when a citizen taps 没用 under an answer on the page, then it is recorded once, for that conversation only', async () => {
    const me = user('web-a');
    const replies = await t.chat(me, '公益性岗位工资多少');
    const answerId = answerIdOf(replies);
    expect(answerId).toMatch(/^[0-9a-f-]{36}$/);
    // The id is on the last reply of the answer.
    expect(replies.at(-1)?.answerId).toBe(answerId);

    const vote = (payload: object) => t.app.inject({ method: 'POST', url: '/api/chat/feedback', payload });
    const first = await vote({ userId: me, answerId, verdict: 'useless' });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ recorded: true, text: '谢谢您的评价' });
    expect((await vote({ userId: me, answerId, verdict: 'useless' })).json()).toMatchObject({ recorded: false });
    // Another page cannot rate (nor probe) someone else's answer.
    const other = await vote({ userId: user('web-x'), answerId, verdict: 'useless' });
    expect(other.statusCode).toBe(404);
    for (const bad of [{ userId: me, answerId, verdict: 'meh' }, { userId: me, answerId: 'x', verdict: 'useless' }, { answerId, verdict: 'useless' }]) {
      const res = await vote(bad);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('BAD_REQUEST');
    }
    const useless = await t.assistant.feedback.answers.verdicts('useless');
    expect(useless.filter((v) => v.id === answerId)).toHaveLength(1);
    expect(useless.find((v) => v.id === answerId)).toMatchObject({ via: 'button', question: '公益性岗位工资多少', channel: 'web' });
  });

  it('when someone on SMS or WeChat sends a bare 没用 / 不对吧 after an answer, then it counts as 没用; "不对 是前年毕业" is no verdict', async () => {
    const engine = t.assistant.engine;
    const say = (channel: 'sms' | 'wechat', userId: string, message: string) => engine.handle({ channel, userId, text: message, receivedAt: new Date() });
    const phone = `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
    const asked = await say('sms', phone, '公益性岗位工资是多少钱');
    const smsAnswer = answerIdOf(asked.replies);
    expect(smsAnswer).toBeDefined();
    const verdict = await say('sms', phone, '没用');
    expect(verdict.intent).toBe('answer_feedback');
    expect(text(verdict.replies)).toMatch(FEEDBACK_REPLY);

    const openid = user('oWx');
    const wx = answerIdOf((await say('wechat', openid, '见习补贴多少钱')).replies);
    expect(text((await say('wechat', openid, '不对吧？')).replies)).toMatch(FEEDBACK_REPLY);
    const useless = await t.assistant.feedback.answers.verdicts('useless');
    expect(useless.find((v) => v.id === smsAnswer)).toMatchObject({ via: 'typed', channel: 'sms' });
    // The phone number is no part of what staff see.
    expect(JSON.stringify(useless)).not.toContain(phone);
    expect(useless.find((v) => v.id === wx)).toMatchObject({ via: 'typed', channel: 'wechat' });

    // A correction of a fact goes on to the question, and rates nothing.
    const before = useless.length;
    const grad = user('oWx-grad');
    await say('wechat', grad, '大专毕业生有什么补贴');
    const corrected = await say('wechat', grad, '不对 是前年毕业');
    expect(corrected.intent).not.toBe('answer_feedback');
    expect(text(corrected.replies)).not.toMatch(FEEDBACK_REPLY);
    expect(await t.assistant.feedback.answers.verdicts('useless')).toHaveLength(before);
  });

  it('when staff open the misses, then similar questions are one group, each with the answer, the rules fired and the next-ranked clauses', async () => {
    await t.chat(user('web-c'), '后天会下雨不'); // not covered: logged as unanswered
    const groups = await misses();
    const jobs = groups.find((g) => g.items.some((i) => i.question === '公益性岗位工资多少'));
    expect(jobs).toBeDefined();
    // The two wordings of the same miss (web button, SMS "没用") are one group.
    expect(jobs!.items.map((i) => i.question).sort()).toEqual(['公益性岗位工资多少', '公益性岗位工资是多少钱']);
    const item = jobs!.items.find((i) => i.question === '公益性岗位工资多少')!;
    expect(item.kind).toBe('useless');
    expect(item.answer).toBeTruthy();
    expect(item.rules.length).toBeGreaterThan(0);
    expect(['catalogue', 'retrieval', 'none']).toContain(item.source);
    expect(item.nextClauses).toHaveLength(3);
    expect(item.nextClauses[0]).toMatchObject({ clauseId: expect.stringContaining('#'), title: expect.any(String) });
    // The 见习 miss is a group of its own.
    expect(groups.find((g) => g.items.some((i) => i.question === '见习补贴多少钱'))).not.toBe(jobs);
    const rain = groups.flatMap((g) => g.items).find((i) => i.question === '后天会下雨不');
    expect(rain).toMatchObject({ kind: 'unanswered', reason: 'out_of_scope' });
    expect(rain!.answer).toContain('不在我掌握的就业创业政策文件范围内');
  });

  it('when an administrator chooses a clause for a miss, then the same question — also with other punctuation and spaces — is answered from it, with title, 文号 and clause', async () => {
    const groups = await misses();
    const item = groups.flatMap((g) => g.items).find((i) => i.question === '公益性岗位工资多少')!;
    // The clause ranked third, not what was answered.
    const chosen = item.nextClauses[2]!;
    const post = async (who: typeof ADMIN | typeof STAFF, payload: object) =>
      t.app.inject({ method: 'POST', url: '/api/staff/fixes/clause', headers: await t.as(who), payload });

    const version = (await fixes()).version;
    const auditsBefore = (await audits()).length;
    // Staff may look, not edit knowledge; unknown clauses and empty questions are refused; nothing changes.
    expect((await post(STAFF, { question: item.question, clause: chosen.clauseId })).statusCode).toBe(403);
    const unknown = await post(ADMIN, { question: item.question, clause: 'no-such-doc#第九十九条' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.message).toContain('没有这一条款');
    const empty = await post(ADMIN, { question: '？？', clause: chosen.clauseId });
    expect(empty.statusCode).toBe(400);
    expect((await post(ADMIN, { question: item.question, clause: chosen.clauseId, extra: 1 })).statusCode).toBe(400);
    expect((await fixes()).version).toBe(version);
    expect(await audits()).toHaveLength(auditsBefore);
    expect(text(await t.chat(user('web-d0'), '公益性岗位工资多少'))).not.toContain(chosen.excerpt.slice(0, 20));

    const ok = await post(ADMIN, { question: item.question, clause: chosen.clauseId });
    expect(ok.statusCode).toBe(200);
    for (const wording of ['公益性岗位工资多少', '公益性岗位  工资多少？', '公益性岗位，工资多少!']) {
      const replies = await t.chat(user(`web-d-${wording.length}`), wording);
      const answer = text(replies);
      expect(answer).toContain(chosen.excerpt.slice(0, 20));
      expect(replies[0]!.citations[0]).toMatchObject({ docNo: chosen.docNo, clause: chosen.clause });
      expect(answer).toContain(`出处：《`);
      if (chosen.docNo) expect(answer).toContain(chosen.docNo);
      // Answers from a fix can be rated too, and their rules say where they came from.
      const snapshot = await t.assistant.feedback.answers.get(answerIdOf(replies)!);
      expect(snapshot).toMatchObject({ source: 'staff-fix' });
    }
    const entries = await audits();
    expect(entries).toHaveLength(auditsBefore + 1);
    expect(entries[0]).toMatchObject({ actor: ADMIN.username, data: { kind: 'clause', clauseId: chosen.clauseId } });
    expect((await fixes()).log[0]).toMatchObject({ kind: 'clause', by: ADMIN.username });
  });

  it('when an administrator adds a wording as a programme alias, then a question with that wording reaches the programme', async () => {
    const programme = 'henan-poverty-flexible-employment-insurance-subsidy';
    const rulesOf = async (q: string) => (await t.assistant.feedback.answers.get(answerIdOf(await t.chat(user(`web-e-${Math.random()}`), q))!))!.rules;
    const question = '灵工险补贴怎么领';
    expect((await rulesOf(question)).join(' ')).not.toContain(`program:${programme}`);

    const post = async (payload: object) => t.app.inject({ method: 'POST', url: '/api/staff/fixes/alias', headers: await t.as(ADMIN), payload });
    const version = (await fixes()).version;
    expect((await post({ wording: '灵工险补贴', programId: 'no-such-programme' })).statusCode).toBe(400);
    expect((await post({ wording: '险', programId: programme })).statusCode).toBe(400);
    // Another programme's name is not taken over.
    const taken = await post({ wording: '跨省就业交通补助', programId: programme });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error.message).toContain('henan-poverty-cross-province-transport');
    expect((await fixes()).version).toBe(version);

    expect((await post({ wording: '灵工险补贴', programId: programme })).statusCode).toBe(200);
    expect((await rulesOf(question)).join(' ')).toContain(`program:${programme}`);
    expect((await audits())[0]).toMatchObject({ actor: ADMIN.username, data: { kind: 'alias', wording: '灵工险补贴', programId: programme } });
  });

  it('when an administrator writes a facet, then a wrong figure is refused by the grounding check and a grounded one answers at once', async () => {
    const post = async (payload: object) => t.app.inject({ method: 'POST', url: '/api/staff/fixes/facet', headers: await t.as(ADMIN), payload });
    const programId = 'henan-poverty-cross-province-transport';
    const cite = ['henan-2021-4-employment-assistance#第三条'];
    const version = (await fixes()).version;
    const auditsBefore = (await audits()).length;

    const wrong = await post({ programId, facet: 'amount', answer: '跨省就业的脱贫人口每人一次性补助500元交通费。', cite });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.message).toContain('未通过依据核对');
    expect(wrong.json().error.issues[0].message).toContain('500');
    expect((await post({ programId, facet: 'amount', answer: '跨省就业交通补助', cite: ['henan-2021-4-employment-assistance#第九十九条'] })).statusCode).toBe(400);
    expect((await post({ programId, facet: 'colour', answer: '跨省就业交通补助标准', cite })).statusCode).toBe(400);
    expect((await fixes()).version).toBe(version);
    expect(await audits()).toHaveLength(auditsBefore);
    expect(text(await t.chat(user('web-f0'), '跨省就业交通补助多少钱'))).not.toContain('以当地人社部门公布的为准');

    const ok = await post({ programId, facet: 'amount', answer: '文件只说适当安排一次性交通补助，没有写具体标准，以当地人社部门公布的为准。', cite });
    expect(ok.statusCode).toBe(200);
    expect(text(await t.chat(user('web-f1'), '跨省就业交通补助多少钱'))).toContain('以当地人社部门公布的为准');
    expect((await audits())[0]).toMatchObject({ data: { kind: 'facet', programId, facet: 'amount' } });
  });

  it.runIf(backend === 'redis')('when a fix is saved on one gateway, then another gateway sharing Redis answers by it without a restart', async () => {
    const other = await openFeedbackApp('redis', t.prefix);
    try {
      const ranked = t.assistant.feedback.fixes.rankedClauses('零工市场在哪', 3);
      const chosen = ranked[1]!;
      const res = await t.app.inject({ method: 'POST', url: '/api/staff/fixes/clause', headers: await t.as(ADMIN), payload: { question: '零工市场在哪', clause: chosen.clauseId } });
      expect(res.statusCode).toBe(200);
      expect(text(await other.chat(user('web-g'), '零工市场在哪？'))).toContain(chosen.excerpt.slice(0, 20));
    } finally {
      await other.close();
    }
  });
});
