import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp, joined, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

describe('a complaint filed through /api/chat and answered by staff', () => {
  it('when staff reply to the ticket, then the worker’s next turn carries the reply', async () => {
    const user = 'web-worker-1';
    for (const turn of ['老板欠我工资三个月了', '在郏县一个饭店', '叫老王家常菜', '一共欠我9000', '就我一个', '13937501234']) {
      await t.chat(user, turn);
    }
    let reply = joined(await t.chat(user, '对，确认'));
    for (let i = 0; i < 3 && !/QX\d{6}-\w{4}/.test(reply); i++) reply = joined(await t.chat(user, /确认|对吗/.test(reply) ? '对' : '没有了'));
    const id = /QX\d{6}-\w{4}/.exec(reply)?.[0];
    expect(id).toBeDefined();

    const [ticket] = await t.assistant.stores.tickets.findForOwner('web', user);
    expect(ticket?.id).toBe(id);
    expect(ticket?.amountOwed).toBe(9000);
    await t.assistant.stores.tickets.reply(id!, 'staff-li', '您好，您的投诉已转郏县劳动保障监察大队，请保持电话畅通。');
    // The notification poller delivers the outbox to the web inbox.
    await vi.waitFor(async () => expect(await t.assistant.stores.tickets.pendingNotifications()).toEqual([]), { timeout: 10_000, interval: 200 });

    const metrics = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(/epa_notifications_total\{channel="web",outcome="sent"\} [1-9]/);
    expect(metrics.body).not.toContain('outcome="undeliverable"');

    type ChatBody = { replies: Array<{ text: string }>; ack?: string[] };
    const say = async (text: string) =>
      (await t.app.inject({ method: 'POST', url: '/api/chat', payload: { userId: user, text } })).json() as ChatBody;
    const next = await say('你好');
    expect(joined(next.replies as never)).toContain('请保持电话畅通');
    expect(next.ack).toHaveLength(1);
    // The page never acknowledged it (the response was lost): the next turn shows it again.
    const again = await say('你好');
    expect(joined(again.replies as never)).toContain('请保持电话畅通');
    expect(again.ack).toEqual(next.ack);
    // Acknowledged by the page: not repeated after that.
    const ack = await t.app.inject({ method: 'POST', url: '/api/chat/ack', payload: { userId: user, ack: again.ack } });
    expect(ack.json()).toEqual({ ok: true });
    const after = await say('谢谢');
    expect(joined(after.replies as never)).not.toContain('请保持电话畅通');
    expect(after.ack).toBeUndefined();
  });

  it('when someone asks for a person, then a consultation ticket is filed once and its number given', async () => {
    const user = 'web-handoff-1';
    await t.chat(user, '创业担保贷款要什么材料');
    const first = joined(await t.chat(user, '转人工'));
    const id = /QX\d{6}-\w{4}/.exec(first)?.[0];
    expect(id).toBeDefined();
    const again = joined(await t.chat(user, '转人工'));
    expect(again).toContain(id!);
    const mine = await t.assistant.stores.tickets.findForOwner('web', user);
    expect(mine).toHaveLength(1);
    expect(mine[0]?.kind).toBe('consultation');
    expect(mine[0]?.description).toContain('创业担保贷款');
    // Its status is told as a question handed to staff, not as a complaint.
    const status = joined(await t.chat(user, '我的投诉咋样了'));
    expect(status).toContain(`您的咨询（编号 ${id}`);
  });
});
