/**
 * Intent classification, trained at start-up from intents/intents.yaml with natural's classifiers.
 *
 * Features of a message (intentFeatures): jieba tokens (stop-words kept — 我/俺 tell a personal case
 * from a general question), single Han characters (character bigrams optional, see DEFAULT_FEATURES),
 * and rule features that mark what the wording alone hides: a money amount, a duration, a ticket
 * number, a phone number, "where/whom" questions (去哪 / 找哪个部门 / 电话多少), "what does the law
 * say" questions (合法吗 / 会咋处理 / 能把他咋样), first-person demands (我要 / 帮我), and the
 * absence of a first person or of any employment word.
 *
 * The boundary "被欠工资了去哪投诉" (policy question) vs "老板欠我工资三个月了 咋办" (complaint) is
 * held by a small rule layer over the classifier (applyIntentRules), because a bag of features
 * drowns "去哪" under the many words about unpaid wages.
 *
 * natural's classifiers are trained on the feature lists; prediction reads the trained model
 * directly with sparse arithmetic (same formulas as natural's getClassifications, in log space for
 * Bayes) because natural's textToFeatures walks every known feature for every message.
 * `npx tsx scripts/intent-report.ts` compares the two classifiers by cross-validation.
 */
import { createRequire } from 'node:module';
import type classifiers from 'natural/lib/natural/classifiers/index.js';
import type { BayesClassifier as NaturalBayes, LogisticRegressionClassifier as NaturalLogistic } from 'natural/lib/natural/classifiers/index.js';
import { extractEntities, type Entities } from './entities.js';
import { loadIntentsFile, wageWords, wageWordsSource } from './lexicon.js';
import { normalize } from './normalize.js';
import { isPolicyTerm, tokenize } from './segment.js';

// The two classifier files alone: natural's classifiers/index.js also loads its maximum-entropy POS
// tagger and word lists (~38 MB of a process's memory) that nothing here uses.
const requireCjs = createRequire(import.meta.url);
const BayesClassifier = requireCjs('natural/lib/natural/classifiers/bayes_classifier.js') as typeof classifiers.BayesClassifier;
const LogisticRegressionClassifier = requireCjs(
  'natural/lib/natural/classifiers/logistic_regression_classifier.js',
) as typeof classifiers.LogisticRegressionClassifier;

/** Handlers the dialogue engine implements; an intent must name one of them. */
export const HANDLERS = [
  'policy_question',
  'eligibility',
  'wage_complaint',
  'ticket_status',
  'human_handoff',
  'greeting',
  'help',
  'out_of_scope',
  'thanks',
  'goodbye',
  'cancel',
  'ambiguous',
  /** "没用" / "不对" right after an answer: a verdict on it (routing rule answer-verdict), never a classifier intent. */
  'answer_feedback',
  // Reached only by routing rules (intents/routing.yaml), not by the classifier.
  'subscribe',
  'unsubscribe',
] as const;
export type HandlerName = (typeof HANDLERS)[number];

/** Intent returned when a message has nothing to classify ("?", "…", an emoji). */
export const UNKNOWN_INTENT = 'unknown';

export type ClassifierKind = 'bayes' | 'logistic';
/**
 * Measured (5-fold cross-validation on intents.yaml, default features; scripts/intent-report.ts):
 * - natural BayesClassifier: accuracy 83.5 %, macro-F1 82.6 %, ~0.15 s to train a fold;
 * - natural LogisticRegressionClassifier (apparatus, dense batch gradient descent): with every
 *   feature it did not finish a fold in 10 minutes; keeping features seen ≥ 5 times it reaches
 *   85.7 % / 83.5 % but takes ~16 s per fold (~20 s on all data), and on the dev questions it is no
 *   better (62/65 routed right vs 63/65 for Bayes).
 * Bayes is the default: within noise of LR, trains in well under a second, needs no cache.
 */
export const DEFAULT_CLASSIFIER: ClassifierKind = 'bayes';
/** natural's default is 1; 0.2 gave +2 points of cross-validated accuracy on intents.yaml. */
const DEFAULT_SMOOTHING = 0.2;
/**
 * Softmax temperature max(1, n/3) for n features: in cross-validation the confidence then roughly
 * matches the hit rate (0.4–0.6 → 66 %, 0.6–0.8 → 83 %, 0.8–0.95 → 93 %, below 0.4 → 25 %).
 */
