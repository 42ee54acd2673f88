/** Subjects outside the policy texts and where to send people (intents/referrals.yaml). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';

const Schema = z.object({
  topics: z.array(
    z.object({
      name: z.string(),
      words: z.array(z.string().min(1)).min(1),
      reply: z.string(),
      /** No text covers the subject at all: the referral answers unless the question names a programme. */
      strict: z.boolean().default(false),
    }),
  ),
});

export interface Referral {
  name: string;
  reply: string;
  strict: boolean;
}

export interface Referrals {
  /** The out-of-scope subject the message names, if any. */
  find(text: string): Referral | null;
}

export function loadReferrals(intentsDir: string): Referrals {
  const file = join(intentsDir, 'referrals.yaml');
  const parsed = Schema.safeParse(parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const topics = parsed.data.topics;
  return {
    find: (text) => {
      const t = topics.find((topic) => topic.words.some((w) => text.includes(w)));
      return t ? { name: t.name, reply: t.reply, strict: t.strict } : null;
    },
  };
}
