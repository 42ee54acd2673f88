/** The ticket API as staff and the bureau's other systems use it, on both backends. */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loggerOptions } from '../../src/server/logger.js';
import { addWorkingDays, INVESTIGATION_WORKING_DAYS } from '../../src/tickets/deadlines.js';
import { BACKENDS } from './backends.js';
import { buildStaffTestApp, USERS, type StaffTestApp } from './helper.js';

// Monday 4 March 2030, 09:00 in Pingdingshan.
const T0 = new Date('2030-03-04T01:00:00.000Z');
type Headers = { authorization: string };

describe.each(BACKENDS)('ticket API (%s)', (backendName) => {
  let t: StaffTestApp;
  let now: Date;
  let staff: Headers;
  let other: Headers;
  let admin: Headers;

  beforeEach(async () => {
    now = T0;
    // Sessions outlive the clock jumps of these tests (auth.test.ts covers expiry).
    const year = 365 * 24 * 3600_000;
    t = await buildStaffTestApp({ backend: backendName, clock: () => now, authPolicy: { idleMs: year, maxMs: year } });
    [staff, other, admin] = await Promise.all([t.as(USERS.staff), t.as(USERS.other), t.as(USERS.admin)]);
  });
  afterEach(async () => {
    await t.close();
  });

  const get = (url: string, headers: Headers = staff) => t.app.inject({ url, headers });
  const post = (url: string, payload: object | undefined, headers: Headers = staff) =>
    t.app.inject({ method: 'POST', url, headers, ...(payload ? { payload } : {}) });

  describe('the queue', () => {
    it('when tickets are listed, then each has id, status, createdAt and the intake fields, most urgent first', async () => {
      const low = await t.file({ priority: 5, county: '叶县' });
      const high = await t.file({ priority: 50, county: '鲁山县' });
      const res = await get('/api/tickets');
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.total).toBe(2);
      expect(body.tickets.map((x: { id: string }) => x.id)).toEqual([high.id, low.id]);
      expect(body.tickets[0]).toMatchObject({
        id: high.id,
        status: 'new',
        createdAt: T0.toISOString(),
        kind: 'wage_arrears',
        workerName: '张师傅',
        phone: '13800138000',
        employer: '平顶山市某建筑劳务有限公司',
        county: '鲁山县',
        amountOwed: 23000,
        evidence: ['考勤表照片', '微信聊天记录'],
        deadline: { kind: 'accept', dueAt: '2030-03-08T09:00:00.000Z', workingDaysLeft: 4, state: 'ok' },
      });
      expect(body.tickets[0]).not.toHaveProperty('transcript');
      expect(body.countsByStatus).toMatchObject({ new: 2, accepted: 0 });
    });

    it('when filtered by status, kind, county, holder, overdue or searched, then only matches come back with counts per status', async () => {
      const a = await t.file({ county: '叶县', phone: '13912345678', employer: '叶县宏达建材厂' });
      const b = await t.file({ county: '鲁山县', kind: 'consultation', acceptDueAt: '2030-03-01T15:59:59.000Z' });
      const c = await t.file({ county: '叶县' });
      await post(`/api/tickets/${c.id}/transition`, { to: 'accepted' });
      const ids = async (query: string, headers: Headers = staff) =>
        ((await get(`/api/tickets?${query}`, headers)).json().tickets as Array<{ id: string }>).map((x) => x.id).sort();

      expect(await ids('status=new')).toEqual([a.id, b.id].sort());
      expect(await ids('status=accepted')).toEqual([c.id]);
      expect(await ids('kind=consultation')).toEqual([b.id]);
      expect(await ids(`county=${encodeURIComponent('叶县')}`)).toEqual([a.id, c.id].sort());
      expect(await ids('assignee=me')).toEqual([c.id]);
      expect(await ids('assignee=me', other)).toEqual([]);
      expect(await ids('assignee=none')).toEqual([a.id, b.id].sort());
      expect(await ids('assignee=li.ming', admin)).toEqual([c.id]);
      expect(await ids('overdue=true')).toEqual([b.id]);
      expect(await ids(`q=${encodeURIComponent('139 1234 5678')}`)).toEqual([a.id]);
      expect(await ids(`q=${encodeURIComponent('宏达')}`)).toEqual([a.id]);
      expect(await ids(`q=${a.id.toLowerCase().replace('-', '')}`)).toEqual([a.id]);

      const counted = (await get(`/api/tickets?status=new&county=${encodeURIComponent('叶县')}`)).json();
      expect(counted.total).toBe(1);
      expect(counted.countsByStatus).toMatchObject({ new: 1, accepted: 1 });
    });

    it('when the query is invalid, then 400 with the catalogue body', async () => {
      const res = await get('/api/tickets?status=lost&limit=0');
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('BAD_REQUEST');
      expect(res.json().error.issues.map((i: { path: string }) => i.path).sort()).toEqual(['limit', 'status']);
    });

    it('when a deadline is one working day away or past, then the ticket is marked so', async () => {
      const soon = await t.file({ acceptDueAt: '2030-03-05T15:59:59.000Z' });
      const past = await t.file({ acceptDueAt: '2030-03-01T15:59:59.000Z' });
      const list = (await get('/api/tickets')).json().tickets as Array<{ id: string; deadline: { state: string; workingDaysLeft: number } }>;
      expect(list.find((x) => x.id === soon.id)?.deadline).toMatchObject({ state: 'soon', workingDaysLeft: 1 });
      expect(list.find((x) => x.id === past.id)?.deadline).toMatchObject({ state: 'overdue', workingDaysLeft: -1 });
    });

    it('when staff take the next ticket, then they get the most urgent unheld new one, held without a lease', async () => {
      await t.file({ priority: 5 });
      const urgent = await t.file({ priority: 80 });
      const res = await post('/api/tickets/claim-next', undefined);
      expect(res.statusCode).toBe(200);
      expect(res.json().ticket).toMatchObject({ id: urgent.id, assignee: 'li.ming', leaseExpiresAt: null });
      await post('/api/tickets/claim-next', undefined, other);
      expect((await post('/api/tickets/claim-next', undefined, admin)).json().ticket).toBeNull();
    });
  });

  describe('a ticket', () => {
    it('when opened, then intake, transcript and history come back and the view is recorded once per half hour', async () => {
      const ticket = await t.file();
      const res = await get(`/api/tickets/${ticket.id}`);
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.ticket).toMatchObject({ id: ticket.id, phone: '13800138000', transcript: ticket.transcript });
      expect(body.events.map((e: { type: string; actor: string }) => [e.type, e.actor])).toEqual([
        ['filed', 'system'],
        ['viewed', 'li.ming'],
      ]);
      await get(`/api/tickets/${ticket.id}`);
      now = new Date(T0.getTime() + 31 * 60_000);
      const later = (await get(`/api/tickets/${ticket.id}`)).json();
      expect(later.events.filter((e: { type: string }) => e.type === 'viewed')).toHaveLength(2);
      expect((await get('/api/tickets/QX300101-ZZZZ')).statusCode).toBe(404);
    });

    it('when claimed, replied to, noted, accepted and resolved, then the worker is told and the history says who did what', async () => {
      const ticket = await t.file();
      expect((await post(`/api/tickets/${ticket.id}/claim`, undefined)).json().ticket.assignee).toBe('li.ming');
      const reply = await post(`/api/tickets/${ticket.id}/replies`, { text: '您好，我们已收到，请保留好考勤记录。' });
      expect(reply.statusCode).toBe(201);
      expect(reply.json().notification).toMatchObject({ channel: 'sms', userId: '13800138000' });
      const note = await post(`/api/tickets/${ticket.id}/notes`, { text: '已电话联系劳务公司' });
      expect(note.statusCode).toBe(201);

      const accepted = await post(`/api/tickets/${ticket.id}/transition`, { to: 'accepted' });
      expect(accepted.statusCode).toBe(200);
      const due = addWorkingDays(T0, INVESTIGATION_WORKING_DAYS).toISOString();
      expect(accepted.json().ticket).toMatchObject({ status: 'accepted', investigationDueAt: due, deadline: { kind: 'investigation', dueAt: due, state: 'ok' } });
      await post(`/api/tickets/${ticket.id}/transition`, { to: 'in_progress' });
      await post(`/api/tickets/${ticket.id}/transition`, { to: 'resolved', notice: '经调解，单位已同意于3月15日前支付。' });

      const outbox = await t.tickets.pendingNotifications();
      expect(outbox.map((n) => n.text)).toEqual([
        `关于工单 ${ticket.id}：您好，我们已收到，请保留好考勤记录。`,
        expect.stringContaining('已受理'),
        expect.stringContaining('正在调查处理'),
        '经调解，单位已同意于3月15日前支付。',
      ]);
      expect(outbox.every((n) => n.userId === '13800138000' && n.channel === 'sms')).toBe(true);

      const history = (await get(`/api/tickets/${ticket.id}`)).json().events as Array<{ type: string; actor: string; at: string; data: Record<string, unknown> }>;
      expect(history.filter((e) => e.type !== 'viewed').map((e) => [e.type, e.actor, e.data.to ?? e.data.text ?? null])).toEqual([
        ['filed', 'system', null],
        ['claimed', 'li.ming', null],
        ['reply', 'li.ming', '您好，我们已收到，请保留好考勤记录。'],
        ['note', 'li.ming', '已电话联系劳务公司'],
        ['status', 'li.ming', 'accepted'],
        ['status', 'li.ming', 'in_progress'],
        ['status', 'li.ming', 'resolved'],
      ]);
      expect(history.every((e) => e.at === T0.toISOString())).toBe(true);
    });

    it('when refused without a reason, then 400; with one, the worker is told the reason', async () => {
      const ticket = await t.file();
      const bare = await post(`/api/tickets/${ticket.id}/transition`, { to: 'refused' });
      expect(bare.statusCode).toBe(400);
      expect(bare.json().error.issues).toEqual([expect.objectContaining({ path: 'reason' })]);
      const res = await post(`/api/tickets/${ticket.id}/transition`, { to: 'refused', reason: '不属于本局管辖，请向郑州市人社局反映' });
      expect(res.statusCode).toBe(200);
      expect(res.json().ticket).toMatchObject({ status: 'refused', refusalReason: '不属于本局管辖，请向郑州市人社局反映', deadline: null });
      const [notice] = await t.tickets.pendingNotifications();
      expect(notice?.text).toContain('不属于本局管辖');
    });

    it('when a move is not allowed from the current status, then 409 and nothing changes', async () => {
      const ticket = await t.file();
      const res = await post(`/api/tickets/${ticket.id}/transition`, { to: 'closed' });
      expect(res.statusCode).toBe(409);
      expect((await t.tickets.get(ticket.id))?.status).toBe('new');
      expect(await t.tickets.pendingNotifications()).toEqual([]);
    });

    it('when reopened and resumed, then a new 60-working-day investigation period starts', async () => {
      const ticket = await t.file();
      await post(`/api/tickets/${ticket.id}/transition`, { to: 'refused', reason: '材料不全' });
      now = new Date('2030-04-01T01:00:00.000Z');
      await post(`/api/tickets/${ticket.id}/transition`, { to: 'reopened' });
      const res = await post(`/api/tickets/${ticket.id}/transition`, { to: 'in_progress' });
      expect(res.json().ticket.investigationDueAt).toBe(addWorkingDays(now, INVESTIGATION_WORKING_DAYS).toISOString());
    });

    it('when someone else holds the ticket, then staff may note but not claim, reply or change it; an admin may', async () => {
      const ticket = await t.file();
      await post(`/api/tickets/${ticket.id}/claim`, undefined, other);
      expect((await post(`/api/tickets/${ticket.id}/claim`, undefined)).statusCode).toBe(409);
      expect((await post(`/api/tickets/${ticket.id}/replies`, { text: '抢答' })).statusCode).toBe(403);
      expect((await post(`/api/tickets/${ticket.id}/transition`, { to: 'accepted' })).statusCode).toBe(403);
      expect((await post(`/api/tickets/${ticket.id}/release`, undefined)).statusCode).toBe(409);
      expect((await post(`/api/tickets/${ticket.id}/notes`, { text: '我也了解这家公司' })).statusCode).toBe(201);
      expect((await post(`/api/tickets/${ticket.id}/replies`, { text: '管理员答复' }, admin)).statusCode).toBe(201);
    });

    it('when reassigned, then only an admin may, only to an enabled account, and the history says so', async () => {
      const ticket = await t.file();
      expect((await post(`/api/tickets/${ticket.id}/assign`, { assignee: 'wang.fang' })).statusCode).toBe(403);
      expect((await post(`/api/tickets/${ticket.id}/assign`, { assignee: 'nobody' }, admin)).statusCode).toBe(400);
      const res = await post(`/api/tickets/${ticket.id}/assign`, { assignee: 'wang.fang' }, admin);
      expect(res.statusCode).toBe(200);
      expect(res.json().ticket.assignee).toBe('wang.fang');
      expect((await post(`/api/tickets/${ticket.id}/release`, undefined, admin)).json().ticket.assignee).toBeNull();
      const events = await t.tickets.events(ticket.id);
      expect(events.filter((e) => e.type === 'assigned').map((e) => [e.actor, e.data])).toEqual([
        ['admin', { from: null, to: 'wang.fang' }],
        ['admin', { from: 'wang.fang', to: null }],
      ]);
    });

    it('when the holder releases it, then it is back in the queue for anyone', async () => {
      const ticket = await t.file();
      await post(`/api/tickets/${ticket.id}/claim`, undefined);
      const res = await post(`/api/tickets/${ticket.id}/release`, undefined);
      expect(res.json().ticket.assignee).toBeNull();
      expect((await post(`/api/tickets/${ticket.id}/claim`, undefined, other)).statusCode).toBe(200);
    });

    it('when a reply is empty or too long, then it is refused before anything is sent', async () => {
      const ticket = await t.file();
      expect((await post(`/api/tickets/${ticket.id}/replies`, { text: '   ' })).statusCode).toBe(400);
      expect((await post(`/api/tickets/${ticket.id}/replies`, { text: '长'.repeat(2001) })).statusCode).toBe(400);
      expect(await t.tickets.pendingNotifications()).toEqual([]);
    });
  });

  describe('the dashboard', () => {
    it('when asked, then it gives per day and county, median time to acceptance, overdue, and no question list when none is wired', async () => {
      const a = await t.file({ county: '叶县' });
      await t.file({ county: '叶县', acceptDueAt: '2030-03-01T15:59:59.000Z' });
      await t.file({ county: null });
      now = new Date(T0.getTime() + 5 * 3600_000);
      await post(`/api/tickets/${a.id}/transition`, { to: 'accepted' });
      const res = await get('/api/stats');
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({
        tickets: {
          total: 3,
          perDay: [{ day: '2030-03-04', count: 3 }],
          perCounty: [
            { county: '叶县', count: 2 },
            { county: '未知', count: 1 },
          ],
          medianMsToAcceptance: 5 * 3600_000,
          overdue: 1,
        },
        unanswered: null,
      });
    });
  });
});