const DEFAULT_TEMPERATURE_DIVISOR = 3;
/** Below this confidence the top intent is right only about a quarter of the time: ask instead. */
export const AMBIGUOUS_BELOW = 0.4;

export interface IntentExample {
  text: string;
  intent: string;
}

export interface IntentScore {
  intent: string;
  confidence: number;
}

export interface IntentResult {
  intent: string;
  handler: HandlerName;
  /** 0–1; the share of the top intent among all (softmax for Bayes, normalised sigmoids for LR). */
  confidence: number;
  /** Every intent, best first, as the classifier scored them (before any rule). */
  ranking: IntentScore[];
  /** Name of the rule that overrode the classifier, if one did. */
  rule: string | null;
}

// ---------------------------------------------------------------------------------------------
// Data

export function intentExamples(): IntentExample[] {
  const out: IntentExample[] = [];
  for (const [intent, def] of Object.entries(loadIntentsFile().intents)) {
    for (const text of def.examples) out.push({ text, intent });
  }
  return out;
}

export function handlerOf(intent: string): HandlerName {
  if (intent === UNKNOWN_INTENT) return 'ambiguous';
  const h = loadIntentsFile().intents[intent]?.handler;
  return (HANDLERS as readonly string[]).includes(h ?? '') ? (h as HandlerName) : 'ambiguous';
}

export interface IntentProblem {
  intent: string;
  problem: string;
}

/** Cross-checks intents.yaml: known handlers, no example under two intents, 30–80 examples each. */
export function validateIntents(file = loadIntentsFile()): IntentProblem[] {
  const problems: IntentProblem[] = [];
  const seen = new Map<string, string>();
  for (const [intent, def] of Object.entries(file.intents)) {
    if (!(HANDLERS as readonly string[]).includes(def.handler)) {
      problems.push({ intent, problem: `unknown handler "${def.handler}"` });
    }
    if (def.examples.length < 30 || def.examples.length > 80) {
      problems.push({ intent, problem: `${def.examples.length} examples (want 30–80)` });
    }
    for (const ex of def.examples) {
      const key = featureKey(ex);
      const other = seen.get(key);
      if (other !== undefined && other !== intent) {
        problems.push({ intent, problem: `example "${ex}" is also under "${other}"` });
      } else if (other === intent) {
        problems.push({ intent, problem: `example "${ex}" is listed twice` });
      }
      seen.set(key, intent);
    }
  }
  return problems;
}

/** Two examples are "the same" when they differ only in case, width, spaces and punctuation. */
export function featureKey(text: string): string {
  return normalize(text).toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
}

// ---------------------------------------------------------------------------------------------
// Features

const RULES: Array<[string, RegExp]> = [
  ['#q_where', /去哪|哪里|哪儿|在哪|找谁|找哪|哪个部门|什么部门|啥部门|哪个单位|电话是多少|电话多少|打什么电话|打啥电话|什么电话|啥电话|咨询电话|网站|窗口/],
  ['#q_law', /合法|违法|犯法|规定|会咋样|会怎样|咋处理|怎么处理|如何处理|能把他|拿他|坐牢|处罚|罚款|负责吗|管不管|该谁|谁负责|有没有办法治/],
  ['#q_what', /是什么|是啥|啥意思|什么意思|是干啥|是干嘛|有哪些|有什么|有啥|多少钱|多少|几年|多久|多长/],
  ['#q_how', /怎么|咋|如何|啥条件|什么条件|要啥|要什么|哪些材料|什么材料/],
  ['#me', /我|俺|咱|我们|俺们|俺家|我家/],
  ['#demand', /我要|俺要|帮我|帮俺|给我|给俺|替我|我想投诉|我想举报/],
  ['#owed', wageWords('owed', 'runaway')],
  ['#progress', /进度|进展|结果|处理到|到哪一步|哪一步|怎么样了|咋样了|有消息|动静|回复|受理/],
  ['#past_report', /投诉过|举报过|反映过|报过|登记过|之前投诉|上次|上回|前几天|已经投诉/],
  ['#qualify', /能领|能拿|能享受|能申请|能贷|符合|够条件|够格|资格|算算|算一下|测算|能补|能不能领/],
];

