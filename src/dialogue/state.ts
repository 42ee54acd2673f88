import type { Channel, Region } from '../core/types.js';

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
}

/** Everything the assistant remembers about one conversation (channel + user). */
export interface ConversationState {
  version: 1;
  channel: Channel;
  userId: string;
  form: ActiveForm | null;
  /** The last policy topic asked about, for follow-ups like "那济宁呢" or "要什么材料". */
  lastTopic: { query: string; region: Region | null } | null;
  /** Region the person said they are in, remembered across questions. */
  region: Region | null;
  /** A menu the assistant offered: a bare "1" picks its first option. */
  menu: string[] | null;
  history: Turn[];
  updatedAt: string;
}

/**
 * Messages kept in the conversation state: the last few exchanges, which a hand-over to staff sends
 * as the transcript (a complaint intake keeps its own full log in its form). Kept short because the
 * whole state is written on every turn, and policy replies are long.
 */
export const HISTORY_LIMIT = 12;

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
