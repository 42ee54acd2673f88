/** Policy questions: answered from the knowledge base with the source named (src/answers). */
import { answerPolicyQuestion } from '../../answers/policy-answer.js';
import type { UnansweredLog } from '../../answers/unanswered-log.js';
import type { QuestionTypes } from '../../answers/question-types.js';
import type { Referrals } from '../../answers/referrals.js';
import type { ClauseIndex } from '../../knowledge/clause-index.js';
import type { CatalogueAnswerer } from '../../programs/catalogue-answer.js';
import type { PersonFacts } from '../../programs/verdict.js';
import type { Facet } from '../../programs/catalogue.js';
import { citationFor, clauseWithChildren } from '../../knowledge/documents.js';
import type { ConversationState } from '../state.js';
import type { Understanding } from '../../nlu/understand.js';
import type { Responses } from '../responses.js';
import { text, type Handler } from '../turn.js';
import { citationText } from '../../knowledge/citation-text.js';

/** A short message that only makes sense with the previous question: "那济宁呢", "要啥材料". */
const FOLLOW_UP = /^(那|那么|还有|另外|要是|如果|换成|换到)|呢[?？]?(?=\s|$)|^(要|需要)(啥|什么|哪些)材料|^(去)?哪(里|儿)?(申请|办)/

export interface PolicyDeps {
  index: ClauseIndex;
  questionTypes: QuestionTypes;
  referrals: Referrals;
  unanswered: UnansweredLog;
  responses: Responses;
  /** The programme catalogue, which answers first when it knows the programme asked about. */
  catalogue?: CatalogueAnswerer;
  /** The person's facts a message states, read as the calculator reads them. */
  readFacts?: (u: Understanding, today: string) => PersonFacts;
}

/**
 * The person's facts as told so far, this message's replacing earlier ones ("不对 我是中专"); the
 * region is kept apart (state.region).
 */
function rememberFacts(state: ConversationState, said: PersonFacts, now: Date): PersonFacts {
  const kept = { ...(state.facts ?? {}) };
  for (const [k, v] of Object.entries(said)) if (k !== 'region' && v !== undefined) kept[k] = { value: v, at: now.toISOString() };
  state.facts = kept;
  return Object.fromEntries(Object.entries(kept).map(([k, v]) => [k, v.value]));
}

/** "原文", "看原文", "把原文发我": the clause text of the last answer. */
const ASKS_ORIGINAL = /^(请|麻烦)?(看|发|给我看|把)?(一下)?(条款)?原文(发(给)?我|看看|呢)?[。！!?？]?$|^(看看|查看)(条款|原文)/;
/** At most this many clauses, each cut at this length ("……" marks the cut), for "原文". */
const ORIGINAL_CLAUSES = 2;
const ORIGINAL_CHARS = 600;

/** A catalogue answer saying the texts do not give what was asked. */
const TEXTS_LACK_IT = /没有写|没写|未写明|没有明确|没有列明|没有规定/;

/** How much of a conversation's questions the topic keeps for follow-ups. */
const TOPIC_QUERY_CHARS = 80;

/** A message this short that asks only a facet ("电话多少", "去哪办") continues the topic. */
const SHORT_FOLLOW_UP_CHARS = 12;
/** A part of a message with two questions long enough to be one ("社保该在哪交"). */
const MIN_PART_CHARS = 5;

/** A clause this strong answers even a question the classifier thought was something else. */
export const CONFIDENT_ANSWER_SCORE = 15;

