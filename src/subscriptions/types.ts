/**
 * "Policies that find people" (政策找人): what a person subscribed to, with their consent, and the
 * notices queued for them when a publication touches it. Both live in the store (SQLite or Redis),
 * so a restart loses neither a subscription nor a notice waiting for the morning.
 */
import type { Channel, Region } from '../core/types.js';

export interface SubscriptionTopic {
  /** Catalogue programme id, when the answer the person subscribed after came from the catalogue. */
  programme?: string;
  /** A group the person's facts put them in (intents/subscriptions.yaml personas), e.g. graduate. */
  persona?: string;
  /** The question the topic was answered for (conversation state's lastTopic.query); "" for a group. */
  query: string;
  /** What the person is told they subscribed to ("个人创业担保贷款"). */
  label: string;
  region: Region | null;
  /** When the person said "对" to this topic (the subscription's consent is the latest one). */
  consentedAt?: string;
}

export interface Subscription {
  channel: Channel;
  userId: string;
  topics: SubscriptionTopic[];
  /** The facts the person had told the calculator when they consented (a snapshot, not kept in step). */
  facts: Record<string, unknown>;
  region: Region | null;
  /** The latest consent: when, and the exact words the person said "对" to (each topic keeps its own time). */
  consent: { at: string; text: string };
}

export type NoticeStatus = 'pending' | 'sent' | 'failed' | 'dropped';

/** One publication for one subscriber: at most one per (docId, channel, userId). */
export interface Notice {
  docId: string;
  channel: Channel;
  userId: string;
  title: string;
  /** The topic label the notice names ("个人创业担保贷款", "高校毕业生政策"). */
  topic: string;
  /** The matching rule and what it matched: "programme:pds-startup-loan-personal", "facts:graduate". */
  reason: string;
  status: NoticeStatus;
  queuedAt: string;
  attempts: number;
  sentAt?: string;
  /** When several publications went out in one message: the docId whose message carried this one. */
  carriedBy?: string;
  /** Why it was dropped or failed (opt-out, unsubscribed, provider error). */
  note?: string;
}

/** How many people one publication reached. */
export interface Reach {
  docId: string;
  title: string;
  queued: number;
  sent: number;
  pending: number;
  failed: number;
  dropped: number;
  byChannel: Partial<Record<Channel, number>>;
}

export interface SubscriptionStore {
  get(channel: Channel, userId: string): Promise<Subscription | null>;
  /** Creates or replaces the person's subscription. */
  put(sub: Subscription): Promise<void>;
  /** Ends it; false when there was none. */
  delete(channel: Channel, userId: string): Promise<boolean>;
  list(): Promise<Subscription[]>;
  /** Queues a notice unless one exists for its (docId, channel, userId): true when it was queued now. */
  enqueue(n: Notice): Promise<boolean>;
  /** enqueue for many in one write (one transaction / one round trip); returns how many were queued now. */
  enqueueAll(notices: readonly Notice[]): Promise<number>;
  /** Notices still to send, oldest first. */
  pending(): Promise<Notice[]>;
  /** Stores a notice's new status (same key). */
  update(n: Notice): Promise<void>;
  notices(docId: string): Promise<Notice[]>;
  /** Documents that have had notices, for the reach list. */
  docIds(): Promise<string[]>;
  /** The China day (YYYY-MM-DD) of the last notice the person got. */
  lastNoticeDay(channel: Channel, userId: string): Promise<string | null>;
  setLastNoticeDay(channel: Channel, userId: string, day: string): Promise<void>;
  close(): Promise<void>;
}

export function reachOf(docId: string, notices: readonly Notice[]): Reach {
  const r: Reach = { docId, title: notices[0]?.title ?? docId, queued: notices.length, sent: 0, pending: 0, failed: 0, dropped: 0, byChannel: {} };
  for (const n of notices) {
    r[n.status] += 1;
    if (n.status === 'sent') r.byChannel[n.channel] = (r.byChannel[n.channel] ?? 0) + 1;
  }
  return r;
}
