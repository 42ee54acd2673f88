/**
 * Retention (issue 19, item 2): a ticket closed more than TICKET_RETENTION_DAYS ago loses the worker's
 * personal data — in the ticket, its events, its notifications, the owner index, the search and the
 * idempotency record — on both backends; a ticket closed more recently, or not closed, keeps it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startRetentionJob } from '../../src/tickets/retention-job.js';
import type { TicketStore } from '../../src/tickets/ticket-store.js';
import { BACKENDS, backend, type Backend } from '../storage/backends.js';
import { wageComplaint } from './ticket-input.js';

const DAY = 24 * 3600_000;
const staff = { actor: 'li.ming' };

describe.each(BACKENDS)('closed tickets past the retention period (%s)', (name) => {
  let b: Backend;
  let now: Date;
  let store: TicketStore;

  beforeEach(() => {
    b = backend(name);
    now = new Date('2030-03-01T02:00:00Z');
    store = b.openTickets({ clock: () => now });
  });
  afterEach(async () => {
    await b.dispose();
  });

  const fileAndClose = async (phone: string, workerName: string, key: string) => {
    const { ticket } = await store.file(wageComplaint({ userId: phone, phone, workerName, description: `${workerName}说老板欠了三个月工资` }), key);
    await store.reply(ticket.id, 'li.ming', `${workerName}您好，请带欠条来监察窗口`);
    for (const to of ['accepted', 'in_progress', 'resolved', 'closed'] as const) await store.transition(ticket.id, to, staff);
    return ticket;
  };

  it('anonymises only what is due, and returns the ids', async () => {
    const old = await fileAndClose('13800003333', '李师傅', 'sms:a');
    now = new Date(now.getTime() + 200 * DAY);
    const recent = await fileAndClose('13800004444', '周师傅', 'sms:b');
    expect(await store.anonymiseClosed(new Date(now.getTime() - 180 * DAY), 180)).toEqual([old.id]);
    expect((await store.get(recent.id))!.anonymisedAt ?? null).toBeNull();
  });

  it('deletes the personal data of a ticket closed 181 days ago, keeps the figures, and leaves the others alone', async () => {
    const old = await fileAndClose('13800001111', '王师傅', 'sms:old');
    const open = (await store.file(wageComplaint({ userId: '13800001111', phone: '13800001111', workerName: '王师傅' }), 'sms:open')).ticket;
    now = new Date(now.getTime() + 100 * DAY);
    const recent = await fileAndClose('13900002222', '赵师傅', 'sms:recent');
    now = new Date(now.getTime() + 81 * DAY);

    // The job's run at start anonymises the old ticket; a later run finds nothing more.
    const job = startRetentionJob(store, { days: 180, clock: () => now, intervalMs: 3600_000 });
    await job.stop();
    expect((await store.get(old.id))!.anonymisedAt).toBe(now.toISOString());
    expect(await store.anonymiseClosed(new Date(now.getTime() - 180 * DAY), 180)).toEqual([]);

    const after = (await store.get(old.id))!;
    expect(after).toMatchObject({ workerName: null, phone: null, description: null, transcript: [], userId: 'anonymised', status: 'closed' });
    expect(after.anonymisedAt).toBe(now.toISOString());
    // What the statistics need stays.
    expect(after).toMatchObject({ employer: old.employer, county: old.county, amountOwed: old.amountOwed, createdAt: old.createdAt, kind: 'wage_arrears' });
    const events = await store.events(old.id);
    const everything = JSON.stringify([after, events, await store.pendingNotifications(1000)]);
    expect(everything).not.toContain('13800001111');
    expect(everything).not.toContain('王师傅');
    expect(events.at(-1)).toMatchObject({ type: 'note', actor: 'system', data: { text: '办结满180天，个人信息已删除' } });
    expect(events.find((e) => e.type === 'filed')?.data).not.toHaveProperty('idempotencyKey');

    // Not found by the phone number or the sender any more; the other tickets still are.
    expect((await store.list({ q: '13800001111' })).tickets.map((t) => t.id)).toEqual([open.id]);
    expect((await store.findForOwner('sms', '13800001111')).map((t) => t.id)).toEqual([open.id]);
    expect((await store.get(recent.id))!).toMatchObject({ phone: '13900002222', workerName: '赵师傅' });
    expect((await store.get(open.id))!).toMatchObject({ phone: '13800001111', status: 'new' });
    expect(JSON.stringify(await store.events(recent.id))).toContain('赵师傅您好');

    // The dashboard still counts the ticket.
    expect((await store.stats(now)).byStatus.closed).toBe(2);
  });
});
