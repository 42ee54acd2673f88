/**
 * Masking of mobile and ID numbers however they are typed, as property-based cases (fast-check):
 * full-width digits, +86 / 86 / 0086 prefixes, spaces and hyphens between groups, inside any text
 * without digits of its own. The full number never survives; the masked form is there; masking twice
 * changes nothing; text without such numbers is untouched.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskPersonalData } from '../../src/core/privacy.js';

const digit = fc.integer({ min: 0, max: 9 }).map(String);
const digits = (n: number) => fc.array(digit, { minLength: n, maxLength: n }).map((a) => a.join(''));

const mobile = fc.tuple(fc.integer({ min: 3, max: 9 }), digits(9)).map(([second, rest]) => `1${second}${rest}`);
/** 6-digit area, 8-digit birth date, 3-digit sequence, check digit or X. */
const idNumber = fc
  .tuple(digits(6), fc.integer({ min: 1930, max: 2010 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }), digits(3), fc.constantFrom(...'0123456789Xx'))
  .map(([area, y, m, d, seq, check]) => `${area}${y}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}${seq}${check}`);

const fullWidth = (s: string) => s.replace(/[0-9]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0x30 + 0xff10)).replace(/X/g, 'Ｘ').replace(/\+/g, '＋');
const sep = fc.constantFrom('', ' ', '-', '\u3000', '—');

/** A mobile as people write it: prefix, groups 3-4-4 with separators, maybe full-width. */
const typedMobile = fc
  .record({ n: mobile, prefix: fc.constantFrom('', '+86', '+86 ', '86', '0086', '＋86 ', '+86-'), s1: sep, s2: sep, wide: fc.boolean() })
  .map(({ n, prefix, s1, s2, wide }) => {
    const typed = `${prefix}${n.slice(0, 3)}${s1}${n.slice(3, 7)}${s2}${n.slice(7)}`;
    return { n, typed: wide ? fullWidth(typed) : typed };
  });
/** An ID number as typed: whole, 6-8-4 groups, or 6-4-4-4 groups; maybe full-width. */
const typedId = fc
  .record({ n: idNumber, groups: fc.constantFrom<number[]>([18], [6, 8, 4], [6, 4, 4, 4], [3, 3, 4, 4, 4]), s: sep, wide: fc.boolean() })
  .map(({ n, groups, s, wide }) => {
    const parts: string[] = [];
    let at = 0;
    for (const g of groups) {
      parts.push(n.slice(at, at + g));
      at += g;
    }
    const typed = parts.join(s);
    return { n, typed: wide ? fullWidth(typed) : typed };
  });

/** Surrounding text: Chinese, letters, punctuation, no digits (so any digit in the output comes from the number). */
const noDigits = fc.string({ unit: fc.constantFrom(...'我的电话是身份证号码欠工资老板，。：:（）() abcQX\n'), maxLength: 12 });

const onlyDigits = (s: string) =>
  s
    .replace(/[\uFF10-\uFF19]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xff10 + 0x30))
    .replace(/[^0-9*]/g, '');

describe('maskPersonalData', () => {
  it('masks any mobile number however it is typed', () => {
    fc.assert(
      fc.property(noDigits, typedMobile, noDigits, (before, { n, typed }, after) => {
        const out = maskPersonalData(`${before}${typed}${after}`);
        expect(onlyDigits(out)).not.toContain(n);
        expect(onlyDigits(out)).not.toContain(n.slice(3, 7) + n.slice(7));
        expect(out).toContain(`${n.slice(0, 3)}****${n.slice(7)}`);
      }),
      { numRuns: 500 },
    );
  });

  it('masks any ID number however it is typed', () => {
    fc.assert(
      fc.property(noDigits, typedId, noDigits, (before, { n, typed }, after) => {
        const out = maskPersonalData(`${before}${typed}${after}`);
        expect(onlyDigits(out)).not.toContain(n.slice(6, 14));
        expect(out).toContain(`${n.slice(0, 6)}********${n.slice(-1).toUpperCase()}`);
      }),
      { numRuns: 500 },
    );
  });

  it('masks a mobile and an ID number in the same message, and masking twice changes nothing', () => {
    fc.assert(
      fc.property(noDigits, typedMobile, noDigits, typedId, noDigits, (a, m, b, id, c) => {
        fc.pre(/[^ \u3000—-]$/.test(b)); // something other than a separator between the two numbers
        const once = maskPersonalData(`${a}${m.typed}${b}${id.typed}${c}`);
        expect(onlyDigits(once)).not.toContain(m.n);
        expect(onlyDigits(once)).not.toContain(id.n.slice(6, 14));
        expect(maskPersonalData(once)).toBe(once);
      }),
      { numRuns: 300 },
    );
  });

  it('leaves text without such numbers alone: amounts, dates, ticket numbers, short numbers', () => {
    fc.assert(
      fc.property(fc.oneof(noDigits, fc.constantFrom('欠了1.5万', '2026-11-23', 'QX261124-ABCD', '12333', '金额12000元', '3个月', '0375-12345678')), (s) => {
        expect(maskPersonalData(s)).toBe(s);
      }),
    );
  });

  it('the variants named in issue 16', () => {
    expect(maskPersonalData('+86 13912345678')).toBe('+86 139****5678');
    expect(maskPersonalData('8613912345678')).toBe('86139****5678');
    expect(maskPersonalData('电话１３９１２３４５６７８')).toBe('电话139****5678');
    expect(maskPersonalData('身份证 410402 19900101 1234')).toBe('身份证 410402********4');
  });
});
