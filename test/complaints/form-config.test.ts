import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  DEFAULT_FORM_FILE,
  loadWageComplaintConfig,
  parseWageComplaintConfig,
  SLOT_KEYS,
} from '../../src/complaints/form-config.js';

const raw = (): Record<string, unknown> => parse(readFileSync(DEFAULT_FORM_FILE, 'utf8')) as Record<string, unknown>;

describe('when the wage-complaint form file is loaded', () => {
  it('then every slot the code fills is there, the four required ones marked required', () => {
    const cfg = loadWageComplaintConfig();
    expect(cfg.slots.map((s) => s.key).sort()).toEqual([...SLOT_KEYS].sort());
    const required = cfg.slots.filter((s) => s.kind === 'required').map((s) => s.key);
    expect(required.sort()).toEqual(['amount', 'county', 'employer', 'phone']);
  });

  it('then every question is one short question with an example or a way out', () => {
    for (const s of loadWageComplaintConfig().slots) {
      expect(s.question.length, s.key).toBeLessThan(110);
      expect(/比如|不知道|没有|不说|“是”/.test(s.question), s.key).toBe(true);
      // The dev harness reads these words as a request for confirmation: only the read-back may use them.
      expect(/确认|对吗|核对/.test(s.question), s.key).toBe(false);
    }
  });

  it('then the ten-digit phone re-ask gives the reason', () => {
    const phone = loadWageComplaintConfig().slots.find((s) => s.key === 'phone')!;
    expect(phone.reask.too_short).toContain('{length}位，手机号应该是11位');
  });
});

describe('when the form file is edited badly', () => {
  it('then a missing slot is named', () => {
    const r = raw();
    r.slots = (r.slots as Array<{ key: string }>).filter((s) => s.key !== 'evidence');
    expect(() => parseWageComplaintConfig(r, 'x.yaml')).toThrow(/x\.yaml: slots: slot "evidence" is missing/);
  });

  it('then a required slot made optional is named with its index', () => {
    const r = raw();
    const slots = r.slots as Array<{ key: string; kind: string }>;
    const i = slots.findIndex((s) => s.key === 'phone');
    slots[i]!.kind = 'ask_once';
    expect(() => parseWageComplaintConfig(r)).toThrow(new RegExp(`slots\\.${i}\\.kind: slot "phone" must be required`));
  });

  it('then a mistyped placeholder is named with its path', () => {
    const r = raw();
    (r.status as { header: string }).header = '编号 {ticket}';
    expect(() => parseWageComplaintConfig(r)).toThrow(/status\.header: unknown placeholder \{ticket\}/);
  });

  it('then a missing text is named', () => {
    const r = raw();
    delete r.cancelled;
    expect(() => parseWageComplaintConfig(r)).toThrow(/cancelled/);
  });
});

describe('when the after-filing message cites the policy texts', () => {
  const CLAUSE_PART = /[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+\.|第[一二三四五六七八九十百]+条/g;
  const cfg = loadWageComplaintConfig();

  it.each([...cfg.citations, cfg.construction_citation].map((c) => [c.clause ?? '', c]))(
    'then %s is the clause of the quoted words, in the named document',
    (_label, c) => {
      const doc = readFileSync(new URL(`../../knowledge/docs/${c.doc}.md`, import.meta.url), 'utf8');
      expect(doc).toContain(`title: ${c.title}`);
      expect(doc).toContain(`docNo: ${c.docNo}`);
      const lines = doc.split('\n');
      let at = lines.findIndex((l) => l.includes(c.quote));
      expect(at, c.quote).toBeGreaterThan(0);
      // Innermost part first: the paragraph holding the quote opens with it (the quote may be in a
      // later paragraph of the same clause), each outer part heads an earlier line.
      const parts = [...(c.clause ?? '').matchAll(CLAUSE_PART)].map((m) => m[0]).reverse();
      const opensClause = new RegExp(`^(?:${CLAUSE_PART.source})`);
      while (at > 0 && !opensClause.test(lines[at]!)) at--;
      expect(lines[at]!.startsWith(parts[0]!), lines[at]).toBe(true);
      for (const part of parts.slice(1)) {
        while (at > 0 && !lines[at]!.startsWith(part)) at--;
        expect(lines[at]!.startsWith(part), part).toBe(true);
      }
    },
  );
});