describe('what the staff side logs and shows', () => {
  it('when the assistant reports unanswered questions, then the dashboard lists them', async () => {
    const unanswered = { list: async (limit: number) => [{ text: '平顶山最低工资是多少', at: '2030-03-04T01:00:00.000Z', count: 7 }].slice(0, limit) };
    const t = await buildStaffTestApp({ unanswered });
    try {
      const res = await t.app.inject({ url: '/api/stats', headers: await t.as() });
      expect(res.json().unanswered).toEqual([{ text: '平顶山最低工资是多少', at: '2030-03-04T01:00:00.000Z', count: 7 }]);
    } finally {
      await t.close();
    }
  });

  it('when staff log in, search by phone and open a ticket with an ID number, then no log line holds a full phone or ID number', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const t = await buildStaffTestApp({ loggerInstance: pino(loggerOptions('debug'), sink) });
    try {
      const ticket = await t.file({ phone: '13912345678', description: '身份证410402199001011234，电话13912345678' });
      const h = await t.as();
      await t.app.inject({ url: `/api/tickets?q=13912345678`, headers: h });
      await t.app.inject({ url: `/api/tickets/${ticket.id}`, headers: h });
      await t.app.inject({ method: 'POST', url: `/api/tickets/${ticket.id}/notes`, headers: h, payload: { text: '回电13912345678' } });
      const all = lines.join('');
      expect(all).toContain('staff logged in');
      expect(all).not.toContain('13912345678');
      expect(all).not.toContain('410402199001011234');
      expect(all).not.toContain(USERS.staff.password);
    } finally {
      await t.close();
    }
  });

  it('when the OpenAPI document is read, then every staff operation is listed and each but log-in refuses a call without a token', async () => {
    const t = await buildStaffTestApp();
    try {
      const doc = (await t.app.inject({ url: '/api/docs/json' })).json() as {
        paths: Record<string, Record<string, { security?: unknown[] }>>;
      };
      const operations = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => [m.toUpperCase(), path] as const));
      expect(operations).toEqual(
        expect.arrayContaining([
          ['POST', '/api/staff/login'],
          ['GET', '/api/tickets'],
          ['GET', '/api/tickets/{id}'],
          ['POST', '/api/tickets/{id}/replies'],
          ['POST', '/api/tickets/{id}/transition'],
          ['GET', '/api/stats'],
          ['GET', '/api/staff/accounts'],
        ]),
      );
      expect(operations.some(([, p]) => p.startsWith('/staff') || p.startsWith('/api/docs'))).toBe(false);
      for (const [method, path] of operations) {
        if (path === '/api/staff/login') continue;
        expect(doc.paths[path]![method.toLowerCase()]!.security, `${method} ${path}`).toEqual([{ bearerAuth: [] }]);
        const url = path.replace('{id}', 'QX300101-AAAA').replace('{username}', 'li.ming');
        const res = await t.app.inject({ method: method as 'GET', url, payload: method === 'GET' ? undefined : {} });
        expect(res.statusCode, `${method} ${path}`).toBe(401);
      }
      const ui = await t.app.inject({ url: '/api/docs' });
      expect([200, 302]).toContain(ui.statusCode);
    } finally {
      await t.close();
    }
  });
});
