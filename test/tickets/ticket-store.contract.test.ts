import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TicketConflictError, TicketNotFoundError } from '../../src/tickets/ticket-errors.js';
import { TICKET_ID_PATTERN } from '../../src/tickets/ticket-id.js';
import type { TicketStore } from '../../src/tickets/ticket-store.js';
import type { Ticket } from '../../src/tickets/types.js';
import { BACKENDS, backend, type Backend } from '../storage/backends.js';
import { wageComplaint } from './ticket-input.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const staff = { actor: 'li.ming' };

describe.each(BACKENDS)('TicketStore contract (%s)', (name) => {
  let b: Backend;
  let store: TicketStore;

  beforeEach(() => {
    b = backend(name);
    store = b.openTickets();
  });
  afterEach(async () => {
    await b.dispose();
  });

  const fileOne = async (overrides = {}, key = crypto.randomUUID()) => (await store.file(wageComplaint(overrides), key)).ticket;

  describe('filing', () => {
    it('when a wage complaint is filed, then it is new, numbered, complete and has a filed event', async () => {
      const { ticket, created } = await store.file(wageComplaint(), 'sms:msg-1');
      expect(created).toBe(true);
      expect(ticket.id).toMatch(TICKET_ID_PATTERN);
      expect(ticket).toMatchObject({
        status: 'new',
        kind: 'wage_arrears',
        employer: '平顶山市某建筑劳务有限公司',
        amountOwed: 23000,
        evidence: ['考勤表照片', '微信聊天记录'],
        assignee: null,
        refusalReason: null,
      });
      expect(ticket.transcript).toHaveLength(2);
      expect(await store.get(ticket.id)).toEqual(ticket);
      const events = await store.events(ticket.id);
      expect(events.map((e) => [e.type, e.actor])).toEqual([['filed', 'system']]);
    });

    it('when a filing misses required fields, then it is rejected and nothing is stored', async () => {
      await expect(store.file({ ...wageComplaint(), acceptDueAt: 'tomorrow' }, 'k-bad')).rejects.toThrow();
      expect((await store.list()).total).toBe(0);
    });

    it('when the same key is filed 20 times at once from two processes, then there is one ticket', async () => {
      const other = b.openTickets();
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => (i % 2 ? other : store).file(wageComplaint(), 'wechat:retry-7')),
      );
      expect(new Set(results.map((r) => r.ticket.id)).size).toBe(1);
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect((await store.list()).total).toBe(1);
      expect(await store.events(results[0]!.ticket.id)).toHaveLength(1);
    });

    it('when the drawn number is already taken, then another one is drawn', async () => {
      const draws = ['QX300101-AAAA', 'QX300101-AAAA', 'QX300101-AAAA', 'QX300101-BBBB'];
      const drawing = b.openTickets({ newId: () => draws.shift()! });
      expect((await drawing.file(wageComplaint(), 'first')).ticket.id).toBe('QX300101-AAAA');
      expect((await drawing.file(wageComplaint(), 'second')).ticket.id).toBe('QX300101-BBBB');
      expect(draws).toEqual([]);
    });

    it('when 2 000 tickets are filed, then every id is distinct and well formed', async () => {
      const ids: string[] = [];
      for (let batch = 0; batch < 20; batch++) {
        const filed = await Promise.all(
          Array.from({ length: 100 }, (_, i) => store.file(wageComplaint({ transcript: [] }), `bulk-${batch}-${i}`)),
        );
        ids.push(...filed.map((r) => r.ticket.id));
      }
      expect(new Set(ids).size).toBe(2000);
      expect(ids.every((id) => TICKET_ID_PATTERN.test(id))).toBe(true);
      expect((await store.list({ limit: 1 })).total).toBe(2000);
    });
  });

  describe('lifecycle', () => {
    it('when staff carry a ticket through its life, then each step is recorded and the worker is told', async () => {
      const t = await fileOne();
      const accepted = await store.transition(t.id, 'accepted', { ...staff, investigationDueAt: '2030-04-01T09:00:00Z' });
      expect(accepted).toMatchObject({ status: 'accepted', assignee: 'li.ming', investigationDueAt: '2030-04-01T09:00:00.000Z' });
      expect(accepted.acceptedAt).not.toBeNull();
      await store.transition(t.id, 'in_progress', staff);
      const resolved = await store.transition(t.id, 'resolved', staff);
      expect(resolved.resolvedAt).not.toBeNull();
      await store.transition(t.id, 'closed', staff);
      await store.transition(t.id, 'reopened', { actor: 'li.ming', notice: '您的工单已重新开启，我们会再次核实。' });
      const resumed = await store.transition(t.id, 'in_progress', staff);
      expect(resumed).toMatchObject({ status: 'in_progress', closedAt: null, resolvedAt: null });

      const statusEvents = (await store.events(t.id)).filter((e) => e.type === 'status');
      expect(statusEvents.map((e) => e.data.to)).toEqual(['accepted', 'in_progress', 'resolved', 'closed', 'reopened', 'in_progress']);
      const outbox = await store.pendingNotifications(50);
      expect(outbox).toHaveLength(6);
      expect(outbox.every((o) => o.ticketId === t.id && o.channel === 'sms' && o.userId === '13800138000')).toBe(true);
      expect(outbox[0]!.text).toContain(t.id);
      expect(outbox[0]!.text).toContain('已受理');
      expect(outbox[4]!.text).toBe('您的工单已重新开启，我们会再次核实。');
    });

    it('when a transition is not allowed, then CONFLICT is thrown and nothing changed', async () => {
      const t = await fileOne();
      const before = { ticket: await store.get(t.id), events: await store.events(t.id), outbox: await store.pendingNotifications() };
      const err = await store.transition(t.id, 'resolved', staff).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TicketConflictError);
      expect(err).toMatchObject({ code: 'CONFLICT', status: 409, ticketStatus: 'new' });
      await expect(store.transition(t.id, 'reopened', staff)).rejects.toMatchObject({ code: 'CONFLICT' });
      expect({ ticket: await store.get(t.id), events: await store.events(t.id), outbox: await store.pendingNotifications() }).toEqual(before);
    });

    it('when staff refuse without a reason, then it is rejected; with one, the worker gets the reason', async () => {
      const t = await fileOne();
      await expect(store.transition(t.id, 'refused', { ...staff, reason: '  ' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
      expect((await store.get(t.id))!.status).toBe('new');
      const refused = await store.transition(t.id, 'refused', { ...staff, reason: '不属于本局管辖，请向郏县人社局反映' });
      expect(refused).toMatchObject({ status: 'refused', refusalReason: '不属于本局管辖，请向郏县人社局反映' });
      const [notice] = await store.pendingNotifications();
      expect(notice!.text).toContain('不属于本局管辖');
    });

    it('when a refused ticket is reopened, then it resumes as an accepted case', async () => {
      const t = await fileOne();
      await store.transition(t.id, 'refused', { ...staff, reason: '材料不全' });
      await store.transition(t.id, 'reopened', staff);
      const resumed = await store.transition(t.id, 'in_progress', staff);
      expect(resumed).toMatchObject({ status: 'in_progress', refusalReason: null });
      expect(resumed.acceptedAt).not.toBeNull();
    });

    it('when the ticket does not exist, then NOT_FOUND is thrown', async () => {
      await expect(store.transition('QX300101-ZZZZ', 'accepted', staff)).rejects.toBeInstanceOf(TicketNotFoundError);
      expect(await store.get('QX300101-ZZZZ')).toBeNull();
      expect(await store.events('QX300101-ZZZZ')).toEqual([]);
    });
  });

  describe('notes, replies and the outbox', () => {
    it('when staff write a note, then it is in the history and the worker is not told', async () => {
      const t = await fileOne();
      const note = await store.addNote(t.id, 'li.ming', '已电话联系用人单位');
      expect(note).toMatchObject({ type: 'note', actor: 'li.ming', data: { text: '已电话联系用人单位' } });
      expect(await store.pendingNotifications()).toEqual([]);
    });

    it('when staff reply, then the reply event and the outbox entry are written together', async () => {
      const t = await fileOne();
      const { event, notification } = await store.reply(t.id, 'li.ming', '请携带考勤记录到新华区劳动监察大队');
      expect(event).toMatchObject({ type: 'reply', data: { notificationId: notification.id } });
      expect(notification).toMatchObject({ ticketId: t.id, channel: 'sms', userId: '13800138000', deliveredAt: null });
      expect(await store.pendingNotifications()).toEqual([notification]);
      expect((await store.events(t.id)).map((e) => e.type)).toEqual(['filed', 'reply']);
    });

    it('when a notification is delivered, then it is no longer pending, even if marked twice', async () => {
      const t = await fileOne();
      const first = (await store.reply(t.id, 'li.ming', '第一条')).notification;
      const second = (await store.reply(t.id, 'li.ming', '第二条')).notification;
      expect((await store.pendingNotifications()).map((n) => n.id)).toEqual([first.id, second.id]);
      await store.markDelivered(first.id);
      await store.markDelivered(first.id);
      await store.markDelivered('no-such-entry');
      expect((await store.pendingNotifications()).map((n) => n.id)).toEqual([second.id]);
    });

    it('when a worker asks about a ticket, then a viewed event is recorded', async () => {
      const t = await fileOne();
      await store.recordView(t.id, 'worker');
      expect((await store.events(t.id)).map((e) => [e.type, e.actor])).toEqual([
        ['filed', 'system'],
        ['viewed', 'worker'],
      ]);
    });
  });

  describe('owners', () => {
    it('when a worker looks up tickets, then only their own come back, newest first', async () => {
      const mine1 = await fileOne({ channel: 'wechat', userId: 'openid-a' });
      await sleep(5);
      const mine2 = await fileOne({ channel: 'wechat', userId: 'openid-a' });
      const theirs = await fileOne({ channel: 'wechat', userId: 'openid-b' });
      const sameIdOtherChannel = await fileOne({ channel: 'sms', userId: 'openid-a' });
      expect((await store.findForOwner('wechat', 'openid-a')).map((t) => t.id)).toEqual([mine2.id, mine1.id]);
      expect(await store.getForOwner(mine1.id, 'wechat', 'openid-a')).toMatchObject({ id: mine1.id });
      expect(await store.getForOwner(theirs.id, 'wechat', 'openid-a')).toBeNull();
      expect(await store.getForOwner(sameIdOtherChannel.id, 'wechat', 'openid-a')).toBeNull();
      expect(await store.getForOwner('QX300101-ZZZZ', 'wechat', 'openid-a')).toBeNull();
    });
  });

  describe('the staff queue', () => {
    async function seed(): Promise<Record<string, Ticket>> {
      const t = {
        urgent: await fileOne({ priority: 90, county: '郏县', acceptDueAt: '2030-03-10T00:00:00Z', employer: '郏县宏达建材厂' }),
        early: await fileOne({ priority: 50, county: '新华区', acceptDueAt: '2030-03-02T00:00:00Z', phone: '13911112222' }),
        late: await fileOne({ priority: 50, county: '新华区', acceptDueAt: '2030-03-05T00:00:00Z' }),
        overdue: await fileOne({ priority: 10, county: '郏县', acceptDueAt: '2020-01-01T00:00:00Z' }),
        consult: await fileOne({ kind: 'consultation', priority: 0, county: null, employer: null, amountOwed: null }),
      };
      await store.transition(t.late.id, 'accepted', { actor: 'wang.fang', investigationDueAt: '2030-04-01T00:00:00Z' });
      return t;
    }

    it('when listing everything, then tickets come by priority, then by acceptance deadline', async () => {
      const t = await seed();
      const page = await store.list();
      expect(page.tickets.map((x) => x.id)).toEqual([t.urgent!.id, t.early!.id, t.late!.id, t.overdue!.id, t.consult!.id]);
      expect(page.total).toBe(5);
      expect(page.countsByStatus).toMatchObject({ new: 4, accepted: 1, refused: 0 });
    });

    it('when filtering by status, then total counts the tab and countsByStatus every tab', async () => {
      const t = await seed();
      const page = await store.list({ status: 'new', limit: 2 });
      expect(page.tickets.map((x) => x.id)).toEqual([t.urgent!.id, t.early!.id]);
      expect(page.total).toBe(4);
      expect(page.countsByStatus).toMatchObject({ new: 4, accepted: 1 });
      const next = await store.list({ status: 'new', limit: 2, offset: 2 });
      expect(next.tickets.map((x) => x.id)).toEqual([t.overdue!.id, t.consult!.id]);
    });

    it('when filtering by kind, county, assignee or deadline, then only matches count', async () => {
      const t = await seed();
      const ids = async (f: Parameters<TicketStore['list']>[0]) => (await store.list(f)).tickets.map((x) => x.id);
      expect(await ids({ kind: 'consultation' })).toEqual([t.consult!.id]);
      expect(await ids({ county: '郏县' })).toEqual([t.urgent!.id, t.overdue!.id]);
      expect(await ids({ assignee: 'wang.fang' })).toEqual([t.late!.id]);
      expect(await ids({ assignee: null, county: '新华区' })).toEqual([t.early!.id]);
      expect(await ids({ overdueAt: '2025-06-01T00:00:00Z' })).toEqual([t.overdue!.id]);
      const county = await store.list({ county: '新华区', status: 'accepted' });
      expect(county.total).toBe(1);
      expect(county.countsByStatus).toMatchObject({ new: 1, accepted: 1 });
    });

    it('when staff search, then id, phone and employer match', async () => {
      const t = await seed();
      const ids = async (q: string) => (await store.list({ q })).tickets.map((x) => x.id);
      expect(await ids('宏达')).toEqual([t.urgent!.id]);
      expect(await ids('1391111')).toEqual([t.early!.id]);
      expect(await ids(t.late!.id.slice(-6).toLowerCase())).toEqual([t.late!.id]);
      expect(await ids('50%')).toEqual([]);
    });

    it('when there are 10 000 tickets, then a filtered page is still correct', async () => {
      const counties = ['新华区', '卫东区', '郏县', '宝丰县'];
      for (let batch = 0; batch < 50; batch++) {
        await Promise.all(
          Array.from({ length: 200 }, (_, i) => {
            const n = batch * 200 + i;
            return store.file(
              wageComplaint({ transcript: [], priority: n % 7, county: counties[n % 4]!, acceptDueAt: new Date(Date.UTC(2030, 0, 1) + n * 60_000).toISOString() }),
              `big-${n}`,
            );
          }),
        );
      }
      const page = await store.list({ county: '郏县', limit: 20 });
      expect(page.total).toBe(2500);
      expect(page.tickets).toHaveLength(20);
      const sorted = [...page.tickets].sort((a, c) => c.priority - a.priority || a.acceptDueAt.localeCompare(c.acceptDueAt));
      expect(page.tickets).toEqual(sorted);
      expect(page.tickets[0]!.priority).toBe(6);
      expect((await store.list({ status: 'new', limit: 1 })).total).toBe(10_000);
    }, 120_000);
  });

  describe('claiming and the work queue', () => {
    it('when staff take the next ticket, then they get the most urgent one nobody holds', async () => {
      const low = await fileOne({ priority: 1 });
      const high = await fileOne({ priority: 80 });
      const first = await store.claimNext('li.ming', 60_000);
      expect(first).toMatchObject({ id: high.id, assignee: 'li.ming', status: 'new' });
      expect(first!.leaseExpiresAt).not.toBeNull();
      expect((await store.claimNext('wang.fang', 60_000))!.id).toBe(low.id);
      expect(await store.claimNext('zhao.lei', 60_000)).toBeNull();
    });

    it('when several staff take tickets at once, then nobody gets the same ticket', async () => {
      for (let i = 0; i < 6; i++) await fileOne({ priority: i });
      const other = b.openTickets();
      const got = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 ? other : store).claimNext(`staff${i}`, 60_000)));
      const ids = got.filter((t): t is Ticket => t !== null).map((t) => t.id);
      expect(ids).toHaveLength(6);
      expect(new Set(ids).size).toBe(6);
    });

    it('when a lease is not renewed, then the ticket becomes claimable again', async () => {
      const t = await fileOne();
      expect((await store.claimNext('li.ming', 50))!.id).toBe(t.id);
      expect(await store.claimNext('wang.fang', 50)).toBeNull();
      await sleep(120);
      const again = await store.claimNext('wang.fang', 60_000);
      expect(again).toMatchObject({ id: t.id, assignee: 'wang.fang' });
      const released = (await store.events(t.id)).find((e) => e.type === 'released');
      expect(released).toMatchObject({ actor: 'system', data: { reason: 'lease_expired', holder: 'li.ming' } });
    });

    it('when leases expire, then reclaimExpired frees them and says how many', async () => {
      await fileOne();
      await fileOne();
      await store.claimNext('li.ming', 50);
      await store.claimNext('li.ming', 60_000);
      await sleep(120);
      expect(await store.reclaimExpired()).toBe(1);
      expect((await store.list({ assignee: null })).total).toBe(1);
    });

    it('when the holder renews or accepts in time, then the ticket stays theirs', async () => {
      const t = await fileOne();
      await store.claimNext('li.ming', 80);
      await sleep(40);
      await store.renewLease(t.id, 'li.ming', 60_000);
      await sleep(60);
      expect(await store.claimNext('wang.fang', 50)).toBeNull();
      const accepted = await store.transition(t.id, 'accepted', staff);
      expect(accepted).toMatchObject({ assignee: 'li.ming', leaseExpiresAt: null });
    });

    it('when someone else holds a ticket, then claim and release are refused', async () => {
      const t = await fileOne();
      await store.claim(t.id, 'li.ming');
      await expect(store.claim(t.id, 'wang.fang')).rejects.toMatchObject({ code: 'CONFLICT' });
      await expect(store.release(t.id, 'wang.fang')).rejects.toMatchObject({ code: 'CONFLICT' });
      await expect(store.renewLease(t.id, 'wang.fang', 1000)).rejects.toMatchObject({ code: 'CONFLICT' });
      const released = await store.release(t.id, 'li.ming');
      expect(released.assignee).toBeNull();
      expect((await store.claimNext('wang.fang', 1000))!.id).toBe(t.id);
    });

    it('when a supervisor assigns, then the holder changes and it leaves the work queue', async () => {
      const t = await fileOne();
      await store.claim(t.id, 'li.ming');
      const assigned = await store.assign(t.id, 'wang.fang', 'admin');
      expect(assigned.assignee).toBe('wang.fang');
      const ev = (await store.events(t.id)).at(-1);
      expect(ev).toMatchObject({ type: 'assigned', actor: 'admin', data: { from: 'li.ming', to: 'wang.fang' } });
      expect(await store.claimNext('zhao.lei', 1000)).toBeNull();
      await store.assign(t.id, null, 'admin');
      expect((await store.claimNext('zhao.lei', 1000))!.id).toBe(t.id);
    });

    it('when a ticket is closed, then it cannot be claimed', async () => {
      const t = await fileOne();
      await store.transition(t.id, 'refused', { ...staff, reason: '重复投诉' });
      await expect(store.claim(t.id, 'wang.fang')).rejects.toBeInstanceOf(TicketConflictError);
    });
  });

  describe('stats', () => {
    it('when the dashboard asks, then it gets per-day, per-county, median acceptance time and overdue', async () => {
      let now = new Date('2030-03-01T02:00:00Z');
      const clocked = b.openTickets({ clock: () => now });
      const a = (await clocked.file(wageComplaint({ county: '郏县', acceptDueAt: '2030-03-02T00:00:00Z' }), 's1')).ticket;
      const c = (await clocked.file(wageComplaint({ county: '郏县', acceptDueAt: '2030-03-09T00:00:00Z' }), 's2')).ticket;
      now = new Date('2030-03-01T17:00:00Z'); // 01:00 on 2 March in China
      await clocked.file(wageComplaint({ county: null, acceptDueAt: '2030-03-10T00:00:00Z' }), 's3');
      now = new Date('2030-03-01T04:00:00Z');
      await clocked.transition(a.id, 'accepted', staff); // 2 h after filing
      now = new Date('2030-03-01T06:00:00Z');
      await clocked.transition(c.id, 'accepted', { ...staff, investigationDueAt: '2030-03-03T00:00:00Z' }); // 4 h
      const stats = await clocked.stats(new Date('2030-03-05T00:00:00Z'));
      expect(stats).toMatchObject({
        total: 3,
        byStatus: { new: 1, accepted: 2 },
        perDay: [
          { day: '2030-03-01', count: 2 },
          { day: '2030-03-02', count: 1 },
        ],
        perCounty: [
          { county: '郏县', count: 2 },
          { county: '未知', count: 1 },
        ],
        medianMsToAcceptance: 3 * 3600_000,
        overdue: 1,
      });
    });
  });
});
