/**
 * "Can I get it / how much would I get": a question that names a programme is answered from its
 * clause, with an offer to work out the person's own amount; a general "我能领什么补贴" starts the
 * eligibility questions; a subject outside the texts is said to be so.
 */
import { answerPolicyQuestion, benefitsNamed, buildQuery } from '../../answers/policy-answer.js';
import { Lru } from '../../core/lru.js';
import { isPolicyTerm } from '../../nlu/segment.js';
import { CALCULATOR_OFFER } from '../forms/eligibility-form.js';
import { text, type Handler } from '../turn.js';
import type { PolicyDeps } from './policy-question.js';

/** Policy words too general to name a programme ("我能领什么补贴"). */
const GENERIC_TERMS = new Set(['补贴', '政策', '补助', '奖补', '优惠', '扶持', '待遇', '钱']);

/** Whether a question names a programme (a policy word more specific than 补贴), not only "a subsidy". */
export function namesProgramme(question: string): boolean {
  return buildQuery(question).some((q) => !q.term.startsWith('#') && !GENERIC_TERMS.has(q.term) && isPolicyTerm(q.term));
}

/**
 * The benefits a question names, most specific only (一次性创业补贴, not the 创业补贴 inside it), that
 * none of the calculator's programmes is about.
 */
function uncalculated(question: string, calculatorTitles: string[]): string[] {
  const named = benefitsNamed(buildQuery(question));
  return named
    .filter((t) => !named.some((o) => o !== t && o.includes(t)))
    .filter((t) => !calculatorTitles.some((title) => title.includes(t)));
}

export function eligibilityHandler(
  deps: PolicyDeps,
  policy: Handler,
  outOfScope: Handler,
  startCalculator: Handler,
  calculatorTitles: string[] = [],
  /** "帮我算算…": the person asks for their own figure (intents/routing.yaml cue asks_to_calculate). */
  asksToCalculate: RegExp | null = null,
): Handler {
  // The same few questions come again and again; their wording decides this, nothing else.
  const named = new Lru<string, boolean>(2000);
  return async (ctx) => {
    const question = ctx.u.normalized;
    if (deps.referrals.find(question)) return outOfScope(ctx);
    // Asked to work it out: the calculator, which takes what the message already says (创业担保贷款 → loan type).
    if (asksToCalculate?.test(question)) return startCalculator(ctx);
    if (!named.getOrCompute(question, () => namesProgramme(question))) return startCalculator(ctx);
    const probe = answerPolicyQuestion(deps.index, deps.questionTypes, {
      text: question,
      region: ctx.u.entities.region ?? ctx.state.region,
      today: ctx.today,
    });
    if (!probe.answered) {
      // "一次性创业补贴能领多少": the texts name it without an amount and the calculator has no rule
      // for it either — say so plainly. "退役军人能贷多少" names no such benefit: the calculator asks
      // the loan type and works it out.
      if (probe.gap === 'no_figure' && uncalculated(question, calculatorTitles).length > 0) return policy(ctx);
      return startCalculator(ctx);
    }
    const replies = await policy(ctx);
    return [...replies, text(CALCULATOR_OFFER)];
  };
}
