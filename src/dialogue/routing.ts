/**
 * Routing by what the person wants (intents/routing.yaml): after the classifier's guess, named rules
 * look at the message and the conversation (is a policy topic open?) and may send the message
 * elsewhere — a law question about unpaid wages is a question, not a complaint; the calculator's
 * questions start only on request. Each decision says which rule fired and why.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { HANDLERS, type HandlerName } from '../nlu/intents.js';

const Rule = z
  .object({
    name: z.string(),
    reason: z.string(),
    from: z.array(z.enum(HANDLERS)).optional(),
    if: z.string().optional(),
    unless: z.string().optional(),
    topic: z.boolean().optional(),
    /** true — only when the message names a programme or policy term; false — only when it names none. */
    names: z.boolean().optional(),
    to: z.enum(HANDLERS),
    /** A line (a key of responses.yaml `offers`) said after the answer: the next step, offered, not forced. */
    offer: z.string().optional(),
  })
  .strict();
const RoutingFile = z
  .object({
    /** Named patterns a rule refers to as {name}: one home for a cue several rules (and handlers) use. */
    cues: z.record(z.string().regex(/^[a-z_]+$/), z.string().min(1)).default({}),
    rules: z.array(Rule),
  })
  .strict();

export interface RouteDecision {
  handler: HandlerName;
  /** The rule that decided, or null when the classifier's route stands. */
  rule: string | null;
  reason: string | null;
  /** The key of the line to add after the answer (responses.yaml `offers`), or null. */
  offer?: string | null;
}

export interface RoutingRules {
  route(message: string, classified: HandlerName, ctx: { topicOpen: boolean; namesTopic: () => boolean }): RouteDecision;
  /** A named cue of the file ("asks_to_calculate"), for a handler that must read a message the same way. */
  cue(name: string): RegExp;
  /** The offers the rules name, to check against the wording at start. */
  offers(): string[];
}

export function loadRoutingRules(intentsDir: string): RoutingRules {
  const file = join(intentsDir, 'routing.yaml');
  const parsed = RoutingFile.safeParse(parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const { cues } = parsed.data;
  const expand = (pattern: string, rule: string) =>
    pattern.replace(/\{([a-z_]+)\}/g, (_, name: string) => {
      const cue = cues[name];
      if (cue === undefined) throw new Error(`${file}: rule ${rule} refers to unknown cue {${name}}`);
      return `(?:${cue})`;
    });
  const rules = parsed.data.rules.map((r) => ({
    ...r,
    ifRe: r.if ? new RegExp(expand(r.if, r.name)) : null,
    unlessRe: r.unless ? new RegExp(expand(r.unless, r.name)) : null,
  }));
  return {
    offers: () => rules.flatMap((r) => (r.offer ? [r.offer] : [])),
    cue(name) {
      const cue = cues[name];
      if (cue === undefined) throw new Error(`${file}: no cue ${name}`);
      return new RegExp(cue);
    },
    route(message, classified, { topicOpen, namesTopic }) {
      for (const r of rules) {
        if (r.from && !r.from.includes(classified)) continue;
        if (r.topic !== undefined && r.topic !== topicOpen) continue;
        if (r.ifRe && !r.ifRe.test(message)) continue;
        if (r.unlessRe && r.unlessRe.test(message)) continue;
        if (r.names !== undefined && r.names !== namesTopic()) continue;
        return { handler: r.to, rule: r.name, reason: r.reason, offer: r.offer ?? null };
      }
      return { handler: classified, rule: null, reason: null };
    },
  };
}
