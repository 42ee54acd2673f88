/**
 * The single entry of the understanding layer for the dialogue engine: normalise, segment,
 * classify the intent, extract the entities.
 */
import { deepFreeze, Lru } from '../core/lru.js';
import { extractEntities, type Entities } from './entities.js';
import { AMBIGUOUS_BELOW, classifyWith, inputsFrom, intentModel, type HandlerName, type IntentScore } from './intents.js';
import { normalize } from './normalize.js';
import { contentWords, tokenize } from './segment.js';

export interface Understanding {
  /** The message as the raw text arrived. */
  text: string;
  /** After normalize(): width, traditional → simplified, typos, spaces. */
  normalized: string;
  /** Content words (jieba + policy dictionary, stop-words removed). */
  tokens: string[];
  /** Intent name from intents/intents.yaml, or "unknown" for a message with nothing to classify. */
  intent: string;
  /** The handler that serves the intent ("ambiguous" for unknown). */
  handler: HandlerName;
  /** 0–1, roughly the chance that the intent is right. */
  confidence: number;
  /** Every intent, best first. */
  ranking: IntentScore[];
  /** The rule that overrode the classifier (e.g. "ticket-number"), if any. */
  rule: string | null;
  /**
   * True when the engine should offer choices rather than act: nothing to classify, a low
   * confidence, a bare topic word ("补贴", "能领吗") for the policy and eligibility handlers, or a
   * bare yes/no ("对", "没有了") — which a form in progress reads from entities.reply instead.
   */
  ambiguous: boolean;
  entities: Entities;
}

export interface UnderstandOptions {
  /** "YYYY-MM-DD" or a Date (China time); relative dates and spans are worked out from it. */
  today: string | Date;
}

/** Messages this short (letters and digits only) name a topic at most. */
const BARE_TOPIC_MAX_CHARS = 3;

export function understand(text: string, opts: UnderstandOptions): Understanding {
  const normalized = normalize(text);
  const allTokens = tokenize(normalized);
  const entities = extractEntities(normalized, { today: opts.today });
  const result = classifyWith(intentModel(), inputsFrom(normalized, allTokens, entities));
  const compact = normalized.replace(/[^\p{L}\p{N}]/gu, '');
  const bareTopic =
    compact.length <= BARE_TOPIC_MAX_CHARS && (result.handler === 'policy_question' || result.handler === 'eligibility');
  // "对" / "没有了" on its own answers a question; outside a form there is nothing it answers.
  const bareReply = entities.reply?.exact === true && entities.reply.kind !== 'cancel';
  return {
    text,
    normalized,
    tokens: contentWords(allTokens),
    intent: result.intent,
    handler: result.handler,
    confidence: result.confidence,
    ranking: result.ranking,
    rule: result.rule,
    ambiguous: result.handler === 'ambiguous' || result.confidence < AMBIGUOUS_BELOW || bareTopic || bareReply,
    entities,
  };
}

/**
 * understand() with a memory of recent messages. The result depends only on the text and the day
 * (the dictionaries and the model are fixed for the life of the process), and the same short
 * messages come again and again ("你好", "1", "是的", the question of the day). The cached
 * understanding is frozen: callers share it and must not change it.
 */
export function cachedUnderstanding(capacity = 5000): (text: string, today: string) => Understanding {
  const cache = new Lru<string, Understanding>(capacity);
  return (text, today) => cache.getOrCompute(`${today}|${text}`, () => deepFreeze(understand(text, { today })));
}

/**
 * Loads the dictionaries and trains the intent classifier now (about 0.8 s) instead of on the
 * first message. Call once at start-up.
 */
export function warmUpUnderstanding(): void {
  understand('你好', { today: '2025-01-01' });
}