export type FeatureFamily = 'tokens' | 'chars' | 'bigrams' | 'rules';
/**
 * Measured by 5-fold cross-validation over 4 seeds (accuracy): tokens+bigrams+rules 80.3 %,
 * tokens+chars+bigrams+rules 81.7 %, chars+bigrams+rules 82.9 %, tokens+chars+rules 82.5 %.
 * Single characters generalise best on short messages (谢啦 / 多谢); jieba tokens keep policy terms
 * whole. Bigrams add little and double the feature count, so they are off by default.
 */
export const DEFAULT_FEATURES: FeatureFamily[] = ['tokens', 'chars', 'rules'];

/** Words of employment and labour policy (besides the policy terms of terms.txt). */
const DOMAIN =
  /补贴|补助|奖补|补帖|贷款|创业|就业|见习|实习|工资|工钱|欠薪|讨薪|社保|保险|培训|岗位|毕业|打工|务工|招聘|招工|招人|人社|劳动|失业|档案|报到证|落户|政策|申请|脱贫|低保|监测|雨露|公益岗|零工|老板|包工头|工地|厂|投诉|举报|合同|技能|证书|学徒|孵化|担保|贴息|12333/;

/** What the features are computed from; understand() passes what it has already worked out. */
export interface FeatureInputs {
  /** normalize(text). */
  normalized: string;
  /** tokenize(normalized): all jieba tokens, lower-cased, stop-words kept. */
  tokens: string[];
  hasTicket: boolean;
  hasPhone: boolean;
  hasAmount: boolean;
  hasDuration: boolean;
}

/** Computes the inputs from raw text, the same way understand() does. */
export function featureInputs(text: string, today: string | Date = new Date()): FeatureInputs {
  const normalized = normalize(text);
  return inputsFrom(normalized, tokenize(normalized), extractEntities(normalized, { today }));
}

export function inputsFrom(normalized: string, tokens: string[], e: Entities): FeatureInputs {
  return {
    normalized,
    tokens,
    hasTicket: e.tickets.length > 0,
    hasPhone: e.phones.length > 0,
    hasAmount: e.amounts.length > 0,
    hasDuration: e.durations.length > 0,
  };
}

/** Features of one message for the intent classifier (raw text, or the inputs already computed). */
export function intentFeatures(text: string | FeatureInputs, families: FeatureFamily[] = DEFAULT_FEATURES): string[] {
  const inputs = typeof text === 'string' ? featureInputs(text) : text;
  const lower = inputs.normalized.toLowerCase();
  const out = new Set<string>();
  const compact = lower.replace(/\d+(?:\.\d+)?/g, '0').replace(/[^\p{L}\p{N}]/gu, '');
  if (families.includes('tokens')) {
    for (const t of inputs.tokens) out.add(/^\d+(?:\.\d+)?$/.test(t) ? '<num>' : t);
  }
  if (families.includes('chars')) {
    for (const ch of compact) if (/\p{Script=Han}/u.test(ch)) out.add(`c:${ch}`);
  }
  if (families.includes('bigrams')) {
    for (let i = 0; i + 1 < compact.length; i++) out.add(`b:${compact.slice(i, i + 2)}`);
  }
  if (compact.length <= 3) out.add('#short');
  if (!families.includes('rules')) return [...out];
  for (const [name, re] of RULES) if (re.test(lower)) out.add(name);
  // Naive Bayes only counts features that are present: mark the absence of a first person too,
  // it is what tells "有补贴吗" (policy) from "我能领补贴吗" (eligibility).
  if (!out.has('#me')) out.add('#impersonal');
  // Same for the domain: a message with no employment word at all leans out of scope.
  out.add(DOMAIN.test(lower) || inputs.tokens.some(isPolicyTerm) ? '#domain' : '#off_domain');
  if (inputs.hasTicket) out.add('#ticket');
  else if (/qx|工单|单号|编号/.test(lower)) out.add('#ticket_word');
  if (inputs.hasPhone) out.add('#phone');
  if (inputs.hasAmount) out.add('#amount');
  if (inputs.hasDuration) out.add('#duration');
  return [...out];
}

