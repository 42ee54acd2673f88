/** Amounts in yuan, rounded to the fen, and their Chinese wording in reasons and arithmetic. */

export function roundFen(x: number): number {
  return Math.round((x + Number.EPSILON * Math.sign(x)) * 100) / 100;
}

/** 450 → "450"; 1234.5 → "1234.5"; 0.1+0.2 → "0.3" */
export function num(x: number): string {
  const r = roundFen(x);
  return Number.isInteger(r) ? String(r) : String(r);
}

/** 250000 → "250000 元（25万元）"; 450 → "450 元" */
export function yuan(x: number): string {
  const r = roundFen(x);
  if (Math.abs(r) >= 10000 && Number.isInteger(r / 100)) return `${num(r)} 元（${num(r / 10000)}万元）`;
  return `${num(r)} 元`;
}

/** 0.03 → "3%"; 1.1 → "110%"; 0.155 → "15.5%" */
export function pct(rate: number): string {
  return `${Math.round(rate * 100000) / 1000}%`;
}
