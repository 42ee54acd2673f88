/**
 * Every policy answer the assistant gives gets an id and a snapshot (the question, the answer, the
 * rules that fired, where it came from), so that a person's 有用 / 没用 can refer to it and staff see
 * exactly what was said. Snapshots and verdicts live in the session store (SQLite or Redis, the same
 * contract): snapshots expire, verdicts are a capped tally that expires too.
 */
import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Channel, Citation } from '../core/types.js';
import { maskPersonalData } from '../core/privacy.js';
import type { SessionStore } from '../dialogue/session-store.js';
import { questionKey } from './question-key.js';

export type AnswerSource = 'catalogue' | 'retrieval' | 'staff-fix' | 'none';

export interface AnswerSnapshot {
  id: string;
  at: string;
  channel: Channel;
  /** Hash of channel and sender: checks that feedback comes from the conversation answered, and no more. */
  owner: string;
  /** The question as typed, personal data masked. */
  question: string;
  /** The answer's replies, joined. */
  answer: string;
  citations: Citation[];
  /** The handler that answered and the named rules that fired (routing, programme, facet …). */
  handler: string;
  rules: string[];
  source: AnswerSource;
}

export type Verdict = 'useful' | 'useless';

export interface VerdictEntry extends AnswerSnapshot {
  verdict: Verdict;
  /** The web page's button, or a typed "没用" on a channel. */
  via: 'button' | 'typed';
  votedAt: string;
  count: number;
}

/** A reply to a verdict: recorded now, or already recorded (one verdict per answer). */
export type VerdictOutcome = { kind: 'recorded' } | { kind: 'already' } | { kind: 'unknown' };

const SNAPSHOT_SECONDS = 30 * 24 * 3600;
/** A short "没用" this soon after an answer is about that answer. */
export const LAST_ANSWER_SECONDS = 30 * 60;
const VERDICT_CAP = 500;
const VERDICT_SECONDS = 180 * 24 * 3600;
const QUESTION_CHARS = 200;
const ANSWER_CHARS = 1500;

const TALLY = { useful: 'feedback:useful', useless: 'feedback:useless' } as const;

const Snapshot = z.object({
  id: z.string(),
  at: z.string(),
  channel: z.enum(['web', 'wechat', 'wechaty', 'sms']),
  owner: z.string(),
  question: z.string(),
  answer: z.string(),
  citations: z.array(z.object({ title: z.string(), docNo: z.string().nullable(), clause: z.string().nullable() })),
  handler: z.string(),
  rules: z.array(z.string()),
  source: z.enum(['catalogue', 'retrieval', 'staff-fix', 'none']),
});
const VerdictInfo = Snapshot.extend({ verdict: z.enum(['useful', 'useless']), via: z.enum(['button', 'typed']), votedAt: z.string() });

export function ownerOf(channel: Channel, userId: string): string {
  return createHash('sha256').update(`${channel}\u0000${userId}`).digest('hex').slice(0, 24);
}

/** Where an answer came from, read off the rules that fired. */
export function sourceOf(rules: readonly string[], citations: readonly Citation[]): AnswerSource {
  if (rules.some((r) => r.startsWith('staff-fix:'))) return 'staff-fix';
  if (rules.some((r) => /^(program|overview|facet|facets|original):/.test(r)) && !rules.includes('catalogue: no answer')) return 'catalogue';
  return citations.length > 0 ? 'retrieval' : 'none';
}

export class AnswerLog {
  constructor(private readonly store: SessionStore) {}

  /** Keeps the snapshot of an answer just given; returns its id. */
  async remember(a: { channel: Channel; userId: string; question: string; answer: string; citations: Citation[]; handler: string; rules: string[]; at: Date }): Promise<string> {
    const snapshot: AnswerSnapshot = {
      id: randomUUID(),
      at: a.at.toISOString(),
      channel: a.channel,
      owner: ownerOf(a.channel, a.userId),
      question: maskPersonalData(a.question.trim()).slice(0, QUESTION_CHARS),
      answer: maskPersonalData(a.answer).slice(0, ANSWER_CHARS),
      citations: a.citations.slice(0, 5),
      handler: a.handler,
      rules: a.rules.slice(0, 40).map((r) => r.slice(0, 200)),
      source: sourceOf(a.rules, a.citations),
    };
    await Promise.all([
      this.store.set(`answer:${snapshot.id}`, snapshot, SNAPSHOT_SECONDS),
      this.store.set(`answer:last:${snapshot.owner}`, snapshot.id, LAST_ANSWER_SECONDS),
      this.store.set(`answer:q:${questionKey(snapshot.question)}`, snapshot.id, SNAPSHOT_SECONDS),
    ]);
    return snapshot.id;
  }

  async get(id: string): Promise<AnswerSnapshot | null> {
    const parsed = Snapshot.safeParse(await this.store.get(`answer:${id}`));
    return parsed.success ? parsed.data : null;
  }

  /** The answer just given in this conversation (within LAST_ANSWER_SECONDS), or null. */
  async last(channel: Channel, userId: string): Promise<AnswerSnapshot | null> {
    const id = await this.store.get<string>(`answer:last:${ownerOf(channel, userId)}`);
    return typeof id === 'string' ? this.get(id) : null;
  }

  /** The latest answer to this wording (personal data masked as logged), for the unanswered list. */
  async byQuestion(question: string): Promise<AnswerSnapshot | null> {
    const id = await this.store.get<string>(`answer:q:${questionKey(maskPersonalData(question))}`);
    return typeof id === 'string' ? this.get(id) : null;
  }

  /** Records 有用 / 没用 for an answer of this conversation; one verdict per answer. */
  async verdict(answerId: string, from: { channel: Channel; userId: string }, verdict: Verdict, via: 'button' | 'typed', at: Date): Promise<VerdictOutcome> {
    const snapshot = await this.get(answerId);
    // Another conversation's answer is treated as unknown: ids are not to be probed.
    if (!snapshot || snapshot.owner !== ownerOf(from.channel, from.userId)) return { kind: 'unknown' };
    if (!(await this.store.markSeen('feedback', answerId, SNAPSHOT_SECONDS))) return { kind: 'already' };
    const info = JSON.stringify({ ...snapshot, verdict, via, votedAt: at.toISOString() });
    await this.store.tally(TALLY[verdict], answerId, at, info, { cap: VERDICT_CAP, ttlSeconds: VERDICT_SECONDS });
    return { kind: 'recorded' };
  }

  /** The answers people marked 没用 (or 有用), latest first. */
  async verdicts(verdict: Verdict, limit = 200): Promise<VerdictEntry[]> {
    const rows = await this.store.tallies(TALLY[verdict], Math.min(limit, VERDICT_CAP));
    return rows.flatMap((r) => {
      try {
        const info = VerdictInfo.parse(JSON.parse(r.info));
        return [{ ...info, count: r.count }];
      } catch {
        return [];
      }
    });
  }
}
