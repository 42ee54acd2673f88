/**
 * Loads intents/forms/wage-complaint.yaml (the intake's wording and slot order) and validates it with
 * zod, so that a bad edit fails at start-up with the file, the field and the problem named.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { z } from 'zod';

/** Slots the code knows how to fill, in no particular order (the file gives the order). */
export const SLOT_KEYS = [
  'employer',
  'county',
  'employerName',
  'amount',
  'workers',
  'period',
  'phone',
  'name',
  'isConstruction',
  'generalContractor',
  'evidence',
] as const;
export type SlotKey = (typeof SLOT_KEYS)[number];

const REQUIRED_SLOTS: readonly SlotKey[] = ['employer', 'county', 'amount', 'phone'];

const t = z.string().trim().min(1);

const SlotSchema = z.object({
  key: z.enum(SLOT_KEYS),
  kind: z.enum(['required', 'ask_once']),
  label: t,
  question: t,
  variants: z.record(z.string(), t).default({}),
  reask: z.record(z.string(), t).default({}),
});

const CitationSchema = z.object({
  doc: t,
  title: t,
  docNo: t.nullable(),
  clause: t.nullable(),
  /** Words of the clause, so a test can check the citation against knowledge/docs. */
  quote: t,
});

const SUMMARY_LINES = [
  'employer',
  'site',
  'county',
  'isConstruction',
  'generalContractor',
  'amount',
  'period',
  'workers',
  'name',
  'phone',
  'evidence',
] as const;

export const WageComplaintConfigSchema = z
  .object({
    name: z.literal('wage_complaint'),
    intro: t,
    slots: z.array(SlotSchema).min(1),
    summary: z.object({
      header: t,
      lines: z.object(Object.fromEntries(SUMMARY_LINES.map((k) => [k, t])) as Record<(typeof SUMMARY_LINES)[number], typeof t>),
      amount: z.object({
        total: t,
        approx: t,
        people: t,
        per_person: t,
        per_month: t,
        per_person_month: t,
        per_day: t,
        estimate: t,
      }),
      /** The one-line read-back of SMS (at most two segments with the signature). */
      header_sms: t,
      amount_sms: z.object({
        total: t,
        approx: t,
        people: t,
        per_person: t,
        per_month: t,
        per_person_month: t,
        per_day: t,
        approx_mark: t,
      }),
      phone_sms: t,
      phone_sms_sender: t,
      footer_sms: t,
      /** Required facts the worker could not give: staff complete them by phone. */
      incomplete: t,
      /** The confirmation when only optional facts were added since the read-back. */
      short: t,
      phone_sender: t,
      none: t,
      unknown: t,
      yes: t,
      no: t,
      footer: t,
    }),
    /** The combined optional question of the read-back; {items}: the open ones, named as below. */
    extras: z.object({ question: t, employerName: t, workers: t, name: t, generalContractor: t, evidence: t }),
    /** Numbered choices offered for a required slot after two answers it could not read. */
    choices: z.object({ county: z.array(t).min(2).max(15) }),
    choices_question: t,
    /** Asked instead of the same question twice in a row. */
    still_needed: t,
    filed: t,
    /** The ticket-issued SMS: essentials first, two segments with the signature. */
    filed_sms: t,
    filed_again: t,
    next_steps: t,
    construction_note: t,
    channel_names: z.object({ sms: t, wechat: t, wechaty: t, web: t }),
    county_fallback: t,
    safety_note: t,
    noted: t,
    cancelled: t,
    citations: z.array(CitationSchema).min(1),
    construction_citation: CitationSchema,
    status: z.object({
      header: t,
      kind_names: z.object({ wage_arrears: t, consultation: t }),
      states: z.object({
        new: t,
        accepted: t,
        refused: t,
        in_progress: t,
        resolved: t,
        closed: t,
        reopened: t,
      }),
      investigation_due: t,
      last_reply: t,
      several: t,
      more: t,
      not_found: t,
      not_found_any: t,
      how_to_check: t,
    }),
  })
  .superRefine((cfg, ctx) => {
    const seen = new Set<string>();
    cfg.slots.forEach((s, i) => {
      if (seen.has(s.key)) ctx.addIssue({ code: 'custom', path: ['slots', i, 'key'], message: `slot "${s.key}" is listed twice` });
      seen.add(s.key);
      if (REQUIRED_SLOTS.includes(s.key) && s.kind !== 'required') {
        ctx.addIssue({ code: 'custom', path: ['slots', i, 'kind'], message: `slot "${s.key}" must be required` });
      }
    });
    for (const key of SLOT_KEYS) {
      if (!seen.has(key)) ctx.addIssue({ code: 'custom', path: ['slots'], message: `slot "${key}" is missing` });
    }
    checkPlaceholders(cfg, [], ctx);
  });

export type WageComplaintConfig = z.infer<typeof WageComplaintConfigSchema>;
export type SlotConfig = WageComplaintConfig['slots'][number];
export type FormCitation = z.infer<typeof CitationSchema>;

/** Every placeholder the code fills somewhere; anything else in braces is a typo. */
const KNOWN_PLACEHOLDERS = new Set([
  'count', 'kind', 'site', 'rate', 'text', 'value', 'place', 'length', 'total', 'workers', 'months', 'days',
  'phone', 'id', 'acceptDate', 'channel', 'county', 'date', 'investigationDate', 'reason', 'what', 'list', 'items',
]);

function checkPlaceholders(value: unknown, path: Array<string | number>, ctx: z.RefinementCtx): void {
  if (typeof value === 'string') {
    for (const m of value.matchAll(/\{([^{}]*)\}/g)) {
      if (!KNOWN_PLACEHOLDERS.has(m[1] ?? '')) {
        ctx.addIssue({ code: 'custom', path, message: `unknown placeholder {${m[1]}}` });
      }
    }
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => checkPlaceholders(v, [...path, i], ctx));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) checkPlaceholders(v, [...path, k], ctx);
  }
}

export const DEFAULT_FORM_FILE = fileURLToPath(new URL('../../intents/forms/wage-complaint.yaml', import.meta.url));

/** Parses and validates the form; the error names the file and every bad field. */
export function parseWageComplaintConfig(raw: unknown, file = 'wage-complaint.yaml'): WageComplaintConfig {
  const parsed = WageComplaintConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new Error(`${file}: ${detail}`);
  }
  return parsed.data;
}

const cache = new Map<string, WageComplaintConfig>();

export function loadWageComplaintConfig(file: string = DEFAULT_FORM_FILE): WageComplaintConfig {
  const hit = cache.get(file);
  if (hit) return hit;
  const cfg = parseWageComplaintConfig(parse(readFileSync(file, 'utf8')), file);
  cache.set(file, cfg);
  return cfg;
}

/** Fills {placeholders}; a missing value leaves the placeholder out. */
export function fill(template: string, values: Record<string, string | number | null | undefined>): string {
  return template.replace(/\{([^{}]+)\}/g, (_m, k: string) => {
    const v = values[k];
    return v === null || v === undefined ? '' : String(v);
  });
}
