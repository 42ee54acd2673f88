/**
 * The person's own figures, worked out by the eligibility calculator (knowledge/rules) for the
 * programme asked about: "按您说的情况，务工奖补可得1040元（26000 × 4% = 1040 元）". Only a result the
 * stated facts decide is given — a condition failed, or an amount worked out — never one that rests on
 * what the person has not said.
 */
import type { Citation, Region } from '../core/types.js';
import type { Evaluator } from '../eligibility/evaluate.js';
import type { Profile } from '../eligibility/profile.js';
import type { ProgramResult } from '../eligibility/types.js';
import type { PersonFacts } from './verdict.js';

export interface Computed {
  line: string;
  citations: Citation[];
  /** The calculator's programme key. */
  program: string;
  eligible: boolean;
  amount: number | null;
}

export type Compute = (keys: string[], facts: PersonFacts, region: Region | null, today: string, personas: string[]) => Computed[];

/** "（平巩固脱贫成果办〔2023〕7号 二、（一））" at the end of a reason: the source line names it. */
const TRAILING_SOURCE = /（[^（）]*〔\d{4}〕\d+号[^（）]*）$/;
const CALCULATOR_REGIONS: Region[] = ['平顶山市', '济宁市', '河南省'];

function decided(r: ProgramResult): boolean {
  const failed = r.reasons.some((x) => x.startsWith('不符合'));
  const met = r.reasons.some((x) => x.startsWith('符合'));
  const open = r.reasons.some((x) => x.startsWith('待核实'));
  // A sum of amounts already worked out (每户合计) has no condition of its own to meet.
  return failed || (r.eligible && (met || (r.amount !== null && !open)) && (r.amount !== null || !open));
}

const plain = (reason: string) => reason.replace(/^(不符合|符合|说明)：/, '').replace(TRAILING_SOURCE, '');
const yuan = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2));

/** `loan`: the amount is what may be borrowed (a programme whose amount comes from the sum applied for), not money paid out. */
export function lineOf(r: ProgramResult, loan = false): string {
  if (!r.eligible) {
    const why = r.reasons.find((x) => x.startsWith('不符合')) ?? r.reasons[0] ?? '';
    return `按您说的情况，${r.title}不符合：${plain(why)}`;
  }
  if (r.amount !== null) return `按您说的情况，${r.title}${loan ? '可贷' : '可得'}${yuan(r.amount)}元${r.arithmetic ? `（${r.arithmetic}）` : ''}。`;
  const why = r.reasons.find((x) => x.startsWith('符合')) ?? '';
  return `按您说的情况，符合${r.title}的条件：${plain(why)}`;
}

/** Which kind of person the asker says they are, from the facts they told, or null. */
export function personaOf(facts: PersonFacts): string | null {
  if (facts.household_type !== undefined) return 'poverty';
  if (facts.current_staff !== undefined || facts.new_hires !== undefined || facts.enterprise_size !== undefined) return 'employer';
  if (facts.graduation_date !== undefined || facts.student_level !== undefined) return 'graduate';
  return null;
}

export function calculatorCompute(evaluator: Evaluator): Compute {
  const loans = new Set(evaluator.programs.filter((p) => p.amount_fields?.includes('requested_amount')).map((p) => p.key));
  return (keys, facts, region, today, personas) => {
    const profile = { ...facts, persona: personaOf(facts) ?? personas[0] } as Profile;
    const at = region && CALCULATOR_REGIONS.includes(region) ? region : '平顶山市';
    let results: ProgramResult[];
    try {
      results = evaluator.evaluate({ region: at, asOf: today, profile }).results;
    } catch {
      return []; // a fact of the wrong shape for the calculator decides nothing
    }
    return keys
      .map((k) => results.find((r) => r.program === k))
      .filter((r): r is ProgramResult => r !== undefined && decided(r))
      .map((r) => ({ line: lineOf(r, loans.has(r.program)), citations: r.citations.slice(0, 2), program: r.program, eligible: r.eligible, amount: r.amount }));
  };
}
