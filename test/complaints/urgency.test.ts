import { describe, expect, it } from 'vitest';
import { assessUrgency, BASE_PRIORITY, type UrgencyFacts } from '../../src/complaints/urgency.js';

const plain: UrgencyFacts = { workers: 1, amountOwed: 8600, isConstruction: false, monthsOwed: 2, escalation: [] };

describe('when a complaint is ranked for the queue', () => {
  it('then one worker, a small amount, no construction stays at the base with no reasons', () => {
    expect(assessUrgency(plain)).toEqual({ priority: BASE_PRIORITY, reasons: [] });
  });

  it('then unknown facts do not raise or break the ranking', () => {
    expect(assessUrgency({ workers: null, amountOwed: null, isConstruction: null, monthsOwed: null, escalation: [] }).priority).toBe(BASE_PRIORITY);
  });

  it('then more workers, more money and a construction site each move it up, with the reason said', () => {
    const crew = assessUrgency({ ...plain, workers: 12 });
    const site = assessUrgency({ ...plain, isConstruction: true });
    const big = assessUrgency({ ...plain, amountOwed: 230_000 });
    expect(crew.priority).toBeGreaterThan(BASE_PRIORITY);
    expect(crew.reasons).toEqual(['涉及10人以上']);
    expect(site.reasons[0]).toMatch(/工程建设领域/);
    expect(big.reasons).toEqual(['欠薪10万元以上']);
    const all = assessUrgency({ ...plain, workers: 12, isConstruction: true, amountOwed: 230_000 });
    expect(all.priority).toBeGreaterThan(Math.max(crew.priority, site.priority, big.priority));
  });

  it('then a threat to jump outranks any case without one', () => {
    const threat = assessUrgency({ ...plain, escalation: ['人身安全风险：“跳楼”'] });
    const large = assessUrgency({ ...plain, workers: 60, isConstruction: true, amountOwed: 900_000, monthsOwed: 12 });
    expect(threat.priority).toBeGreaterThanOrEqual(large.priority);
    expect(assessUrgency({ ...plain, escalation: ['矛盾激化：“堵门”'] }).priority).toBeGreaterThan(BASE_PRIORITY);
    expect(threat.reasons).toEqual(['人身安全风险：“跳楼”']);
  });

  it('then everything at once is capped at 100', () => {
    const r = assessUrgency({
      workers: 60,
      amountOwed: 2_000_000,
      isConstruction: true,
      monthsOwed: 12,
      escalation: ['人身安全风险：“跳楼”', '矛盾激化：“堵门”', '群体性讨薪：“集体上访”'],
    });
    expect(r.priority).toBe(100);
    expect(r.reasons).toHaveLength(7);
  });
});
