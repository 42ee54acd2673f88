/** Small helpers shared by the formula modules. */
import { completeDate } from '../dates.js';
import { pct, yuan } from '../money.js';
import type { ResultBuilder } from '../result-builder.js';
import type { ProgramResult } from '../types.js';

/** A formula fills the builder; it may return extra result entries (totals, per-member figures). */
export type Formula = (r: ResultBuilder) => ProgramResult[] | void;

/** The profile's graduation date as YYYY-MM-DD (a bare year or month is completed and the reading noted). */
export function graduationDate(r: ResultBuilder): string | null {
  const g = r.profile.graduation_date;
  if (g === undefined) return null;
  const c = completeDate(g);
  if (!c) return null;
  if (c.completed) r.read(`毕业时间${c.completed}。`);
  return c.date;
}

/** "申请 250000 元（25万元），超过上限 200000 元（20万元），按 200000 元（20万元）核定" and the amount. */
export function capRequested(r: ResultBuilder, capParam: string, label: string): number {
  const cap = r.num(capParam);
  const requested = r.profile.requested_amount;
  if (requested === undefined) {
    r.ask('requested_amount');
    r.calc(`未提供申请额，${label}最高 ${yuan(cap)}`);
    r.note(`${label}最高 ${yuan(cap)}`, capParam);
    return cap;
  }
  if (r.withinMax(capParam, requested)) {
    r.calc(`申请 ${yuan(requested)}，未超过${label}上限 ${yuan(cap)}，按 ${yuan(requested)}核定`);
    r.pass(`申请额 ${yuan(requested)}，在${label}上限 ${yuan(cap)}以内`, capParam);
    return requested;
  }
  r.calc(`申请 ${yuan(requested)}，超过${label}上限 ${yuan(cap)}，按 ${yuan(cap)}核定`);
  r.note(`申请额超过${label}上限 ${yuan(cap)}，按上限核定`, capParam);
  return cap;
}

/** "15000 × 3% = 450 元" */
export function times(base: number, rate: number, result: number): string {
  return `${base} × ${pct(rate)} = ${yuan(result)}`;
}

export function boolText(v: boolean | undefined): 'yes' | 'no' | 'unknown' {
  return v === true ? 'yes' : v === false ? 'no' : 'unknown';
}

/** Member name for per-member keys: work_incentive_A */
export function memberKey(prefix: string, name: string): string {
  return `${prefix}_${name}`;
}
