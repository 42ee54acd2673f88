/**
 * Telling the worker about staff replies and status changes, on the channel they used, through the
 * outbox the real SQLite ticket store writes in the same commit as the change.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Channel } from '../../src/core/types.js';
import {
  deliverPending,
  loggingOutbound,
  GIVE_UP_AFTER_DAYS,
  routeByChannel,
  startNotificationPoller,
  Undeliverable,
  undeliveredNote,
  type Outbound,
} from '../../src/complaints/notifier.js';
import { createStores, type Stores } from '../../src/storage/create-stores.js';
import { wageComplaint } from '../tickets/ticket-input.js';

interface Sent {
  channel: Channel;
  userId: string;
  text: string;
}

function recorder(): Outbound & { sent: Sent[] } {
  const sent: Sent[] = [];
  return {
    sent,
    async send(channel, userId, text) {
      sent.push({ channel, userId, text });
    },
  };
}

let dir: string;
let stores: Stores;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'epa-notify-'));
  stores = createStores({ dataDir: dir });
});
afterEach(async () => {
  await stores.close();
  rmSync(dir, { recursive: true, force: true });
});

async function fileAndWork(): Promise<string> {
  const { ticket } = await stores.tickets.file(wageComplaint({ channel: 'wechat', userId: 'o_wx_1' }), 'k1');
  await stores.tickets.transition(ticket.id, 'accepted', { actor: 'zhang', investigationDueAt: '2027-02-20T15:59:59.000Z' });
  await stores.tickets.reply(ticket.id, 'zhang', '已联系厂方，请保持电话畅通。');
  return ticket.id;
}

describe('when staff accept a ticket and reply', () => {
  it('then the worker is told both, in order, on the channel they used, and nothing is sent twice', async () => {
    const id = await fileAndWork();
    const out = recorder();
    expect(await deliverPending(stores.tickets, out)).toEqual({ sent: 2, failed: 0, undeliverable: 0 });
    expect(out.sent.map((s) => [s.channel, s.userId])).toEqual([
      ['wechat', 'o_wx_1'],
      ['wechat', 'o_wx_1'],
    ]);
    expect(out.sent[0]!.text).toContain(`${id}）已受理`);
    expect(out.sent[1]!.text).toContain('已联系厂方，请保持电话畅通。');
    expect(await deliverPending(stores.tickets, out)).toEqual({ sent: 0, failed: 0, undeliverable: 0 });
    expect(await stores.tickets.pendingNotifications()).toEqual([]);
  });

  it('then a send that fails stays pending and goes out on the next round (at least once)', async () => {
    await fileAndWork();
    let calls = 0;
    const flaky: Outbound = {
      async send() {
        calls++;
        if (calls === 1) throw new Error('WeChat 45015: reply time limit exceeded');
      },
    };
    const warn = vi.fn();
    expect(await deliverPending(stores.tickets, flaky, { log: { warn } })).toEqual({ sent: 1, failed: 1, undeliverable: 0 });
    expect(warn).toHaveBeenCalledOnce();
    expect(await stores.tickets.pendingNotifications()).toHaveLength(1);
    const out = recorder();
    expect(await deliverPending(stores.tickets, out)).toEqual({ sent: 1, failed: 0, undeliverable: 0 });
    expect(out.sent).toHaveLength(1);
  });

  it('then the poller delivers them without being asked, and stops cleanly', async () => {
    await fileAndWork();
    const out = recorder();
    const poller = startNotificationPoller(stores.tickets, out, { intervalMs: 5 });
    await vi.waitFor(() => expect(out.sent).toHaveLength(2));
    await poller.stop();
    expect(await stores.tickets.pendingNotifications()).toEqual([]);
    expect(poller.totals()).toEqual([{ channel: 'wechat', outcome: 'sent', count: 2 }]);
  });

  it('then the poller counts what it could not deliver, by channel and outcome', async () => {
    await fileAndWork();
    let calls = 0;
    const flaky: Outbound = {
      async send() {
        // The first send fails for now (retried), every later one can never succeed.
        if (calls++ === 0) throw new Error('connection reset');
        throw new Undeliverable('用户已取消关注公众号');
      },
    };
    const poller = startNotificationPoller(stores.tickets, flaky, { intervalMs: 5 });
    await vi.waitFor(async () => expect(await stores.tickets.pendingNotifications()).toEqual([]));
    await poller.stop();
    expect(poller.totals()).toEqual(
      expect.arrayContaining([
        { channel: 'wechat', outcome: 'failed', count: 1 },
        { channel: 'wechat', outcome: 'undeliverable', count: 2 },
      ]),
    );
    expect(poller.totals()).toHaveLength(2);
  });
});

describe('when a notification cannot reach the worker', () => {
  const notes = async (id: string) =>
    (await stores.tickets.events(id)).filter((e) => e.type === 'note').map((e) => [e.actor, e.data.text]);

  it('then it is not retried, and the ticket tells staff what was not delivered and why', async () => {
    const id = await fileAndWork();
    const [accepted, reply] = await stores.tickets.pendingNotifications();
    const gone: Outbound = {
      async send() {
        throw new Undeliverable('用户已取消关注公众号');
      },
    };
    const warn = vi.fn();
    expect(await deliverPending(stores.tickets, gone, { log: { warn } })).toEqual({ sent: 0, failed: 0, undeliverable: 2 });
    expect(await stores.tickets.pendingNotifications()).toEqual([]);
    expect(await notes(id)).toEqual([
      ['system', undeliveredNote('用户已取消关注公众号', accepted!.text)],
      ['system', undeliveredNote('用户已取消关注公众号', reply!.text)],
    ]);
    expect(String(await notes(id).then((n) => n[1]![1]))).toContain('已联系厂方，请保持电话畅通。');
    expect(warn).toHaveBeenCalledTimes(2);
  });

  it(`then a send that keeps failing is retried for ${GIVE_UP_AFTER_DAYS} days, then given up with a note`, async () => {
    const id = await fileAndWork();
    const down: Outbound = {
      async send() {
        throw new Error('connect ETIMEDOUT');
      },
    };
    const written = Date.parse((await stores.tickets.pendingNotifications())[0]!.createdAt);
    const at = (days: number) => () => new Date(written + days * 86_400_000);
    expect(await deliverPending(stores.tickets, down, { now: at(GIVE_UP_AFTER_DAYS - 0.1) })).toEqual({ sent: 0, failed: 2, undeliverable: 0 });
    expect(await notes(id)).toEqual([]);
    expect(await deliverPending(stores.tickets, down, { now: at(GIVE_UP_AFTER_DAYS + 0.1) })).toEqual({ sent: 0, failed: 0, undeliverable: 2 });
    expect((await notes(id)).map((n) => String(n[1]))).toEqual([
      expect.stringContaining(`${GIVE_UP_AFTER_DAYS}天内多次发送均失败`),
      expect.stringContaining(`${GIVE_UP_AFTER_DAYS}天内多次发送均失败`),
    ]);
    expect(await stores.tickets.pendingNotifications()).toEqual([]);
  });
});

describe('when messages are routed to the channels', () => {
  it('then each channel with an adapter gets its own, the others go to the fallback', async () => {
    const sms = recorder();
    const fallback = recorder();
    const out = routeByChannel({ sms }, fallback);
    await out.send('sms', '13800138000', 'a');
    await out.send('wechat', 'o_wx', 'b');
    expect(sms.sent.map((s) => s.text)).toEqual(['a']);
    expect(fallback.sent.map((s) => s.text)).toEqual(['b']);
  });

  it('then the default logging outbound masks phone numbers in the recipient and the text', async () => {
    const info = vi.fn();
    await loggingOutbound({ info }).send('sms', '13800138000', '请回电 13903750303');
    const [obj] = info.mock.calls[0] as [Record<string, unknown>];
    expect(JSON.stringify(obj)).not.toMatch(/13800138000|13903750303/);
    expect(obj.userId).toBe('138****8000');
  });
});
