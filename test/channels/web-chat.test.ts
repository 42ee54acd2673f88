/**
 * The web chat remembers (issue 14, item 3), through fastify inject on the real application:
 * the history of a page's own id, staff replies waiting in the inbox without a new message, and a
 * complaint's status looked up on a new device with its number and the phone's last four digits.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { WebInbox } from '../../src/channels/web/web-inbox.js';
import { LOOKUP_LIMIT, LOOKUP_NO_MATCH, parseLookup } from '../../src/channels/web/ticket-lookup.js';
import { loadWageComplaintConfig } from '../../src/complaints/form-config.js';
import { createTestApp, joined, type TestApp } from '../helpers/app.js';
import { testRedisUrl } from '../helpers/redis.js';
import { wageComplaint } from '../tickets/ticket-input.js';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

type Turn = { from: string; text: string; at: string };
const history = async (app: TestApp, userId: string): Promise<Turn[]> => {
  const res = await app.app.inject({ method: 'GET', url: `/api/chat/history?userId=${encodeURIComponent(userId)}` });
  expect(res.statusCode).toBe(200);
  return (res.json() as { turns: Turn[] }).turns;
};
const inbox = async (app: TestApp, userId: string) => {
  const res = await app.app.inject({ method: 'GET', url: `/api/chat/inbox?userId=${encodeURIComponent(userId)}` });
  expect(res.statusCode).toBe(200);
  return (res.json() as { messages: Array<{ id: string; text: string }> }).messages;
};

describe.each([
  ['embedded SQLite', false],
  ['Redis', true],
] as const)('on %s', (_name, redis) => {
  // Redis is shared by the whole test run: ids and client addresses of their own.
  const run = Math.random().toString(36).slice(2, 8);
  const id = (name: string) => `${name}-${run}`;
  const open = () => createTestApp(redis ? { REDIS_URL: testRedisUrl() } : {});
  // Guesses are counted per client address: each test guesses from its own.
  let clients = 0;
  const newClient = () => `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${++clients}`;
  const post = (url: string, payload: object, remoteAddress: string) => t!.app.inject({ method: 'POST', url, payload, remoteAddress });
  const chatFrom = async (remoteAddress: string, userId: string, text: string) =>
    ((await post('/api/chat', { userId, text }, remoteAddress)).json() as { replies: Array<{ text: string; citations: [] }> }).replies;

  describe('GET /api/chat/history', () => {
    it('returns the recent turns of that id only, oldest first', async () => {
      t = await open();
      await t.chat(id('web-alice'), '你好');
      await t.chat(id('web-alice'), '见习补贴');
      await t.chat(id('web-bob'), '创业担保贷款能贷多少');

      const alice = await history(t, id('web-alice'));
      expect(alice.filter((x) => x.from === 'user').map((x) => x.text)).toEqual(['你好', '见习补贴']);
      expect(alice.some((x) => x.from === 'assistant')).toBe(true);
      expect(alice.map((x) => x.text).join('\n')).not.toContain('创业担保贷款能贷多少');
      expect((await history(t, id('web-bob'))).filter((x) => x.from === 'user').map((x) => x.text)).toEqual(['创业担保贷款能贷多少']);
      expect(await history(t, id('web-nobody'))).toEqual([]);
    });

    it('refuses a missing or overlong id', async () => {
      t = await open();
      expect((await t.app.inject({ method: 'GET', url: '/api/chat/history' })).statusCode).toBe(400);
      expect((await t.app.inject({ method: 'GET', url: `/api/chat/history?userId=${'x'.repeat(200)}` })).statusCode).toBe(400);
    });
  });

  describe('GET /api/chat/inbox', () => {
    it('shows a staff reply without a new message, keeps it until acknowledged, and the history keeps it after', async () => {
      t = await open();
      await t.chat(id('web-carol'), '你好');
      await new WebInbox(t.assistant.stores.sessions).send('web', id('web-carol'), '【工作人员】您的投诉已受理');

      const first = await inbox(t, id('web-carol'));
      expect(first.map((m) => m.text)).toEqual(['【工作人员】您的投诉已受理']);
      // Reading does not remove it; nobody else sees it.
      expect(await inbox(t, id('web-carol'))).toEqual(first);
      expect(await inbox(t, id('web-dave'))).toEqual([]);

      const ack = await t.app.inject({ method: 'POST', url: '/api/chat/ack', payload: { userId: id('web-carol'), ack: [first[0]!.id], shown: 'inbox' } });
      expect(ack.statusCode).toBe(200);
      expect(await inbox(t, id('web-carol'))).toEqual([]);
      // A repeated ack records nothing twice.
      await t.app.inject({ method: 'POST', url: '/api/chat/ack', payload: { userId: id('web-carol'), ack: [first[0]!.id], shown: 'inbox' } });
      const turns = await history(t, id('web-carol'));
      expect(turns.filter((x) => x.text === '【工作人员】您的投诉已受理')).toHaveLength(1);
      expect(turns.at(-1)).toMatchObject({ from: 'assistant', text: '【工作人员】您的投诉已受理' });
      // And the next turn does not repeat it.
      expect(joined(await t.chat(id('web-carol'), '见习补贴'))).not.toContain('您的投诉已受理');
    });
  });

  describe('looking up a complaint on a new device', () => {
    const fileTicket = async (app: TestApp) =>
      (await app.assistant.stores.tickets.file(wageComplaint({ channel: 'sms', userId: '13800130606', phone: '138 0013 0606' }), `lookup-${Math.random()}`)).ticket;

    it('reads the number and the four digits from a message', () => {
      expect(parseLookup('查询 QX261206-AB3C 0606')).toEqual({ id: 'QX261206-AB3C', phoneLast4: '0606' });
      expect(parseLookup('QX261206AB3C 尾号0606')).toEqual({ id: 'QX261206-AB3C', phoneLast4: '0606' });
      expect(parseLookup('查询ｑｘ261206-2345 手机后四位0606')).toEqual({ id: 'QX261206-2345', phoneLast4: '0606' });
      expect(parseLookup('查询 QX261206-AB3C')).toBeNull();
      expect(parseLookup('查询 QX261206-2345')).toBeNull();
      expect(parseLookup('实习补贴 2024')).toBeNull();
    });

    it('answers the status for the right digits, the same neutral message for a wrong number or wrong digits', async () => {
      t = await open();
      const ticket = await fileTicket(t);
      const client = newClient();
      const right = await post('/api/tickets/lookup', { id: ticket.id.toLowerCase(), phoneLast4: '0606' }, client);
      expect(right.statusCode).toBe(200);
      expect(right.json()).toMatchObject({ found: true });
      expect(right.json().text).toContain(ticket.id);
      expect(right.json().text).toContain('已登记，正在等待受理');

      const wrongDigits = await post('/api/tickets/lookup', { id: ticket.id, phoneLast4: '0607' }, client);
      const wrongId = await post('/api/tickets/lookup', { id: 'QX261206-ZZZZ', phoneLast4: '0606' }, client);
      expect(wrongDigits.json()).toEqual({ found: false, text: LOOKUP_NO_MATCH });
      expect(wrongId.json()).toEqual(wrongDigits.json());

      const bad = await post('/api/tickets/lookup', { id: ticket.id, phoneLast4: '06' }, client);
      expect(bad.statusCode).toBe(400);
    });

    it('answers in the chat from any web id, and the ticket-issued wording says how', async () => {
      t = await open();
      const ticket = await fileTicket(t);
      const client = newClient();
      expect(joined(await chatFrom(client, id('web-newphone'), `查询 ${ticket.id} 0606`))).toContain('已登记，正在等待受理');
      expect(joined(await chatFrom(client, id('web-newphone'), `${ticket.id} 尾号1234`))).toBe(LOOKUP_NO_MATCH);
      // The lookups are part of that page's conversation after a reload.
      const turns = await history(t, id('web-newphone'));
      expect(turns.map((x) => x.from)).toEqual(['user', 'assistant', 'user', 'assistant']);
      expect(turns[0]!.text).toBe(`查询 ${ticket.id} 0606`);
      expect(turns[3]!.text).toBe(LOOKUP_NO_MATCH);
      const form = loadWageComplaintConfig();
      expect(form.filed_sms).toContain('手机后四位');
      expect(form.next_steps).toContain('手机号后四位');
    });

    it(`allows ${LOOKUP_LIMIT} lookups per client in the window, then refuses even the right digits`, async () => {
      t = await open();
      const ticket = await fileTicket(t);
      const client = newClient();
      for (let i = 0; i < LOOKUP_LIMIT; i++) {
        const res = await post('/api/tickets/lookup', { id: ticket.id, phoneLast4: String(1000 + i) }, client);
        expect(res.json()).toMatchObject({ found: false });
      }
      const over = await post('/api/tickets/lookup', { id: ticket.id, phoneLast4: '0606' }, client);
      expect(over.statusCode).toBe(429);
      expect(over.json().error.message).toContain('查询次数太多');
      // The chat counts against the same limit.
      expect(joined(await chatFrom(client, id('web-guess'), `查询 ${ticket.id} 0606`))).toContain('查询次数太多');
      // Another client is not held back by this one's guesses.
      expect((await post('/api/tickets/lookup', { id: ticket.id, phoneLast4: '0606' }, newClient())).json()).toMatchObject({ found: true });
    });
  });
});