export function policyQuestionHandler(deps: PolicyDeps): Handler {
  return async (ctx) => {
    const { u, state } = ctx;
    const said = deps.readFacts?.(u, ctx.today) ?? {};
    // "在广东厂里干了一年": a province where one works is no region of the question; the region of
    // a claim is where one lives and is registered.
    if (u.entities.otherRegion && !u.entities.region && said.work_location === undefined) {
      const place = u.entities.places[0]?.name ?? '当地';
      await deps.unanswered.record({ text: ctx.msg.text, reason: 'other_region', channel: ctx.msg.channel, at: ctx.now });
      return [text(deps.responses.other_region.replace('{place}', place))];
    }
    if (u.entities.region) state.region = u.entities.region;
    const region = u.entities.region ?? state.region;

    let query = u.normalized;
    // "原文": the clauses the last answer was written from, word for word, with their source.
    if (ASKS_ORIGINAL.test(query) && state.lastTopic?.program && deps.catalogue) {
      const sources = deps.catalogue.sources(state.lastTopic.program, (state.lastTopic.facets ?? []) as Facet[]).slice(0, ORIGINAL_CLAUSES);
      if (sources.length > 0) {
        (ctx.trace ??= []).push(`original:${sources.map((x) => x.clause.id).join(',')}`);
        return sources.map(({ doc, clause }) => {
          const c = citationFor(doc, clause);
          const whole = clauseWithChildren(doc, clause).map((c) => c.text).join('\n');
          const body = whole.length > ORIGINAL_CHARS ? `${whole.slice(0, ORIGINAL_CHARS)}……` : whole;
          return { text: `${body}\n出处：${citationText(c, { clausePrefix: ' ' })}`, citations: [c] };
        });
      }
    }
    // A follow-up: "那…"/"…呢", a short message, or one that tells the person's own facts ("在职25个人
    // 今年新招了3个 够不够") — such a message is about the open topic unless it names a programme itself.
    const tellsFacts = Object.keys(said).some((k) => k !== 'region');
    const followUp = state.lastTopic !== null && (FOLLOW_UP.test(query) || query.length <= SHORT_FOLLOW_UP_CHARS || tellsFacts);
    const referral = deps.referrals.find(query);
    if (deps.catalogue) {
      const facts = rememberFacts(state, said, ctx.now);
      // "社保该在哪交？厂里还想把俺转派到别的厂去 这中不中": two questions, two answers — each part
      // answered by the catalogue, the second read with the first; both must be answered, by different
      // programmes or facets, else the message is read whole.
      const parts = query.split(/[？?]+\s*/).map((x) => x.trim()).filter((x) => x.length >= MIN_PART_CHARS);
      if (parts.length === 2) {
        const first = deps.catalogue.answer({ text: parts[0]!, region, today: ctx.today, facts, toldFacts: tellsFacts, topic: state.lastTopic?.program ?? null, followUp, context: followUp ? (state.lastTopic?.query ?? null) : null, inherit: [] });
        const second = first.answer
          ? deps.catalogue.answer({ text: parts[1]!, region, today: ctx.today, facts, toldFacts: false, topic: first.answer.program.id, followUp: true, context: parts[0]!, inherit: [] })
          : null;
        const a = first.answer;
        const b = second?.answer;
        if (a && b && (a.program.id !== b.program.id || a.facets.join() !== b.facets.join()) && (!referral || a.named)) {
          (ctx.trace ??= []).push('two questions', ...first.trace, '—', ...second!.trace);
          state.lastTopic = { query, region, program: b.program.id, facets: b.facets };
          return [...a.replies, ...b.replies];
        }
      }
      const { answer: found, trace } = deps.catalogue.answer({
        text: query,
        region,
        today: ctx.today,
        facts,
        toldFacts: tellsFacts,
        context: followUp ? (state.lastTopic?.query ?? null) : null,
        inherit: (state.lastTopic?.facets ?? []) as Facet[],
        topic: state.lastTopic?.program ?? null,
        followUp,
      });
      (ctx.trace ??= []).push(`facts:${Object.keys(facts).join(',') || 'none'}`, ...trace, ...(found ? [] : ['catalogue: no answer']));
      // A referral (pension, medical insurance …) wins unless the question names a programme itself.
      if (found && (!referral || found.named)) {
        // A follow-up keeps the question it continues, so that the next one still has the thread.
        const context = followUp && !found.named && state.lastTopic ? `${state.lastTopic.query} ${query}`.slice(-TOPIC_QUERY_CHARS) : query;
        // An overview names several programmes: the next message says which, so no one of them is the topic yet.
        state.lastTopic = found.facets.length > 0 ? { query: context, region, program: found.program.id, facets: found.facets } : { query: context, region };
        // An answer that says the texts lack what was asked ("文件没有写…最低工资") is a gap staff should see.
        const lacking = found.replies.some((r) => TEXTS_LACK_IT.test(r.text));
        if (lacking) {
          await deps.unanswered.record({ text: ctx.msg.text, reason: 'no_figure', channel: ctx.msg.channel, at: ctx.now });
        }
        // …and the person is told where to ask, unless a reply already says so.
        const pointed = found.replies.some((r) => /12333|人社部门/.test(r.text));
        if (lacking && !pointed) found.replies.push(text(deps.responses.texts_lack_it));
        // The next step in one line: a programme the calculator works out, not yet for this person.
        const offer = found.program.calculator.length > 0 && !trace.some((t) => t.startsWith('calculated:')) && !state.form;
        return offer ? [...found.replies, text(deps.responses.calculator_offer)] : found.replies;
      }
    }
    // A subject no text covers (残疾人两项补贴, 仲裁收费) is referred, whatever words it shares with the texts.
    if (referral?.strict) {
      (ctx.trace ??= []).push(`referral:${referral.name} (strict)`);
      await deps.unanswered.record({ text: ctx.msg.text, reason: `referral:${referral.name}`, channel: ctx.msg.channel, at: ctx.now });
      return [text(`${deps.responses.out_of_scope}\n${referral.reply}`)];
    }
    if (state.lastTopic && query.length <= 12 && FOLLOW_UP.test(query)) query = `${state.lastTopic.query} ${query}`;

    const answer = answerPolicyQuestion(deps.index, deps.questionTypes, { text: query, region, today: ctx.today });
    if (referral && (answer.hits[0]?.score ?? 0) < CONFIDENT_ANSWER_SCORE) {
      await deps.unanswered.record({ text: ctx.msg.text, reason: `referral:${referral.name}`, channel: ctx.msg.channel, at: ctx.now });
      return [text(`${deps.responses.out_of_scope}
${referral.reply}`)];
    }
    if (!answer.answered) {
      await deps.unanswered.record({ text: ctx.msg.text, reason: answer.gap ?? 'no_match', channel: ctx.msg.channel, at: ctx.now });
    } else {
      // The facet asked is kept even when the clauses answered, so that "那网课呢" asks it again.
      const asked = deps.questionTypes.facets(u.normalized);
      // A follow-up the clauses answered stays on the topic's programme ("能不能一年一交" on 灵活就业参保).
      const program = followUp ? state.lastTopic?.program : undefined;
      state.lastTopic = { query, region, ...(program ? { program } : {}), ...(asked.length > 0 ? { facets: asked } : {}) };
    }
    return answer.replies;
  };
}

/**
 * Out of scope by the classifier: still answered from the texts when they clearly answer (the
 * classifier has seen far fewer phrasings than the knowledge base holds), otherwise said plainly.
 */
export function outOfScopeHandler(deps: PolicyDeps, policy: Handler): Handler {
  return async (ctx) => {
    const referral = deps.referrals.find(ctx.u.normalized);
    const probe = answerPolicyQuestion(deps.index, deps.questionTypes, { text: ctx.u.normalized, region: ctx.state.region, today: ctx.today });
    if (!referral && probe.answered && (probe.hits[0]?.score ?? 0) >= CONFIDENT_ANSWER_SCORE) return policy(ctx);
    await deps.unanswered.record({ text: ctx.msg.text, reason: 'out_of_scope', channel: ctx.msg.channel, at: ctx.now });
    return [text(referral ? `${deps.responses.out_of_scope}\n${referral.reply}` : deps.responses.out_of_scope)];
  };
}
