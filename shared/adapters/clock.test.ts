import { describe, expect, it } from 'vitest';
import { brusselsDate } from './clock.ts';

describe('brusselsDate', () => {
  it('gives the calendar date in Brussels, not in UTC, on both sides of midnight and of the clock changes', () => {
    expect(brusselsDate(new Date('2026-06-30T21:59:59Z'))).toBe('2026-06-30');
    expect(brusselsDate(new Date('2026-06-30T22:00:00Z'))).toBe('2026-07-01');
    expect(brusselsDate(new Date('2026-12-31T22:59:59Z'))).toBe('2026-12-31');
    expect(brusselsDate(new Date('2026-12-31T23:00:00Z'))).toBe('2027-01-01');
    expect(brusselsDate(new Date('2026-03-28T23:30:00Z'))).toBe('2026-03-29');
    expect(brusselsDate(new Date('2026-10-24T22:30:00Z'))).toBe('2026-10-25');
  });

  it('agrees with Intl for every hour of a year', () => {
    const intl = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Brussels', year: 'numeric', month: '2-digit', day: '2-digit' });
    for (let t = Date.parse('2026-01-01T00:30:00Z'); t < Date.parse('2027-01-01T00:00:00Z'); t += 3_600_000) {
      expect(brusselsDate(new Date(t))).toBe(intl.format(new Date(t)));
    }
  });
});
