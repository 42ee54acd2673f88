/**
 * Ticket numbers a worker can read out or type on a phone: "QX" + YYMMDD (China date of filing) +
 * "-" + 4 characters drawn with a CSPRNG from 31 symbols without 0/O, 1/I/L. 31^4 ≈ 923 000 per day,
 * so the next number cannot be guessed from the previous one; the stores retry on the rare
 * collision (unique key in both backends).
 */
import { randomInt } from 'node:crypto';
import { chinaDay } from './china-day.js';

export const TICKET_ID_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const TICKET_ID_PATTERN = /^QX\d{6}-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4}$/;

export function newTicketId(now: Date = new Date(), pick: (n: number) => number = randomInt): string {
  const yymmdd = chinaDay(now).slice(2).replaceAll('-', '');
  let tail = '';
  for (let i = 0; i < 4; i++) tail += TICKET_ID_ALPHABET[pick(TICKET_ID_ALPHABET.length)];
  return `QX${yymmdd}-${tail}`;
}

/**
 * What a worker typed ("qx 250301 ab2c", full-width characters, missing hyphen) back to a canonical
 * id, or null when it cannot be one.
 */
export function normaliseTicketId(typed: string): string | null {
  const half = typed.normalize('NFKC').toUpperCase().replace(/[\s\-－—_]/g, '');
  const m = /^QX(\d{6})([0-9A-Z]{4})$/.exec(half);
  if (!m) return null;
  const id = `QX${m[1]}-${m[2]}`;
  return TICKET_ID_PATTERN.test(id) ? id : null;
}