// ---------------------------------------------------------------------------------------------
// Models

export interface IntentModel {
  kind: ClassifierKind;
  labels: string[];
  /** The feature families this model was trained on. */
  families: FeatureFamily[];
  /** Its features for a message (raw text or precomputed inputs). */
  features(text: string | FeatureInputs): string[];
  /** Scores for a feature list, best first, confidences summing to 1. */
  rank(features: string[]): IntentScore[];
}

function softmax(scores: Array<[string, number]>, temperature: number): IntentScore[] {
  const max = Math.max(...scores.map(([, s]) => s));
  const exps = scores.map(([label, s]) => [label, Math.exp((s - max) / temperature)] as const);
  const sum = exps.reduce((a, [, e]) => a + e, 0);
  return exps.map(([intent, e]) => ({ intent, confidence: e / sum })).sort((a, b) => b.confidence - a.confidence);
}

/**
 * natural's BayesClassifier. Prediction: log P(class) + Σ log P(feature | class) over the features
 * present — natural's own formula (it multiplies the same terms and underflows on long messages),
 * in log space — then a softmax whose temperature grows with the number of features, so that the
 * confidence roughly matches the hit rate (see DEFAULT_TEMPERATURE_DIVISOR).
 */
function trainBayes(examples: Array<{ features: string[]; intent: string }>, opts: TrainOptions): Pick<IntentModel, 'kind' | 'labels' | 'rank'> {
  const nb: NaturalBayes = new BayesClassifier(undefined, opts.smoothing ?? DEFAULT_SMOOTHING);
  for (const ex of balanced(examples, opts.balance ?? true)) nb.addDocument(ex.features, ex.intent);
  nb.train();
  const index = new Map(Object.keys(nb.features).map((f, i) => [f, i]));
  const model = nb.classifier as unknown as {
    classFeatures: Record<string, Record<number, number>>;
    classTotals: Record<string, number>;
    totalExamples: number;
    smoothing: number;
  };
  const labels = Object.keys(model.classFeatures);
  const prior = new Map(labels.map((l) => [l, Math.log((model.classTotals[l] ?? 1) / model.totalExamples)]));
  const smoothing = model.smoothing;
  const logTotal = new Map(labels.map((l) => [l, Math.log(model.classTotals[l] ?? 1)]));
  return {
    kind: 'bayes',
    labels,
    rank(features) {
      const ids = features.map((f) => index.get(f)).filter((i): i is number => i !== undefined);
      const scores = labels.map((label): [string, number] => {
        const counts = model.classFeatures[label] ?? {};
        const lt = logTotal.get(label) ?? 0;
        let s = prior.get(label) ?? 0;
        for (const i of ids) s += Math.log(counts[i] ?? smoothing) - lt;
        return [label, s];
      });
      return softmax(scores, Math.max(1, ids.length / (opts.temperatureDivisor ?? DEFAULT_TEMPERATURE_DIVISOR)));
    },
  };
}

/** natural's LogisticRegressionClassifier (one-vs-rest, batch gradient descent in apparatus). */
function trainLogistic(examples: Array<{ features: string[]; intent: string }>, opts: TrainOptions): Pick<IntentModel, 'kind' | 'labels' | 'rank'> {
  const lr: NaturalLogistic = new LogisticRegressionClassifier();
  const minCount = opts.minFeatureCount ?? 5;
  const counts = new Map<string, number>();
  for (const ex of examples) for (const f of ex.features) counts.set(f, (counts.get(f) ?? 0) + 1);
  for (const ex of examples) {
    const kept = ex.features.filter((f) => (counts.get(f) ?? 0) >= minCount);
    if (kept.length > 0) lr.addDocument(kept, ex.intent);
  }
  lr.train();
  const index = new Map(Object.keys(lr.features).map((f, i) => [f, i]));
  const model = lr.classifier as unknown as { classifications: string[]; theta: Array<{ elements: number[] }> };
  const labels = model.classifications;
  return {
    kind: 'logistic',
    labels,
    rank(features) {
      const ids = features.map((f) => index.get(f)).filter((i): i is number => i !== undefined);
      const raw = labels.map((label, k) => {
        const theta = model.theta[k]?.elements ?? [];
        let z = 0;
        for (const i of ids) z += theta[i] ?? 0;
        return [label, 1 / (1 + Math.exp(-z))] as const;
      });
      const sum = raw.reduce((a, [, p]) => a + p, 0) || 1;
      return raw.map(([intent, p]) => ({ intent, confidence: p / sum })).sort((a, b) => b.confidence - a.confidence);
    },
  };
}

