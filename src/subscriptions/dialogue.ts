/**
 * Subscribing and unsubscribing in the conversation. "有新政策告诉我" after an answer proposes the
 * topics the conversation holds (the programme or question last answered, and the groups the
 * person's facts put them in), says what will be sent, how often at most and how to stop, and stores
 * nothing until the person answers "对" (a one-question form, so a question asked meanwhile is
 * answered and the consent asked again). "退订" ends all of it, "退订 创业担保贷款" one topic.
 */
import type { Reply } from '../core/types.js';
import { controlOf } from '../dialogue/control.js';
import { startForm } from '../dialogue/form-runner.js';
import { text, type FormDefinition, type Handler, type TurnContext } from '../dialogue/turn.js';
import { personasOf } from './matching.js';
import type { QuietHours } from './quiet-hours.js';
import type { Subscription, SubscriptionStore, SubscriptionTopic } from './types.js';
import { fill, type SubscriptionWording } from './wording.js';

export const SUBSCRIPTION_FORM = 'subscription';
/** A topic named by the question it came from is cut to this many characters. */
const QUERY_LABEL_CHARS = 16;

export interface SubscriptionDialogueDeps {
  store: SubscriptionStore;
  wording: SubscriptionWording;
  quiet: QuietHours | null;
  /** The catalogue programme's name, for the topic label. */
  programmeName(id: string): string | undefined;
}

interface Memo {
  topics: SubscriptionTopic[];
  facts: Record<string, unknown>;
  region: Subscription['region'];
  consentText: string;
}

const sameTopic = (a: SubscriptionTopic, b: SubscriptionTopic) =>
  a.programme ? a.programme === b.programme : a.persona ? a.persona === b.persona : !b.programme && !b.persona && a.label === b.label;
const labels = (topics: readonly SubscriptionTopic[]) => topics.map((t) => t.label).join('、');

/** The topics the conversation holds: the last answered programme or question, then the person's groups. */
export function topicsOf(ctx: TurnContext, deps: SubscriptionDialogueDeps): { topics: SubscriptionTopic[]; facts: Record<string, unknown> } {
  const { state } = ctx;
  const topics: SubscriptionTopic[] = [];
  const last = state.lastTopic;
  if (last?.program) {
    topics.push({ programme: last.program, query: last.query, label: deps.programmeName(last.program) ?? last.program, region: last.region });
  }
  const facts = Object.fromEntries(Object.entries(state.facts ?? {}).map(([k, v]) => [k, v.value]));
  const personas = personasOf(facts, deps.wording);
  // A question answered from the texts is a topic only when the facts give no group: "我是毕业生
  // 有啥补贴" is about the group, and the group names it better than the question does.
  if (last && !last.program && personas.length === 0) {
    const clause = last.query.split(/[，,。？?！!；;]/u).find((c) => c.trim().length >= 2) ?? last.query;
    topics.push({ query: last.query, label: Array.from(clause.trim()).slice(0, QUERY_LABEL_CHARS).join(''), region: last.region });
  }
  for (const persona of personas) {
    topics.push({ persona, query: '', label: deps.wording.personas[persona]!.label, region: state.region ?? last?.region ?? null });
  }
  return { topics, facts };
}

