/**
 * The wechaty channel driven through the real wechaty API with wechaty-puppet-mock: a contact asks a
 * policy question, files a complaint to a ticket and later receives the staff reply; groups, own
 * messages, duplicates and replays.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PuppetMock, mock } from 'wechaty-puppet-mock';
import * as PUPPET from 'wechaty-puppet';
import { channelRuntime } from '../../src/channels/index.js';
import { sessionKey, type ConversationState } from '../../src/dialogue/state.js';
import { createChannelApp, type ChannelTestApp } from './helpers.js';

let t: ChannelTestApp;
let mocker: mock.Mocker;
let puppet: PuppetMock;
let bot: mock.ContactMock;
let alice: mock.ContactMock;
let bob: mock.ContactMock;
let room: mock.RoomMock;
/** What the bot sent: conversation id (contact or room) and text. */
const sent: { to: string; text: string }[] = [];
const to = (id: string) => sent.filter((s) => s.to === id).map((s) => s.text);

beforeAll(async () => {
  mocker = new mock.Mocker();
  puppet = new PuppetMock({ mocker });
  t = await createChannelApp({ WECHATY_PUPPET: 'wechaty-puppet-mock' }, { wechatyPuppet: puppet, wechatyPaceMs: 5 });
  bot = mocker.createContact({ name: '人社小助手' });
  alice = mocker.createContact({ name: '阿丽' });
  bob = mocker.createContact({ name: '老宝' });
  room = mocker.createRoom({ topic: '务工群', memberIdList: [bot.id, alice.id, bob.id] });
  mocker.login(bot);
  await vi.waitFor(() => expect(puppet.isLoggedIn).toBe(true));
  puppet.on('message', ({ messageId }) => {
    const p = mocker.messagePayload(messageId);
    if (p.talkerId === bot.id) sent.push({ to: p.roomId ?? p.listenerId ?? '', text: p.text ?? '' });
  });
});
afterAll(async () => t?.close());

const turns = async (userId: string) =>
  (await t.assistant.stores.sessions.get<ConversationState>(sessionKey('wechaty', userId)))?.history.filter((h) => h.from === 'user').length ?? 0;

/** Alice says something privately and waits for the bot's next reply. */
async function ask(text: string): Promise<string> {
  const before = to(alice.id).length;
  alice.say(text).to(bot);
  await vi.waitFor(() => expect(to(alice.id).length).toBeGreaterThan(before), { timeout: 10_000 });
  return to(alice.id).slice(before).join('\n');
}

describe('wechaty channel with wechaty-puppet-mock', () => {
  it('answers a private policy question', async () => {
    const reply = await ask('刚毕业还没找到工作，有什么补贴');
    expect(reply).toMatch(/补贴/);
    expect(await turns(alice.id)).toBe(1);
  });

  it('in a group answers only when @-mentioned, with an @ to the asker', async () => {
    bob.say('大家好，今天加班吗').to(room);
    bob.say('@人社小助手 创业担保贷款能贷多少', [bot]).to(room);
    await vi.waitFor(() => expect(to(room.id)).toHaveLength(1), { timeout: 10_000 });
    expect(to(room.id)[0]).toMatch(/^@老宝/);
    expect(to(room.id)[0]).toMatch(/贷/);
    const state = await t.assistant.stores.sessions.get<ConversationState>(sessionKey('wechaty', bob.id));
    expect(state?.history[0]?.text).toBe('创业担保贷款能贷多少');
    expect(await turns(bob.id)).toBe(1);
  });

  it('ignores its own messages, duplicate deliveries and replays after a restart', async () => {
    const before = sent.length;
    // A message delivered twice.
    const dup = mocker.MessageMock.create({ id: 'dup-1', talkerId: alice.id, listenerId: bot.id, timestamp: Date.now(), type: PUPPET.types.Message.Text, text: '失业保险金怎么领' });
    puppet.emit('message', { messageId: dup.id });
    puppet.emit('message', { messageId: dup.id });
    // A replay of an hour-old message.
    const old = mocker.MessageMock.create({ id: 'old-1', talkerId: alice.id, listenerId: bot.id, timestamp: Date.now() - 3600_000, type: PUPPET.types.Message.Text, text: '老消息' });
    puppet.emit('message', { messageId: old.id });
    // Its own message (as the bot's replies come back).
    bot.say('机器人自己说的话').to(alice);
    await vi.waitFor(() => expect(sent.length).toBeGreaterThan(before + 1), { timeout: 10_000 });
    await channelRuntime(t.assistant)!.wechaty!.settle();
    await new Promise((r) => setTimeout(r, 200));
    const mine = sent.slice(before).filter((s) => s.to === alice.id && s.text !== '机器人自己说的话');
    expect(mine).toHaveLength(1);
    const state = await t.assistant.stores.sessions.get<ConversationState>(sessionKey('wechaty', alice.id));
    expect(state?.history.filter((h) => h.from === 'user').map((h) => h.text)).not.toContain('老消息');
    expect(state?.history.filter((h) => h.text === '失业保险金怎么领')).toHaveLength(1);
  });

  it('runs a complaint intake to a ticket, and the staff reply reaches the contact later', async () => {
    let reply = '';
    for (const turn of ['老板欠我工资三个月了', '在郏县一个饭店', '叫老王家常菜', '一共欠我9000', '就我一个', '13937501234']) reply = await ask(turn);
    for (let i = 0; i < 5 && !/QX\d{6}-\w{4}/.test(reply); i++) reply = await ask(/确认|对吗|是否|正确/.test(reply) ? '对' : '没有了');
    const id = /QX\d{6}-\w{4}/.exec(reply)?.[0];
    expect(id).toBeDefined();
    const [ticket] = await t.assistant.stores.tickets.findForOwner('wechaty', alice.id);
    expect(ticket?.id).toBe(id);
    const before = to(alice.id).length;
    await t.assistant.stores.tickets.reply(id!, 'staff-li', '您好，您的投诉已转郏县劳动保障监察大队，请保持电话畅通。');
    await vi.waitFor(() => expect(to(alice.id).slice(before).join('')).toContain('请保持电话畅通'), { timeout: 15_000, interval: 200 });
  });

  it('explains politely when a message is not text', async () => {
    const before = to(alice.id).length;
    const img = mocker.MessageMock.create({ id: 'img-1', talkerId: alice.id, listenerId: bot.id, timestamp: Date.now(), type: PUPPET.types.Message.Image });
    puppet.emit('message', { messageId: img.id });
    await vi.waitFor(() => expect(to(alice.id).length).toBe(before + 1), { timeout: 10_000 });
    expect(to(alice.id).at(-1)).toMatch(/只能看懂文字/);
  });
});
