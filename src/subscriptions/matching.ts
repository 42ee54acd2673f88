/**
 * Which subscribers a publication concerns, by three named rules tried in order (the first that holds
 * gives the notice its topic and reason):
 *   programme    — the publication touches a catalogue programme the person subscribed to
 *                  (Publication.programmeIds ∩ the person's topics);
 *   facts        — the publication is of the person's region (or of a wider one covering it: national,
 *                  or the province for its cities) and its title has a word of a group the person's
 *                  facts put them in (graduate, migrant worker, startup … — intents/subscriptions.yaml);
 *   query-words  — for a topic answered from the texts (no programme): the title shares a topic word
 *                  with the person's question, region as for facts.
 * Only new documents ("published") are announced; a withdrawal or replacement is not a new policy.
 */
import type { Region } from '../core/types.js';
import type { Publication } from '../knowledge/publication-events.js';
import type { Subscription } from './types.js';
import type { SubscriptionWording } from './wording.js';

export interface Match {
  topic: string;
  reason: string;
}

/** Region codes the publishing side may use, as the conversation names regions. */
const REGION_CODES: Record<string, Region> = {
  national: '全国',
  henan: '河南省',
  pingdingshan: '平顶山市',
  pds: '平顶山市',
  jining: '济宁市',
};
/** Cities of a province, for "a provincial document concerns the people of its cities". */
const PROVINCE_OF: Partial<Record<Region, Region>> = { 平顶山市: '河南省' };
/** The bureau's own city: a person who never named a region is taken to be there. */
const HOME: Region = '平顶山市';

export function regionOf(code: string): Region | null {
  if (code in REGION_CODES) return REGION_CODES[code]!;
  return (['全国', '河南省', '平顶山市', '济宁市'] as const).find((r) => r === code) ?? null;
}

/** Whether a document of `docRegion` concerns a person in `personRegion`. */
export function regionCovers(docRegion: Region | null, personRegion: Region | null): boolean {
  const person = personRegion ?? HOME;
  if (docRegion === null) return false;
  return docRegion === '全国' || docRegion === person || PROVINCE_OF[person] === docRegion;
}

export function matchPublication(sub: Subscription, p: Publication, wording: SubscriptionWording): Match | null {
  if (p.action !== 'published') return null;
  for (const t of sub.topics) {
    if (t.programme && p.programmeIds.includes(t.programme)) return { topic: t.label, reason: `programme:${t.programme}` };
  }
  const docRegion = regionOf(p.region);
  for (const t of sub.topics) {
    const rule = t.persona ? wording.personas[t.persona] : undefined;
    if (!rule || !regionCovers(docRegion, t.region ?? sub.region)) continue;
    if (rule.words.some((w) => p.title.includes(w))) return { topic: t.label, reason: `facts:${t.persona}` };
  }
  for (const t of sub.topics) {
    if (t.programme || t.persona || !regionCovers(docRegion, t.region ?? sub.region)) continue;
    const word = wording.topic_words.find((w) => t.query.includes(w) && p.title.includes(w));
    if (word) return { topic: t.label, reason: `query-words:${word}` };
  }
  return null;
}

/** The groups the person's facts put them in (rule "facts"). */
export function personasOf(facts: Record<string, unknown>, wording: SubscriptionWording): string[] {
  return Object.entries(wording.personas)
    .filter(([, rule]) => (typeof facts.persona === 'string' && rule.persona.includes(facts.persona)) || rule.facts.some((k) => facts[k] !== undefined && facts[k] !== null))
    .map(([name]) => name);
}
