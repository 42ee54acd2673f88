/**
 * How a reply reads, beside whether it is right: its length, its first line's length, whether the
 * first line alone already carries the fact asked, and whether an out-of-scope reply states a figure.
 */
import type { QuestionCase, QuestionResult } from './questions.js';

/** A phone number (12333, 12345, 0375-2868163, a mobile) is a way to get help, not a figure about a policy. */
const PHONE = /(?<!\d)(?:123\d\d|0\d{2,3}[-－ ]?\d{7,8}|1[3-9]\d{9}|\d{7,8})(?!\d)/g;
/** A figure: digits, or Chinese numerals with a unit of money, time or share. */
const FIGURE = /\d|[一二两三四五六七八九十百千万]+\s*(?:元|块|万|个月|年|天|%|成|倍)/;

export const firstLine = (reply: string): string => reply.split('\n').find((l) => l.trim()) ?? '';

/** A document number (〔2023〕17号) or clause number names a source, it states no figure. */
const SOURCE_REF = /〔\d{4}〕\d+号|第[一二三四五六七八九十百]+条|[（(][一二三四五六七八九十]+[)）]|\d+\./g;

export function statesFigure(reply: string): boolean {
  return FIGURE.test(reply.replace(SOURCE_REF, '').replace(PHONE, ''));
}

/** The first line alone passes the case's expect_all and expect_any (expect_none is judged on all). */
export function firstLineCarriesFact(c: Pick<QuestionCase, 'expect_all' | 'expect_any'>, reply: string): boolean {
  const line = firstLine(reply);
  if (c.expect_all.length === 0 && c.expect_any.length === 0) return true;
  return c.expect_all.every((re) => new RegExp(re).test(line)) && (c.expect_any.length === 0 || c.expect_any.some((re) => new RegExp(re).test(line)));
}

export function median(xs: number[]): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export interface ShapeReport {
  medianReply: number;
  medianFirstLine: number;
  /** Share of in-scope replies whose first line carries the fact asked. */
  firstLineFact: number;
  outOfScopeWithFigure: string[];
}

export function shapeOf(cases: Array<Pick<QuestionCase, 'id' | 'kind' | 'expect_all' | 'expect_any'>>, results: QuestionResult[]): ShapeReport {
  const byId = new Map(cases.map((c) => [c.id, c]));
  const inScope = results.filter((r) => r.kind !== 'out_of_scope' && r.kind !== 'complaint_start');
  const withFact = inScope.filter((r) => {
    const c = byId.get(r.id);
    return c ? firstLineCarriesFact(c, r.reply) : false;
  });
  return {
    medianReply: median(inScope.map((r) => [...r.reply].length)),
    medianFirstLine: median(inScope.map((r) => [...firstLine(r.reply)].length)),
    firstLineFact: withFact.length / (inScope.length || 1),
    outOfScopeWithFigure: results.filter((r) => r.kind === 'out_of_scope' && statesFigure(r.reply)).map((r) => r.id),
  };
}
