/**
 * The verdict of a facet's checks on the person's own facts: "符合" or "不符合", with the fact and the
 * condition side by side, so the person sees why. Facts are read as the calculator reads them
 * (src/dialogue/forms/eligibility/extract.ts); a check whose fact was not said decides nothing.
 */
import type { FacetEntry } from './catalogue.js';

/** Profile values as the calculator's extractor returns them (age, graduation_date, current_staff …). */
export type PersonFacts = Record<string, unknown>;

type CheckFact = FacetEntry['checks'][number]['fact'];

interface FactValue {
  value: number | string;
  /** How the person's fact reads in the verdict ("您19岁"). */
  says: string;
}

/** Years since a date (YYYY or YYYY-MM…), in months / 12: "离校2年内" excludes two and a half years. */
function yearsSince(date: string, today: string): number {
  const [y, m] = date.split('-').map(Number);
  const [ty, tm] = today.split('-').map(Number);
  return ((ty! - y!) * 12 + (tm! - (m ?? 7))) / 12;
}

export function factValue(fact: CheckFact, facts: PersonFacts, today: string): FactValue | null {
  switch (fact) {
    case 'age':
      return typeof facts.age === 'number' ? { value: facts.age, says: `您${facts.age}岁` } : null;
    case 'yearsSinceGraduation': {
      if (typeof facts.graduation_date !== 'string') return null;
      const years = Math.max(0, yearsSince(facts.graduation_date, today));
      return { value: years, says: years < 1 ? '您毕业不满1年' : `您毕业已${Number.isInteger(years) ? years : `${Math.floor(years)}年多`.replace(/年多$/, '')}${Number.isInteger(years) ? '年' : '年多'}` };
    }
    case 'education':
      return typeof facts.education === 'string' ? { value: facts.education, says: `您是${facts.education}学历` } : null;
    case 'staff':
      return typeof facts.current_staff === 'number' ? { value: facts.current_staff, says: `贵单位在职${facts.current_staff}人` } : null;
    case 'hires': {
      const hires = Array.isArray(facts.new_hires) ? (facts.new_hires as Array<{ count?: number }>) : null;
      if (!hires) return null;
      const n = hires.reduce((s, h) => s + (h.count ?? 0), 0);
      return { value: n, says: `您招了${n}人` };
    }
    case 'householdType':
      return typeof facts.household_type === 'string' ? { value: facts.household_type, says: `您家是${facts.household_type}` } : null;
    case 'monthsOperating':
      return typeof facts.months_operating === 'number' ? { value: facts.months_operating, says: `贵单位成立${facts.months_operating}个月` } : null;
    case 'monthsWorkedAway':
      return typeof facts.months_worked_away === 'number' ? { value: facts.months_worked_away, says: `您外出务工${facts.months_worked_away}个月` } : null;
  }
}

export interface Verdict {
  text: string;
  /** Which check decided it, for the trace. */
  rule: string;
}

export function verdictOf(entry: FacetEntry, facts: PersonFacts, today: string): Verdict | null {
  const judged = entry.checks
    .map((check) => ({ check, fact: factValue(check.fact, facts, today) }))
    .filter((j): j is { check: (typeof entry.checks)[number]; fact: FactValue } => j.fact !== null)
    .map(({ check, fact }) => {
      const v = fact.value;
      const ok =
        typeof v === 'number'
          ? (check.min === undefined || v >= check.min) && (check.max === undefined || v <= check.max)
          : check.oneOf === undefined || check.oneOf.some((o) => v.includes(o) || o.includes(v));
      return { check, fact, ok };
    });
  if (judged.length === 0) return null;
  const passed = judged.filter((j) => j.ok);
  const failed = judged.filter((j) => !j.ok);
  if (entry.mode === 'any' ? passed.length > 0 : failed.length === 0) {
    const j = passed[0]!;
    return { text: `符合：${j.fact.says}，在“${j.check.says}”之内。`, rule: `${j.check.fact} ok` };
  }
  // With "any", one condition unmet is not a no while another is unknown.
  if (entry.mode === 'any' && judged.length < entry.checks.length) return null;
  const j = failed[0]!;
  return { text: `按文件规定不符合：要求${j.check.says}，${j.fact.says}。`, rule: `${j.check.fact} fails` };
}
