/** Amounts in yuan, rounded to the fen, and their Chinese wording in reasons and arithmetic. */

export function roundFen(x: number): number {
  return Math.round((x + Number.EPSILON * Math.sign(x)) * 100) / 100; // not a policy figure: yuan ↔ fen
}

/** 450 → "450"; 1234.5 → "1234.5"; 0.1+0.2 → "0.3" */
export function num(x: number): string {
  const r = roundFen(x);
  return Number.isInteger(r) ? String(r) : String(r);
}

/** Large round amounts also in 万元; 450 → "450 元" */
export function yuan(x: number): string {
  const r = roundFen(x);
  if (Math.abs(r) >= 10000 && Number.isInteger(r / 100)) return `${num(r)} 元（${num(r / 10000)}万元）`; // not a policy figure: 1万 = 10000
  return `${num(r)} 元`;
}

/** 0.03 → "3%"; 1.1 → "110%"; 0.155 → "15.5%" */
export function pct(rate: number): string {
  return `${Math.round(rate * 100000) / 1000}%`; // not a policy figure: percent with 3 decimals
}