export interface TrainOptions {
  kind?: ClassifierKind;
  /** Bayes: repeat the examples of smaller intents so every intent weighs the same (default true). */
  balance?: boolean;
  /** Bayes: natural's additive smoothing (default DEFAULT_SMOOTHING). */
  smoothing?: number;
  /** Bayes: softmax temperature = max(1, features / this) (default DEFAULT_TEMPERATURE_DIVISOR). */
  temperatureDivisor?: number;
  /** Logistic: drop features seen fewer times than this (default 5; with all features apparatus does not finish). */
  minFeatureCount?: number;
  /** Which feature families to use (default all). */
  features?: FeatureFamily[];
}

/**
 * natural's Bayes divides by the number of documents of a class, so an intent with fewer examples
 * gets a milder penalty for every unseen feature and wins on long messages. Repeating the examples
 * of smaller intents (to the size of the largest) removes that bias.
 */
function balanced<T extends { intent: string }>(examples: T[], on: boolean): T[] {
  if (!on) return examples;
  const byIntent = new Map<string, T[]>();
  for (const ex of examples) byIntent.set(ex.intent, [...(byIntent.get(ex.intent) ?? []), ex]);
  const target = Math.max(...[...byIntent.values()].map((l) => l.length));
  const out: T[] = [];
  for (const list of byIntent.values()) {
    for (let i = 0; i < target; i++) out.push(list[i % list.length] as T);
  }
  return out;
}

/** Training does not depend on the day it runs (date spans only set the #duration feature). */
const TRAINING_TODAY = '2025-01-01';

export function trainIntentModel(examples: IntentExample[], kindOrOptions: ClassifierKind | TrainOptions = {}): IntentModel {
  const opts = typeof kindOrOptions === 'string' ? { kind: kindOrOptions } : kindOrOptions;
  const withFeatures = examples.map((e) => ({
    features: intentFeatures(featureInputs(e.text, TRAINING_TODAY), opts.features),
    intent: e.intent,
  }));
  const model = (opts.kind ?? DEFAULT_CLASSIFIER) === 'bayes' ? trainBayes(withFeatures, opts) : trainLogistic(withFeatures, opts);
  const families = opts.features ?? DEFAULT_FEATURES;
  return { ...model, families, features: (text) => intentFeatures(text, families) };
}

let shared: IntentModel | undefined;

/** The model trained on all of intents.yaml, built on first use (well under a second). */
export function intentModel(): IntentModel {
  return (shared ??= trainIntentModel(intentExamples()));
}

// ---------------------------------------------------------------------------------------------
// Rules over the classifier: few, precise, each named in the result.

