/**
 * "我能领什么补贴": a form that asks who the person is, then only the facts the calculator reports
 * missing for that person's programmes (one question at a time, at most `max_questions`), and answers
 * with the results, each with its source. What to ask whom, which programmes to show and the
 * everyday wording are data (intents/forms/eligibility.yaml); the questions are those of
 * knowledge/rules/questions.yaml; every figure comes from the calculator (src/eligibility).
 *
 * Slots: `who` (an option of the persona choice), `region`, and profile fields by their names.
 */
import type { Region, Persona } from '../../core/types.js';
import type { Evaluator } from '../../eligibility/evaluate.js';
import { isRelevant } from '../../eligibility/programs.js';
import { profileSchema, type Profile } from '../../eligibility/profile.js';
import type { ProgramResult } from '../../eligibility/types.js';
import { understand } from '../../nlu/understand.js';
import { startForm } from '../form-runner.js';
import type { ActiveForm, ConversationState } from '../state.js';
import type { FormDefinition, Handler, TurnContext } from '../turn.js';
import { loadEligibilityFormConfig, type EligibilityFormConfig, type WhoOption } from './eligibility/config.js';
import { extract, REGION, WHO } from './eligibility/extract.js';
import { fieldLabel, kindOf, renderResults } from './eligibility/render.js';

export const ELIGIBILITY_FORM = 'eligibility';

/** Said after a policy answer; "帮我算算" takes it up. */
export const CALCULATOR_OFFER = '想知道您自己能领多少？回复“帮我算算”，我问您几个问题后帮您测算。';

/**
 * The person's message the calculator was just offered for, when this turn takes up the offer:
 * "我是大学毕业生 想自己开个奶茶店 能有啥补贴" → (answer + offer) → "帮我算算". Its facts count, so
 * the calculator does not ask again who they are.
 */
function offeredFor(state: ConversationState): string | null {
  const h = state.history;
  // The offer closes the reply (CALCULATOR_OFFER, or the catalogue's one line in responses.yaml).
  const last = h.at(-1);
  if (!last || last.from !== 'assistant' || !last.text.includes('帮我算算')) return null;
  for (let i = h.length - 1; i >= 0; i--) if (h[i]!.from === 'user') return h[i]!.text;
  return null;
}

export interface EligibilityFormDeps {
  evaluator: Evaluator;
  /** intents/forms/eligibility.yaml by default. */
  configFile?: string;
}

interface Memo {
  /** Profile fields asked so far (the persona choice is not counted). */
  asked: string[];
  /** Fields the person could not answer ("不知道"). */
  skipped: string[];
  /** Persona hinted by the first message ("我是大学生，想贷款"), kept for the loan option. */
  personaHint?: Persona | null;
  /** Region remembered from earlier in the conversation. */
  knownRegion?: Region | null;
  /** Fields the person brought up ("参加过创业培训"): asked next, whatever their option asks. */
  raised?: string[];
}

const FIELD_SHAPES = profileSchema.shape as Record<string, { safeParse(v: unknown): { success: boolean } }>;

function memoOf(form: ActiveForm): Memo {
  const m = form.memo as Partial<Memo>;
  m.asked ??= [];
  m.skipped ??= [];
  m.raised ??= [];
  return m as Memo;
}

/** 8 + 月 reads "8月" (August); durations read "8个月". */
const DISPLAY_UNIT: Record<string, string> = { 月: '个月' };

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

export interface EligibilityFlow {
  form: FormDefinition;
  start: Handler;
  config: EligibilityFormConfig;
  /** The profile facts a message states (age, graduation date, staff …), read as the calculator reads them. */
  readFacts(u: TurnContext['u'], today: string): Record<string, unknown>;
}

