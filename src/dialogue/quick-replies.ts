/**
 * The quick replies offered with a reply, computed from the conversation's state: 对 / 不对 / 取消
 * while a read-back waits for confirmation, 取消 in any other step of a form, the current
 * programme's other facets after an answer ("要带啥材料", "去哪办"), the starter questions otherwise.
 * The words are data (intents/quick-replies.yaml).
 */
import { readFileSync } from 'node:fs';
import YAML from 'yaml';
import { z } from 'zod';
import type { ConversationState } from './state.js';

const Chip = z.string().trim().min(1).max(20);
const QuickReplyWords = z.object({
  start: z.array(Chip).min(1).max(8),
  confirm: z.array(Chip).min(1).max(4),
  in_form: z.array(Chip).max(4),
  facets: z.record(z.string(), Chip),
  max_facets: z.number().int().min(1).max(8),
});
export type QuickReplyWords = z.infer<typeof QuickReplyWords>;

export function loadQuickReplyWords(file: string): QuickReplyWords {
  const parsed = QuickReplyWords.safeParse(YAML.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

/** The facets a catalogue programme answers (its keys in knowledge/programs), [] for an unknown one. */
export type ProgramFacets = (programId: string) => readonly string[];

export function quickRepliesFor(state: ConversationState | null, words: QuickReplyWords, facetsOf: ProgramFacets): string[] {
  if (state?.form) return [...(state.form.awaitingConfirmation ? words.confirm : words.in_form)];
  const topic = state?.lastTopic;
  if (topic?.program) {
    const has = new Set(facetsOf(topic.program));
    const answered = new Set(topic.facets ?? []);
    const chips = Object.entries(words.facets)
      .filter(([facet]) => has.has(facet) && !answered.has(facet))
      .map(([, chip]) => chip)
      .slice(0, words.max_facets);
    if (chips.length > 0) return chips;
  }
  return [...words.start];
}
