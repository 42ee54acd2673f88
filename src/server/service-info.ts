/**
 * Who runs the service and how personal data is handled, as people read it: the words in
 * intents/service.yaml filled with the configured bureau, hotline, hours and retention (config.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';
import type { Channel } from '../core/types.js';
import type { Config } from './config.js';

const Page = z.object({ title: z.string().min(1), lines: z.array(z.string().min(1)).min(1) });
const ServiceTexts = z.object({
  privacy_notice: z.string().min(1),
  privacy_notice_sms: z.string().min(1),
  privacy_link: z.string().min(1),
  about: Page.extend({ hours: z.string().min(1), hours_unknown: z.string().min(1), address: z.string().min(1) }),
  privacy: Page,
});
export type ServiceTexts = z.infer<typeof ServiceTexts>;

export function loadServiceTexts(file: string): ServiceTexts {
  const parsed = ServiceTexts.safeParse(YAML.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

type ServiceConfig = Pick<
  Config,
  'INTENTS_DIR' | 'BUREAU_NAME' | 'BUREAU_HOTLINE' | 'BUREAU_HOURS' | 'BUREAU_ADDRESS' | 'PUBLIC_BASE_URL' | 'TICKET_RETENTION_DAYS' | 'SESSION_TTL_SECONDS'
>;

const fill = (template: string, values: Record<string, string | number>): string =>
  template.replace(/\{(\w+)\}/g, (whole, k: string) => (k in values ? String(values[k]) : whole));

export const PRIVACY_PATH = '/privacy';
export const ABOUT_PATH = '/about';

export class ServiceInfo {
  constructor(
    private readonly config: ServiceConfig,
    readonly texts: ServiceTexts = loadServiceTexts(join(config.INTENTS_DIR, 'service.yaml')),
  ) {}

  private get values(): Record<string, string | number> {
    const c = this.config;
    return {
      bureau: c.BUREAU_NAME,
      hotline: c.BUREAU_HOTLINE,
      hours: c.BUREAU_HOURS ?? '',
      address: c.BUREAU_ADDRESS ?? '',
      days: c.TICKET_RETENTION_DAYS,
      sessionDays: Math.max(1, Math.round(c.SESSION_TTL_SECONDS / 86400)),
    };
  }

  /**
   * The one-line notice before the intake's first personal question. The web page links the privacy
   * page by its path; SMS and WeChat get its full address when PUBLIC_BASE_URL is set.
   */
  privacyNotice(channel: Channel): string {
    const t = this.texts;
    if (channel === 'sms') return fill(t.privacy_notice_sms, this.values);
    const url = channel === 'web' ? PRIVACY_PATH : this.config.PUBLIC_BASE_URL ? `${this.config.PUBLIC_BASE_URL.replace(/\/$/, '')}${PRIVACY_PATH}` : null;
    return fill(t.privacy_notice, { ...this.values, link: url ? fill(t.privacy_link, { url }) : '' }).trim();
  }

  about(): { title: string; lines: string[] } {
    const a = this.texts.about;
    const v = this.values;
    const lines = a.lines.map((l) => fill(l, v));
    lines.push(fill(this.config.BUREAU_HOURS ? a.hours : a.hours_unknown, v));
    if (this.config.BUREAU_ADDRESS) lines.push(fill(a.address, v));
    return { title: a.title, lines };
  }

  privacy(): { title: string; lines: string[] } {
    return { title: this.texts.privacy.title, lines: this.texts.privacy.lines.map((l) => fill(l, this.values)) };
  }
}
