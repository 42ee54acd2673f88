/**
 * Redis SubscriptionStore, shared by every gateway process: subscriptions in one hash; each
 * publication's notices in a hash of their own (HSETNX: one per subscriber, whoever queues first);
 * the pending ones in a set the dispatcher reads; the day of each person's last notice in a hash.
 */
import type { Redis } from 'ioredis';
import type { Channel } from '../core/types.js';
import { quietQuit } from '../storage/redis/session-store.js';
import type { Notice, Subscription, SubscriptionStore } from './types.js';

export function subscriptionKeys(prefix: string) {
  return {
    subscriptions: () => `${prefix}subscriptions`,
    notices: (docId: string) => `${prefix}subscriptions:notices:${docId}`,
    pending: () => `${prefix}subscriptions:pending`,
    /** docIds scored by their first notice's time (ms), newest first in the reach list. */
    docs: () => `${prefix}subscriptions:docs`,
    days: () => `${prefix}subscriptions:days`,
  };
}
export type SubscriptionKeys = ReturnType<typeof subscriptionKeys>;

const who = (channel: string, userId: string) => `${channel}:${userId}`;
const pendingMember = (n: Pick<Notice, 'docId' | 'channel' | 'userId'>) => JSON.stringify([n.docId, n.channel, n.userId]);

/** Queues atomically: the notice, its pending mark and its document, or nothing when it exists. */
const ENQUEUE = `
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 0 end
redis.call('SADD', KEYS[2], ARGV[3])
redis.call('ZADD', KEYS[3], 'NX', ARGV[4], ARGV[5])
return 1`;

export class RedisSubscriptionStore implements SubscriptionStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: SubscriptionKeys,
    private readonly options: { ownsConnection?: boolean } = {},
  ) {}

  async get(channel: Channel, userId: string): Promise<Subscription | null> {
    const raw = await this.redis.hget(this.keys.subscriptions(), who(channel, userId));
    return raw === null ? null : (JSON.parse(raw) as Subscription);
  }

  async put(sub: Subscription): Promise<void> {
    await this.redis.hset(this.keys.subscriptions(), who(sub.channel, sub.userId), JSON.stringify(sub));
  }

  async delete(channel: Channel, userId: string): Promise<boolean> {
    return (await this.redis.hdel(this.keys.subscriptions(), who(channel, userId))) > 0;
  }

  async list(): Promise<Subscription[]> {
    const all = await this.redis.hvals(this.keys.subscriptions());
    return all
      .map((raw) => JSON.parse(raw) as Subscription)
      .sort((a, b) => who(a.channel, a.userId).localeCompare(who(b.channel, b.userId)));
  }

  async enqueue(n: Notice): Promise<boolean> {
    return (await this.redis.eval(ENQUEUE, 3, ...this.enqueueArgs(n))) === 1;
  }

  async enqueueAll(notices: readonly Notice[]): Promise<number> {
    if (notices.length === 0) return 0;
    const pipe = this.redis.pipeline();
    for (const n of notices) pipe.eval(ENQUEUE, 3, ...this.enqueueArgs(n));
    const results = (await pipe.exec()) ?? [];
    for (const [err] of results) if (err) throw err;
    return results.filter(([, r]) => r === 1).length;
  }

  private enqueueArgs(n: Notice): string[] {
    return [
      this.keys.notices(n.docId),
      this.keys.pending(),
      this.keys.docs(),
      who(n.channel, n.userId),
      JSON.stringify(n),
      pendingMember(n),
      String(Date.parse(n.queuedAt)),
      n.docId,
    ];
  }

  async pending(): Promise<Notice[]> {
    const members = await this.redis.smembers(this.keys.pending());
    const found = await Promise.all(
      members.map(async (m) => {
        const [docId, channel, userId] = JSON.parse(m) as [string, string, string];
        const raw = await this.redis.hget(this.keys.notices(docId), who(channel, userId));
        return raw === null ? null : (JSON.parse(raw) as Notice);
      }),
    );
    return found
      .filter((n): n is Notice => n !== null && n.status === 'pending')
      .sort((a, b) => a.queuedAt.localeCompare(b.queuedAt) || a.docId.localeCompare(b.docId));
  }

  async update(n: Notice): Promise<void> {
    const tx = this.redis.multi().hset(this.keys.notices(n.docId), who(n.channel, n.userId), JSON.stringify(n));
    if (n.status === 'pending') tx.sadd(this.keys.pending(), pendingMember(n));
    else tx.srem(this.keys.pending(), pendingMember(n));
    await tx.exec();
  }

  async notices(docId: string): Promise<Notice[]> {
    const all = await this.redis.hvals(this.keys.notices(docId));
    return all
      .map((raw) => JSON.parse(raw) as Notice)
      .sort((a, b) => a.queuedAt.localeCompare(b.queuedAt) || who(a.channel, a.userId).localeCompare(who(b.channel, b.userId)));
  }

  async docIds(): Promise<string[]> {
    return this.redis.zrevrange(this.keys.docs(), 0, -1);
  }

  async lastNoticeDay(channel: Channel, userId: string): Promise<string | null> {
    return this.redis.hget(this.keys.days(), who(channel, userId));
  }

  async setLastNoticeDay(channel: Channel, userId: string, day: string): Promise<void> {
    await this.redis.hset(this.keys.days(), who(channel, userId), day);
  }

  async close(): Promise<void> {
    if (this.options.ownsConnection) await quietQuit(this.redis);
  }
}