export function eligibilityForm(deps: EligibilityFormDeps): EligibilityFlow {
  const { evaluator } = deps;
  const cfg = loadEligibilityFormConfig(evaluator, deps.configFile);
  const questions = evaluator.questions;
  const optionOf = (form: ActiveForm): WhoOption | undefined => cfg.who.options.find((o) => o.key === form.slots[WHO]);

  function whoQuestion(): string {
    return [cfg.who.prompt, ...cfg.who.options.map((o, i) => `${i + 1}. ${o.label}`)].join('\n');
  }

  function profileOf(form: ActiveForm, option: WhoOption): Profile {
    const profile: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(form.slots)) if (k in FIELD_SHAPES) profile[k] = v;
    const memo = memoOf(form);
    let persona: Persona = option.persona;
    if (option.persona_with_household && profile.household_type !== undefined) persona = option.persona_with_household;
    if (option.key === 'loan' && memo.personaHint) persona = memo.personaHint;
    profile.persona = persona;
    return profile as Profile;
  }

  function regionOf(form: ActiveForm): { region: Region; defaulted: boolean } {
    const said = (form.slots[REGION] as Region | undefined) ?? memoOf(form).knownRegion ?? null;
    return said ? { region: said, defaulted: false } : { region: cfg.default_region, defaulted: true };
  }

  /** The calculator's results for the programmes of this person's option, in the option's order. */
  function resultsFor(ctx: TurnContext, form: ActiveForm, option: WhoOption): ProgramResult[] {
    const { results } = evaluator.evaluate({ region: regionOf(form).region, asOf: ctx.today, profile: profileOf(form, option) });
    const byKey = new Map(results.map((r) => [r.program, r]));
    return option.programs.map((p) => byKey.get(p)).filter((r): r is ProgramResult => r !== undefined);
  }

  /**
   * The results worth showing: programmes the person's facts point to (a trigger field given), their
   * part-of entries (totals), programmes we asked about (a missing field the option asks), and
   * programmes already refused or expired. Programmes listed only because of the persona and not
   * decided ("雨露计划" for anyone in option 2, or "创业开业补贴" pending every check) are left to
   * the closing hint instead of a long list.
   */
  function shownResults(ctx: TurnContext, form: ActiveForm, option: WhoOption): ProgramResult[] {
    const profile = profileOf(form, option);
    const results = resultsFor(ctx, form, option);
    const decls = new Map(evaluator.programs.map((p) => [p.key, p]));
    const relevant = (key: string): boolean => {
      const d = decls.get(key);
      if (!d) return false;
      if (d.part_of) return relevant(d.part_of);
      return isRelevant(d, profile);
    };
    return results.filter(
      (r) =>
        relevant(r.program) ||
        kindOf(r) === 'failed' ||
        kindOf(r) === 'expired' ||
        (r.missing ?? []).some((f) => option.ask.includes(f)),
    );
  }

  /** Fields still worth asking, in the option's order (no limit applied). */
  function candidates(ctx: TurnContext, form: ActiveForm, option: WhoOption): string[] {
    // A programme already refused or expired cannot change with more answers.
    const all = resultsFor(ctx, form, option);
    const results = all.filter((r) => kindOf(r) === 'eligible' || kindOf(r) === 'undecided');
    const missing = new Set(results.flatMap((r) => r.missing ?? []));
    const memo = memoOf(form);
    const unanswered = (f: string): boolean => form.slots[f] === undefined && !memo.skipped.includes(f);
    const raised = (memo.raised ?? []).filter(unanswered);
    const open = option.ask.filter((f) => unanswered(f) && !raised.includes(f));
    // Nothing evaluated yet (no persona programme, no trigger): start with the option's first field.
    if (all.length === 0) return [...raised, ...open.slice(0, 1)];
    return [...raised, ...open.filter((f) => missing.has(f))];
  }

  /** The facts the answer rests on: the option's fields first, then others the shown programmes use. */
  function factFields(form: ActiveForm, option: WhoOption, results: ProgramResult[]): string[] {
    const shown = new Set(results.map((r) => r.program));
    const used = new Set(
      evaluator.programs
        .filter((p) => shown.has(p.key))
        .flatMap((p) => [...(p.triggers ?? []), ...(p.requires ?? []), ...(p.checks ?? []), ...(p.amount_fields ?? [])])
        .flatMap((x) => x.split('|')),
    );
    const filled = Object.keys(form.slots).filter((k) => k !== WHO && k !== REGION);
    const first = option.ask.filter((k) => filled.includes(k));
    return [...first, ...filled.filter((k) => !first.includes(k) && used.has(k))];
  }

  function formatValue(field: string, v: unknown): string {
    const q = questions.get(field);
    if (typeof v === 'boolean') return v ? '是' : '否';
    if (field === REGION) return String(v);
    if (q?.type === 'date' && typeof v === 'string') {
      const [y, m] = v.split('-');
      return m ? `${y}年${Number(m)}月` : `${y}年`;
    }
    if (Array.isArray(v)) {
      if (v.length === 0) return '无';
      return v.map((x) => (typeof x === 'object' && x ? Object.values(x as Record<string, unknown>).join(' ') + (q?.field === 'new_hires' ? '人' : '') : String(x))).join('、');
    }
    if (typeof v === 'number' && q?.unit === '比例') return `${Math.round(v * 1000) / 10}%`;
    if (typeof v === 'number' && q?.unit) return `${v}${DISPLAY_UNIT[q.unit] ?? q.unit}`;
    return String(v);
  }

  const form: FormDefinition = {
    name: ELIGIBILITY_FORM,

    intro(ctx, f) {
      const memo = f.memo as Partial<Memo>;
      // "重新开始" keeps the memo of the form it replaces: the runner has already said "好的，重新开始".
      const restarting = memo.asked !== undefined;
      memo.asked = [];
      memo.skipped = [];
      const earlier = restarting ? null : offeredFor(ctx.state);
      const earlierU = earlier ? understand(earlier, { today: ctx.today }) : null;
      memo.personaHint ??= ([...(earlierU?.entities.personas ?? []), ...ctx.u.entities.personas].find((p) => p !== 'employer') as Persona | undefined) ?? null;
      memo.knownRegion ??= ctx.state.region;
      if (earlier && earlierU) form.absorb({ ...ctx, msg: { ...ctx.msg, text: earlier }, u: earlierU }, f);
      return restarting ? null : '好的，我来帮您算算能领哪些补贴（回复“取消”可随时退出）。';
    },

    absorb(ctx, f) {
      const memo = memoOf(f);
      const ex = extract(ctx.u, ctx.today, { cfg, questions, vocabulary: evaluator.vocabulary, asking: f.asking });
      const filled: string[] = [];
      const problems = [...ex.problems];
      if (ex.who && (f.slots[WHO] === undefined || f.asking === WHO) && f.slots[WHO] !== ex.who) {
        f.slots[WHO] = ex.who;
        filled.push(WHO);
      } else if (f.asking === WHO && !ex.who && /^\s*\d+\s*$/.test(ctx.u.normalized)) {
        problems.push(`请回复1到${cfg.who.options.length}之间的数字。`);
      }
      if (ex.skip && f.asking && !memo.skipped.includes(f.asking)) {
        memo.skipped.push(f.asking);
        filled.push(`${f.asking}（不清楚）`);
      }
      const changed: string[] = [];
      for (const [k, v] of Object.entries(ex.values)) {
        if (k !== REGION && !FIELD_SHAPES[k]?.safeParse(v).success) continue;
        const before = f.slots[k];
        if (before !== undefined && same(before, v)) continue;
        if (before !== undefined) changed.push(`${k === REGION ? '地区' : fieldLabel(k, cfg, questions)}改为${formatValue(k, v)}`);
        f.slots[k] = v;
        memo.skipped = memo.skipped.filter((s) => s !== k);
        filled.push(k);
      }
      if (ex.values[REGION] !== undefined) ctx.state.region = ex.values[REGION] as Region;
      for (const r of ex.raises) {
        if (!memo.raised!.includes(r)) memo.raised!.push(r);
        memo.skipped = memo.skipped.filter((s) => s !== r);
        filled.push(`${r}（待问）`);
      }
      if (changed.length) problems.unshift(`好的，已把${changed.join('，')}。`);
      return { filled, problems };
    },

    next(ctx, f) {
      const option = optionOf(f);
      if (!option) return { slot: WHO, question: whoQuestion() };
      const memo = memoOf(f);
      const next = candidates(ctx, f, option).find(
        (c) => memo.asked.includes(c) || memo.raised!.includes(c) || memo.asked.length < cfg.max_questions,
      );
      if (!next) return null;
      if (!memo.asked.includes(next)) memo.asked.push(next);
      return { slot: next, question: questions.get(next)?.prompt ?? fieldLabel(next, cfg, questions) };
    },

    summary() {
      return null;
    },

    async submit(ctx, f) {
      const option = optionOf(f);
      if (!option) return [];
      const results = shownResults(ctx, f, option);
      const { region, defaulted } = regionOf(f);
      const memo = memoOf(f);
      const facts = factFields(f, option, results).map((k) => `${fieldLabel(k, cfg, questions)}：${formatValue(k, f.slots[k])}`);
      const unknown = [...memo.skipped, ...candidates(ctx, f, option)].filter((x, i, a) => a.indexOf(x) === i);
      const reply = renderResults({
        results,
        more: option.more ?? null,
        facts: [option.label, ...facts],
        region,
        regionDefaulted: defaulted,
        asOf: ctx.today,
        unknown,
        cfg,
        questions,
      });
      return [reply];
    },

    cancelled: '好的，已退出补贴测算。需要时再说“我能领什么补贴”就行。',
    title: '补贴测算',

    // The results end with "参加过创业培训…告诉我可以再帮您算": a fact of the profile, for the same
    // person, takes the calculation up again with everything said before. Another kind of person
    // ("我是退役军人") or a message with no fact is a new question.
    reopens(ctx, finished) {
      const ex = extract(ctx.u, ctx.today, { cfg, questions, vocabulary: evaluator.vocabulary, asking: null });
      if (ex.who && ex.who !== finished.slots[WHO]) return false;
      return ex.raises.length > 0 || Object.keys(ex.values).some((k) => k !== REGION && FIELD_SHAPES[k]?.safeParse(ex.values[k]).success);
    },
  };

  const start: Handler = (ctx) => startForm(ctx, form, {});
  const readFacts = (u: TurnContext['u'], today: string) =>
    extract(u, today, { cfg, questions, vocabulary: evaluator.vocabulary, asking: null }).values;
  return { form, start, config: cfg, readFacts };
}
