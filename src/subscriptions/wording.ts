/** Loads intents/subscriptions.yaml: the words of subscribing and of the notices, validated. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { CHANNELS } from '../core/types.js';

const Persona = z
  .object({
    label: z.string().min(1),
    /** Values of the calculator's `persona` fact that put the person in the group. */
    persona: z.array(z.string()),
    /** Facts whose presence puts the person in the group. */
    facts: z.array(z.string()),
    words: z.array(z.string().min(1)).min(1),
  })
  .strict();

const WordingFile = z
  .object({
    consent: z.string().includes('{topics}'),
    how: z.record(z.enum(CHANNELS), z.string()),
    quiet: z.string(),
    quiet_same_day: z.string(),
    quiet_off: z.string(),
    subscribed: z.string(),
    declined: z.string(),
    already: z.string(),
    no_topic: z.string(),
    unsubscribed_all: z.string(),
    unsubscribed_one: z.string(),
    not_subscribed: z.string(),
    notice_one: z.string().includes('{title}'),
    notice_many: z.string().includes('{title}'),
    wechat_template: z.record(z.string().regex(/^[A-Za-z][\w.]*$/), z.string()),
    personas: z.record(z.string(), Persona),
    topic_words: z.array(z.string().min(1)),
  })
  .strict();
export type SubscriptionWording = z.infer<typeof WordingFile>;
export type PersonaRule = z.infer<typeof Persona>;

export function loadSubscriptionWording(intentsDir: string): SubscriptionWording {
  const file = join(intentsDir, 'subscriptions.yaml');
  const parsed = WordingFile.safeParse(parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

/** Fills `{name}` placeholders; an unknown one stays visible (a wording mistake shows in tests). */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

/** The name of a document as people say it: 关于印发《X》的通知 → X. */
export function shortTitle(title: string): string {
  const inner = /《([^《》]+)》/.exec(title);
  return (inner ? inner[1]! : title).trim();
}

/**
 * Fills a notice template, shortening {title} (with "…") until the whole text is at most `budget`
 * characters; a template too long even with a one-character title is returned as it is.
 */
export function fitNotice(template: string, values: Record<string, string | number> & { title: string }, budget: number): string {
  const chars = Array.from(values.title);
  let text = fill(template, values);
  for (let keep = chars.length - 1; Array.from(text).length > budget && keep >= 1; keep--) {
    text = fill(template, { ...values, title: `${chars.slice(0, keep).join('')}…` });
  }
  return text;
}
