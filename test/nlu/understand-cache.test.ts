import { describe, expect, it } from 'vitest';
import { deepFreeze, Lru } from '../../src/core/lru.js';
import { cachedUnderstanding, understand } from '../../src/nlu/understand.js';

describe('Lru', () => {
  it('drops the least recently used key past its capacity', () => {
    const lru = new Lru<string, number>(2);
    lru.set('a', 1);
    lru.set('b', 2);
    expect(lru.get('a')).toBe(1); // a is now the most recent
    lru.set('c', 3);
    expect(lru.get('b')).toBeUndefined();
    expect(lru.get('a')).toBe(1);
    expect(lru.get('c')).toBe(3);
    expect(lru.size).toBe(2);
  });

  it('computes a missing value once', () => {
    const lru = new Lru<string, number>(10);
    let calls = 0;
    const f = () => ++calls;
    expect(lru.getOrCompute('k', f)).toBe(1);
    expect(lru.getOrCompute('k', f)).toBe(1);
    expect(calls).toBe(1);
  });

  it('deepFreeze makes nested values read-only', () => {
    const v = deepFreeze({ a: { b: [1, 2] } });
    expect(() => (v.a.b as number[]).push(3)).toThrow(TypeError);
  });
});

describe('cachedUnderstanding', () => {
  it('gives what understand() gives, shared and frozen, and keys on the day', () => {
    const u = cachedUnderstanding(10);
    const first = u('老板欠我三个月工资', '2026-11-23');
    expect(first).toEqual(understand('老板欠我三个月工资', { today: '2026-11-23' }));
    expect(u('老板欠我三个月工资', '2026-11-23')).toBe(first);
    expect(Object.isFrozen(first.entities)).toBe(true);
    // Relative dates depend on the day: another day is worked out afresh.
    const otherDay = u('上个月的工资没发', '2026-11-23');
    const nextMonth = u('上个月的工资没发', '2026-12-23');
    expect(nextMonth).not.toBe(otherDay);
    expect(nextMonth).toEqual(understand('上个月的工资没发', { today: '2026-12-23' }));
  });
});
