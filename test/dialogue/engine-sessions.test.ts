/**
 * The engine around the form: resuming after a server restart (a new engine over the same SQLite
 * file), session expiry, duplicate provider messages, the per-sender rate limit.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ConversationState } from '../../src/dialogue/state.js';
import { defaultEvaluator } from '../../src/eligibility/evaluate.js';
import { harness, T0, type Harness } from './helpers.js';

const prompt = (field: string): string => defaultEvaluator().questions.get(field)!.prompt;
const hours = (n: number) => new Date(T0.getTime() + n * 3600_000);

let h: Harness | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await h?.close();
  h = undefined;
});

describe('resume', () => {
  it('a new engine over the same SQLite file continues the unfinished form, with a welcome back', async () => {
    h = await harness();
    await h.say('我能领什么补贴', { at: hours(0) });
    expect(h.text(await h.say('1', { at: hours(0.01) }))).toBe(prompt('graduation_date'));

    await h.restart();
    const r = await h.say('23年7月毕业', { at: hours(3) });
    expect(r.intent).toBe('form:eligibility');
    expect(r.replies[0]?.text).toContain('欢迎回来');
    expect(h.text(r)).toContain(prompt('employed'));
    const t = h.text(await h.say('没有', { at: hours(3.01) }));
    expect(t).toContain('一次性求职创业补贴：300 元');
  });

  it('each sender has their own form', async () => {
    h = await harness();
    await h.say('我能领什么补贴', { user: 'a' });
    await h.say('我能领什么补贴', { user: 'b' });
    expect(h.text(await h.say('1', { user: 'a' }))).toBe(prompt('graduation_date'));
    expect(h.text(await h.say('4', { user: 'b' }))).toBe(prompt('new_hires'));
  });
});

describe('expiry', () => {
  it('a session older than its TTL is gone: the form does not resume', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(T0);
    h = await harness({ sessionTtlSeconds: 60 });
    await h.say('我能领什么补贴', { at: T0 });
    expect(await h.store.get<ConversationState>('session:web:u1')).not.toBeNull();

    vi.setSystemTime(new Date(T0.getTime() + 61_000));
    expect(await h.store.get<ConversationState>('session:web:u1')).toBeNull();
    const r = await h.say('1', { at: new Date(T0.getTime() + 61_000) });
    expect(r.intent).not.toBe('form:eligibility');
    expect(h.text(r)).not.toContain(prompt('graduation_date'));
  });

  it('within the TTL the form is still there', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(T0);
    h = await harness({ sessionTtlSeconds: 60 });
    await h.say('我能领什么补贴', { at: T0 });
    vi.setSystemTime(new Date(T0.getTime() + 50_000));
    expect(h.text(await h.say('1', { at: new Date(T0.getTime() + 50_000) }))).toBe(prompt('graduation_date'));
  });
});

describe('duplicates and rate limit', () => {
  it('a message id seen before is not handled again: the retry gets the original replies, the state is unchanged', async () => {
    h = await harness();
    await h.say('我能领什么补贴', { messageId: 'm1' });
    const first = await h.say('1', { messageId: 'm2' });
    expect(first.duplicate).toBe(false);
    const before = await h.store.get<ConversationState>('session:web:u1');
    const again = await h.say('1', { messageId: 'm2' });
    expect(again).toEqual({ replies: first.replies, duplicate: true, intent: null });
    expect(await h.store.get<ConversationState>('session:web:u1')).toEqual(before);
  });

  it('message ids are scoped per sender: another user\'s m1 is a new message with its own replies', async () => {
    h = await harness();
    const mine = await h.say('我能领什么补贴', { messageId: 'm1' });
    const theirs = await h.say('你好', { user: 'u2', messageId: 'm1' });
    expect(theirs.duplicate).toBe(false);
    expect(h.text(theirs)).not.toBe(h.text(mine));
    // and each one's retry gets their own original replies
    expect(h.text(await h.say('你好', { user: 'u2', messageId: 'm1' }))).toBe(h.text(theirs));
    expect(h.text(await h.say('我能领什么补贴', { messageId: 'm1' }))).toBe(h.text(mine));
  });

  it('a duplicate is still dropped after a restart', async () => {
    h = await harness();
    await h.say('我能领什么补贴', { messageId: 'm1' });
    await h.restart();
    expect((await h.say('我能领什么补贴', { messageId: 'm1' })).duplicate).toBe(true);
  });

  it('over the per-minute limit the sender is told once, then nothing', async () => {
    h = await harness({ rateLimitPerMinute: 3 });
    for (let i = 0; i < 3; i++) expect((await h.say('我能领什么补贴')).replies.length).toBeGreaterThan(0);
    const over = await h.say('1');
    expect(h.text(over)).toContain('您发送得太快了');
    expect(over.rateLimited).toEqual({ retryAfterSeconds: 60 });
    expect((await h.say('1')).replies).toEqual([]);
    // another sender is not affected
    expect((await h.say('我能领什么补贴', { user: 'other' })).replies.length).toBeGreaterThan(0);
  });
});