/** Asking where / to whom to complain: 去哪投诉, 找哪个部门, 投诉电话多少. */
const ASKS_WHERE = /(?:去|到|找|向|跟)(?:哪|哪里|哪儿|哪个部门|什么部门|啥部门|谁)|哪里能|在哪(?:里|儿)?(?:投诉|举报|告|反映|登记)|(?:投诉|举报)(?:电话|热线)|打(?:什么|啥|哪个)电话|该找谁|找谁管/;
/** Asking what the law or the government does: 政府能把他咋样, 会坐牢吗, 这合法吗, 总包管不管. */
const ASKS_LAW = /(?:把他|拿他|对他|把老板|拿老板)(?:咋样|怎么样|怎样|咋办)|(?:会|能)(?:坐牢|判刑|被罚|受处罚)|(?:怎么|咋|如何)(?:处罚|处理|惩罚)|(?:合法|违法|犯法)(?:吗|不|没)|(?:有什么|有啥)规定|(?:负责|管)(?:吗|不)|管不管|谁来管|谁负责/;
/** A first-person demand to act: 我要投诉, 我要举报, 帮我要工资, 给我立案. */
const DEMANDS_ACTION = /(?:我|俺)(?:要|想)(?:投诉|举报|告|维权|讨薪|登记|反映)|帮(?:我|俺)(?:要|讨|投诉|举报|登记|问问老板)|给(?:我|俺)(?:立案|登记)/;
/** Money owed to the writer: 欠我, 不给钱, 拖着不发 … */
const OWED = wageWords('owed', 'runaway');
/** The writer's own loss, told as a fact: the boss has run off, owes me, will not pay me. */
const REPORTS_LOSS = new RegExp(
  `(?:${wageWordsSource('payer')}|经理|公司|厂子?)(?:${wageWordsSource('runaway')}|联系不上|找不到了|电话打不通|不见了)|(?:欠|拖欠?|扣|押)(?:我|俺)|不给(?:我|俺)`,
  'u',
);
const CANCEL_CUE = /撤销|撤回|取消|不投诉了|不告了|不用处理了/;

export interface RuleHit {
  name: string;
  intent: string;
}

/** Applies the rules to a classified message; returns the rule that changed the intent, if any. */
export function applyIntentRules(text: string, top: string, hasTicket: boolean): RuleHit | null {
  if (hasTicket && top !== 'ticket_status') {
    return CANCEL_CUE.test(text) ? { name: 'ticket-number-cancel', intent: 'cancel' } : { name: 'ticket-number', intent: 'ticket_status' };
  }
  const demand = DEMANDS_ACTION.test(text);
  // "老板跑了 找谁": whom to turn to, said by someone it has just happened to, is a complaint lead.
  const happened = REPORTS_LOSS.test(text) && !ASKS_LAW.test(text);
  if (top === 'wage_complaint' && !demand && !happened && (ASKS_WHERE.test(text) || ASKS_LAW.test(text))) {
    return { name: 'asks-where-or-law', intent: 'policy_question' };
  }
  if (top === 'policy_question' && demand && OWED.test(text)) {
    return { name: 'demands-action-on-owed-wages', intent: 'wage_complaint' };
  }
  return null;
}

/** Confidence reported when a rule decided the intent. */
const RULE_CONFIDENCE = 0.9;

/** Features that only say what a message lacks. */
const ABSENCE_FEATURES = new Set(['#short', '#impersonal', '#off_domain']);

/**
 * "?", "…", an emoji, or a bare number of 5+ digits (a phone number or an amount typed on its own,
 * meaningful only as the answer to a question) carry no intent. 88 / 886 (goodbye) still do.
 */
function hasSomethingToClassify(text: string, features: string[]): boolean {
  if (features.includes('#ticket')) return true;
  const compact = text.replace(/[^\p{L}\p{N}]/gu, '');
  if (/^\d{5,}$/.test(compact)) return false;
  return features.some((f) => !ABSENCE_FEATURES.has(f));
}

/** Classifies with a given model (default: the shared one). */
export function classifyWith(model: IntentModel, text: string | FeatureInputs): IntentResult {
  const inputs = typeof text === 'string' ? featureInputs(text) : text;
  const features = model.features(inputs);
  if (!hasSomethingToClassify(inputs.normalized, features)) {
    return { intent: UNKNOWN_INTENT, handler: 'ambiguous', confidence: 0, ranking: [], rule: null };
  }
  const ranking = model.rank(features);
  const top = ranking[0] ?? { intent: UNKNOWN_INTENT, confidence: 0 };
  const hit = applyIntentRules(inputs.normalized, top.intent, inputs.hasTicket);
  if (hit && model.labels.includes(hit.intent)) {
    return { intent: hit.intent, handler: handlerOf(hit.intent), confidence: RULE_CONFIDENCE, ranking, rule: hit.name };
  }
  return { intent: top.intent, handler: handlerOf(top.intent), confidence: top.confidence, ranking, rule: null };
}

/** Intent of a message (raw or normalised text). */
export function classifyIntent(text: string): IntentResult {
  return classifyWith(intentModel(), text);
}
