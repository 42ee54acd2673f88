/**
 * lookup(parameter, region, date): the value in force, searching the region, then its fallbacks
 * (平顶山市 → 河南省 → 全国; 济宁市 → 全国).
 *
 * A more specific region that says a provision ENDED wins over a broader region that states no end
 * for it, as long as the broader value was already in force when the specific one ended (平顶山's
 * 剩余期限见习补贴 "延续至2023年底" ends it in 平顶山 even though 豫政办〔2023〕17号 gives no end).
 * A broader value that only starts after the specific one ended is a newer policy and applies.
 */
import type { Region } from '../../core/types.js';
import { fallbackChain } from '../regions.js';
import type { RuleData } from './load.js';
import type { Parameter, ParameterEntry, ParameterValue } from './schema.js';

export type LookupResult =
  | { status: 'ok'; value: ParameterValue; entry: ParameterEntry; parameter: Parameter; region: Region }
  | { status: 'expired'; entry: ParameterEntry; parameter: Parameter; region: Region }
  | { status: 'not_started'; entry: ParameterEntry; parameter: Parameter; region: Region }
  | { status: 'absent'; parameter: Parameter; region: Region };

const covers = (e: ParameterEntry, date: string) => e.start <= date && (e.end === null || date <= e.end);

export function lookup(data: RuleData, name: string, region: Region, date: string): LookupResult {
  const parameter = data.parameters.get(name);
  if (!parameter) throw new Error(`unknown parameter: ${name}`);
  let expired: Extract<LookupResult, { status: 'expired' }> | null = null;
  let notStarted: Extract<LookupResult, { status: 'not_started' }> | null = null;
  for (const level of fallbackChain(region)) {
    const entries = parameter.values.filter((v) => v.region === level);
    if (entries.length === 0) continue;
    const hit = entries.find((e) => covers(e, date));
    if (hit) {
      if (expired && expired.entry.end !== null && hit.start <= expired.entry.end) return expired;
      return { status: 'ok', value: hit.value, entry: hit, parameter, region: level };
    }
    const ended = entries.filter((e) => e.end !== null && e.end < date).sort((a, b) => (a.end! < b.end! ? 1 : -1))[0];
    if (ended && !expired) expired = { status: 'expired', entry: ended, parameter, region: level };
    const later = entries.filter((e) => e.start > date).sort((a, b) => (a.start < b.start ? -1 : 1))[0];
    if (later && !notStarted) notStarted = { status: 'not_started', entry: later, parameter, region: level };
  }
  return expired ?? notStarted ?? { status: 'absent', parameter, region };
}
