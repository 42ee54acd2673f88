/** Loads intents/responses.yaml: the assistant's fixed wording and menus, kept as data. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';

const MenuOption = z.object({ label: z.string(), ask: z.string() });
const ResponsesSchema = z.object({
  welcome: z.string(),
  menu: z.array(MenuOption).min(1),
  menu_footer: z.string(),
  clarify: z.record(z.string(), z.object({ question: z.string(), options: z.array(MenuOption).min(2) })),
  out_of_scope: z.string(),
  other_region: z.string(),
  thanks: z.string(),
  goodbye: z.string(),
  rate_limited: z.string(),
  /** After an answer saying the texts do not state what was asked: where to ask. */
  texts_lack_it: z.string(),
  /** One line after an answer about a programme the calculator works out: the next step. */
  calculator_offer: z.string(),
  /** Said when a person marks the answer just given as no use ("没用", "不对"). */
  answer_feedback: z.string(),
  /** After an answer quoting a document staff marked superseded: {title} and {docNo} of the new one. */
  superseded_notice: z.string(),
  /**
   * Lines a routing rule adds after its answer (intents/routing.yaml `offer`): the next step in one
   * line, e.g. the complaint intake after a question on the rules about unpaid wages.
   */
  offers: z.record(z.string(), z.string()).default({}),
});
export type Responses = z.infer<typeof ResponsesSchema>;
export type MenuOption = z.infer<typeof MenuOption>;

export function loadResponses(intentsDir: string): Responses {
  const file = join(intentsDir, 'responses.yaml');
  const parsed = ResponsesSchema.safeParse(parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    throw new Error(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}

/** "1. …\n2. …" with circled numbers people can also tap back. */
export function renderMenu(options: MenuOption[]): string {
  return options.map((o, i) => `${i + 1}. ${o.label}`).join('\n');
}
