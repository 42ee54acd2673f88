import { describe, expect, it } from 'vitest';
import { newTicketId, normaliseTicketId, TICKET_ID_ALPHABET, TICKET_ID_PATTERN } from '../../src/tickets/ticket-id.js';

describe('ticket numbers', () => {
  it('when a ticket is filed late in the evening UTC, then the number carries the China date', () => {
    const id = newTicketId(new Date('2025-02-28T17:30:00Z'));
    expect(id).toMatch(/^QX250301-[2-9A-Z]{4}$/);
    expect(id).toMatch(TICKET_ID_PATTERN);
  });

  it('when numbers are drawn, then they avoid look-alike characters', () => {
    expect(TICKET_ID_ALPHABET).not.toMatch(/[01OIL]/);
    const tails = Array.from({ length: 500 }, () => newTicketId().slice(-4)).join('');
    expect(tails).not.toMatch(/[01OIL]/);
  });

  it('when a worker types a number loosely, then it is read back to the canonical form', () => {
    expect(normaliseTicketId('qx250301-ab2c')).toBe('QX250301-AB2C');
    expect(normaliseTicketId(' QX 250301 AB2C ')).toBe('QX250301-AB2C');
    expect(normaliseTicketId('ＱＸ２５０３０１－ＡＢ２Ｃ')).toBe('QX250301-AB2C');
    expect(normaliseTicketId('QX250301AB2C')).toBe('QX250301-AB2C');
  });

  it('when the text cannot be a ticket number, then null', () => {
    expect(normaliseTicketId('QX250301-AB1C')).toBeNull();
    expect(normaliseTicketId('老板欠我工资')).toBeNull();
    expect(normaliseTicketId('QX2503-AB2C')).toBeNull();
  });
});
