// Time comes from here so that tests and the local stage can move it.
import { TZDate } from '@date-fns/tz';
import { lightFormat } from 'date-fns';

export type Clock = { now(): Date };

export const systemClock: Clock = { now: () => new Date() };

export const brusselsZone = 'Europe/Brussels';

/** The Belgian calendar date (`YYYY-MM-DD`) of an instant. */
export const brusselsDate = (instant: Date): string => lightFormat(new TZDate(instant, brusselsZone), 'yyyy-MM-dd');

export const fixedClock = (iso: string): Clock & { set(iso: string): void; advance(ms: number): void } => {
  let current = new Date(iso);
  return {
    now: () => new Date(current),
    set: (next) => {
      current = new Date(next);
    },
    advance: (ms) => {
      current = new Date(current.getTime() + ms);
    },
  };
};
