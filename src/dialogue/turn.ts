import type { InboundMessage, Reply } from '../core/types.js';
import type { Understanding } from '../nlu/understand.js';
import type { ActiveForm, ConversationState, FinishedForm } from './state.js';

/** What a handler gets for one incoming message. Handlers may change `state`; the engine saves it. */
export interface TurnContext {
  msg: InboundMessage;
  state: ConversationState;
  u: Understanding;
  /** YYYY-MM-DD, China time (or the configured TODAY). */
  today: string;
  now: Date;
  /** The named rules that decided this turn (routing, programme, facet, verdict), logged by the engine. */
  trace?: string[];
}

export type Handler = (ctx: TurnContext) => Promise<Reply[]>;

export function text(t: string): Reply {
  return { text: t, citations: [] };
}

/** A form (slot filling) as the engine sees it; its questions and slots are data (intents/forms). */
export interface FormDefinition {
  name: string;
  /** Fill slots from the message. `problems` are things to tell the user (an invalid phone number…). */
  absorb(ctx: TurnContext, form: ActiveForm): { filled: string[]; problems: string[] };
  /** The next thing to ask, or null when the form has all it needs. */
  next(ctx: TurnContext, form: ActiveForm): { slot: string; question: string } | null;
  /** What to say when the form starts, before its first question. */
  intro(ctx: TurnContext, form: ActiveForm): string | null;
  /** Read-back before submitting, or null when the form needs no confirmation. */
  summary(ctx: TurnContext, form: ActiveForm): string | null;
  submit(ctx: TurnContext, form: ActiveForm): Promise<Reply[]>;
  /** Said when the person leaves the form. */
  cancelled: string;
  /** What the form is, in a few words, for "刚才的{title}还没做完" when another form interrupted it. */
  title?: string;
  /**
   * Whether this message adds to the answers of this form, finished a moment ago (a fact the results
   * said would change them). Forms without it are never taken up again once submitted.
   */
  reopens?(ctx: TurnContext, finished: FinishedForm): boolean;
}