export function subscriptionForm(deps: SubscriptionDialogueDeps): FormDefinition {
  return {
    name: SUBSCRIPTION_FORM,
    absorb(ctx, form) {
      // The message that started the form ("有新政策告诉我") is no answer to the consent question.
      if (form.asking !== 'consent') return { filled: [], problems: [] };
      const c = controlOf(ctx.u);
      if (c !== 'yes' && c !== 'no') return { filled: [], problems: [] };
      form.slots.consent = c === 'yes';
      return { filled: ['consent'], problems: [] };
    },
    next(_ctx, form) {
      return form.slots.consent === undefined ? { slot: 'consent', question: (form.memo as unknown as Memo).consentText } : null;
    },
    intro: () => null,
    summary: () => null,
    async submit(ctx, form): Promise<Reply[]> {
      const memo = form.memo as unknown as Memo;
      if (form.slots.consent !== true) return [text(deps.wording.declined)];
      const { channel, userId } = ctx.msg;
      const existing = await deps.store.get(channel, userId);
      const topics = [...(existing?.topics ?? [])];
      const at = ctx.now.toISOString();
      for (const t of memo.topics) if (!topics.some((k) => sameTopic(k, t))) topics.push({ ...t, consentedAt: at });
      await deps.store.put({
        channel,
        userId,
        topics,
        facts: memo.facts,
        region: memo.region,
        consent: { at, text: memo.consentText },
      });
      return [text(fill(deps.wording.subscribed, { topics: labels(topics) }))];
    },
    cancelled: deps.wording.declined,
  };
}

export function subscribeHandler(deps: SubscriptionDialogueDeps, form: FormDefinition): Handler {
  return async (ctx) => {
    const { topics, facts } = topicsOf(ctx, deps);
    if (topics.length === 0) return [text(deps.wording.no_topic)];
    const existing = await deps.store.get(ctx.msg.channel, ctx.msg.userId);
    const fresh = topics.filter((t) => !existing?.topics.some((k) => sameTopic(k, t)));
    if (existing && fresh.length === 0) return [text(fill(deps.wording.already, { topics: labels(existing.topics) }))];
    const quiet = deps.quiet ? fill(deps.quiet.from > deps.quiet.to ? deps.wording.quiet : deps.wording.quiet_same_day, deps.quiet.label) : deps.wording.quiet_off;
    const consentText = fill(deps.wording.consent, { topics: labels(fresh), how: deps.wording.how[ctx.msg.channel], quiet });
    const memo: Memo = { topics: fresh, facts, region: ctx.state.region ?? ctx.state.lastTopic?.region ?? null, consentText };
    return startForm(ctx, form, memo as unknown as Record<string, unknown>);
  };
}

/** The words of unsubscribing, taken out to see whether a topic is left ("退订创业担保贷款"). */
const UNSUBSCRIBE_VERBS = /退订|取消订阅|不要?再?(通知|提醒|推送|发)(我)?|别再?(通知|提醒|推送|发)(我)?|[了吧啊吗呢]|[\s。，,.!！?？~～「」“”]/g;
/** Words around a topic's name that are not part of it ("…的提醒", "…政策"). */
const AROUND_TOPIC = /(的)?(提醒|通知|订阅|消息)|政策/g;

/** The topics a message names: an exact name first, else every topic whose name contains or is contained in it. */
function namedTopics(topics: readonly SubscriptionTopic[], said: string): SubscriptionTopic[] {
  for (const rest of [said, said.replace(AROUND_TOPIC, '')]) {
    if (rest.length < 2) continue;
    const exact = topics.filter((t) => t.label === rest);
    if (exact.length > 0) return exact;
    const near = topics.filter((t) => t.label.includes(rest) || rest.includes(t.label));
    if (near.length > 0) return near;
  }
  return [];
}

export function unsubscribeHandler(deps: SubscriptionDialogueDeps): Handler {
  return async (ctx) => {
    const { channel, userId } = ctx.msg;
    const sub = await deps.store.get(channel, userId);
    if (!sub) return [text(deps.wording.not_subscribed)];
    const named = namedTopics(sub.topics, ctx.u.normalized.replace(UNSUBSCRIBE_VERBS, ''));
    const left = sub.topics.filter((t) => !named.includes(t));
    if (named.length > 0 && left.length > 0) {
      await deps.store.put({ ...sub, topics: left });
      return [text(fill(deps.wording.unsubscribed_one, { topic: labels(named) }))];
    }
    // "退订" alone, or every topic named: the subscription ends.
    await deps.store.delete(channel, userId);
    return [text(deps.wording.unsubscribed_all)];
  };
}
