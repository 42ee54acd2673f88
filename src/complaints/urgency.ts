/**
 * Where a complaint goes in the staff queue: an integer 0..100 (higher first) and the reasons, from
 * the facts the worker gave. Many workers, large amounts, construction sites (the sector the policy
 * texts name as 欠薪易发多发, 平人社办〔2023〕78号 五、（十八）) and signs that the dispute is about to
 * escalate (要跳楼, 堵门, 集体讨薪) put a ticket ahead.
 */

export interface UrgencyFacts {
  workers: number | null;
  amountOwed: number | null;
  isConstruction: boolean | null;
  monthsOwed: number | null;
  /** Labelled signs from extract.ts: "人身安全风险：“跳楼”", "矛盾激化：“堵门”", "群体性讨薪：…". */
  escalation: string[];
}

export interface Urgency {
  priority: number;
  reasons: string[];
}

/** Every complaint starts here; 0 is left for tickets staff park on purpose. */
export const BASE_PRIORITY = 10;

const WORKER_STEPS: Array<[number, number, string]> = [
  [30, 30, '涉及30人以上'],
  [10, 20, '涉及10人以上'],
  [3, 10, '涉及3人以上'],
];
const AMOUNT_STEPS: Array<[number, number, string]> = [
  [500_000, 30, '欠薪50万元以上'],
  [100_000, 20, '欠薪10万元以上'],
  [30_000, 10, '欠薪3万元以上'],
];
const CONSTRUCTION_POINTS = 15;
const LONG_ARREARS_MONTHS = 6;
const LONG_ARREARS_POINTS = 5;
/** A threat to someone's life puts the ticket at the top whatever else it says. */
const ESCALATION_POINTS: Array<[string, number]> = [
  ['人身安全风险', 80],
  ['矛盾激化', 25],
  ['群体性讨薪', 20],
];

export function assessUrgency(f: UrgencyFacts): Urgency {
  let priority = BASE_PRIORITY;
  const reasons: string[] = [];
  const step = (value: number | null, steps: Array<[number, number, string]>): void => {
    if (value === null) return;
    const hit = steps.find(([min]) => value >= min);
    if (hit) {
      priority += hit[1];
      reasons.push(hit[2]);
    }
  };
  step(f.workers, WORKER_STEPS);
  step(f.amountOwed, AMOUNT_STEPS);
  if (f.isConstruction) {
    priority += CONSTRUCTION_POINTS;
    reasons.push('工程建设领域（欠薪易发多发，总包负总责）');
  }
  if (f.monthsOwed !== null && f.monthsOwed >= LONG_ARREARS_MONTHS) {
    priority += LONG_ARREARS_POINTS;
    reasons.push('拖欠半年以上');
  }
  for (const [label, points] of ESCALATION_POINTS) {
    const signs = f.escalation.filter((s) => s.startsWith(label));
    if (signs.length > 0) {
      priority += points;
      reasons.push(signs.join('；'));
    }
  }
  return { priority: Math.max(0, Math.min(100, Math.round(priority))), reasons };
}
