import type { Channel, Citation, Region, Reply } from '../core/types.js';
import { citationText } from '../knowledge/citation-text.js';

export interface Turn {
  from: 'user' | 'assistant';
  text: string;
  at: string;
}

/** A form (slot filling) in progress: the complaint intake or the eligibility questions. */
export interface ActiveForm {
  name: string;
  slots: Record<string, unknown>;
  /** The slot the last question asked for, so a bare answer ("8600", "对") fills it. */
  asking: string | null;
  /** How many times in a row the current question went unanswered. */
  retries: number;
  awaitingConfirmation: boolean;
  startedAt: string;
  /** Free-form data a form keeps between turns (e.g. the programmes the eligibility form checks). */
  memo: Record<string, unknown>;
  /** The message that started the form ("帮我算算创业担保贷款能贷多少"): what a side question is about. */
  opening?: string;
}

/**
 * The answers of a form that has finished, kept when the form can be taken up again: after the
 * eligibility results, "我参加过创业培训" adds to them instead of starting over.
 */
export interface FinishedForm {
  name: string;
  slots: Record<string, unknown>;
  memo: Record<string, unknown>;
  endedAt: string;
}

/** Everything the assistant remembers about one conversation (channel + user). */
export interface ConversationState {
  version: 1;
  channel: Channel;
  userId: string;
  form: ActiveForm | null;
  /**
   * A form set aside when a complaint interrupted it ("帮我算算…" then "老板欠了我三个月工资"): offered
   * again once the complaint is filed or dropped, and taken up with "继续".
   */
  suspended?: (ActiveForm & { offered?: boolean }) | null;
  /** The last finished form that can be taken up again (absent in states saved before it existed). */
  finished?: FinishedForm | null;
  /**
   * The last policy topic asked about, for follow-ups like "那济宁呢" or "要什么材料": the question, and
   * the catalogue programme and facets it was answered from (absent when retrieval answered).
   */
  lastTopic: { query: string; region: Region | null; program?: string; facets?: string[] } | null;
  /** Region the person said they are in, remembered across questions. */
  region: Region | null;
  /**
   * What the person has said about themselves (age, graduation date, education, staff …), each with
   * when it was said; a later statement replaces an earlier one ("不对 我是中专").
   */
  facts?: Record<string, { value: unknown; at: string }>;
  /** A menu the assistant offered: a bare "1" picks its first option. */
  menu: string[] | null;
  history: Turn[];
  updatedAt: string;
}

/**
 * Messages kept in the conversation state: the last few exchanges, which a hand-over to staff sends
 * as the transcript (a complaint intake keeps its own full log in its form). Kept short because the
 * whole state is written on every turn.
 */
export const HISTORY_LIMIT = 12;

/**
 * How much of an assistant reply the history keeps. The person's own words are kept whole; a reply is
 * kept as its opening and the source it cites, which says what was answered (the clauses themselves
 * are in the knowledge base). Whole replies, often a thousand characters of quoted clauses each, made
 * the state ~5 KB and its write the largest cost of a turn.
 */
export const ASSISTANT_TEXT_KEPT = 60;

/** The history's record of one reply: short replies whole, long ones as opening + source. */
export function replyRecord(reply: { text: string; citations?: readonly Citation[] }): string {
  if (reply.text.length <= ASSISTANT_TEXT_KEPT) return reply.text;
  const source = reply.citations?.[0];
  const cited = source ? `〔出处：${citationText(source, { clausePrefix: ' ' })}〕` : '';
  return `${reply.text.slice(0, ASSISTANT_TEXT_KEPT)}…${cited}`;
}

/** Appends one exchange to the history, keeping the last HISTORY_LIMIT messages. */
export function remember(state: ConversationState, userText: string, replies: readonly Reply[], at: Date): void {
  const iso = at.toISOString();
  state.history.push({ from: 'user', text: userText, at: iso });
  for (const r of replies) state.history.push({ from: 'assistant', text: replyRecord(r), at: iso });
  if (state.history.length > HISTORY_LIMIT) state.history = state.history.slice(-HISTORY_LIMIT);
  state.updatedAt = iso;
}

export function newState(channel: Channel, userId: string, now: Date): ConversationState {
  return {
    version: 1,
    channel,
    userId,
    form: null,
    lastTopic: null,
    region: null,
    menu: null,
    history: [],
    updatedAt: now.toISOString(),
  };
}

export function sessionKey(channel: Channel, userId: string): string {
  return `session:${channel}:${userId}`;
}
