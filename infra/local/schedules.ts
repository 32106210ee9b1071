// Running a schedule's job on the local stage as of a given day (`npm run schedule -- <job> --on 2031-06-01`), so
// renewal, training-deadline, expiry and digest work can be seen without waiting for years. The job gets the
// dependencies its Lambda entry asks for (the same clients, so a missing grant still fails), with a clock that
// stands at the time the deployed schedule fires on that day, in Brussels. Only daily jobs can: the weekly KBO
// sync and the minutely outbox dispatch work on what waits, not on a date.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TZDate } from '@date-fns/tz';
import { fixedClock } from '../../shared/adapters/clock.ts';
import { entryDependencies, type ClientFactories } from '../../shared/adapters/cold-start.ts';
import type { Dependencies } from '../../shared/adapters/dependencies.ts';
import type { Config } from '../../shared/config.ts';
import type { ScheduleDefinition } from '../topology.ts';
import { repositoryRoot } from './paths.ts';

/** A refusal to run, with the HTTP status the local stage answers it with. */
export class ScheduleRunError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 404,
  ) {
    super(message);
  }
}

/** `YYYY-MM-DD`, a real calendar date; anything else is refused with what was wrong. */
export function parseDay(value: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const date = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : undefined;
  if (!date || date.toISOString().slice(0, 10) !== value)
    throw new ScheduleRunError(`"${value}" is not a calendar date: give the day as YYYY-MM-DD, e.g. --on 2031-06-01`, 400);
  return value;
}

/** The time of day a daily schedule fires (`cron(30 2 * * ? *)` is 02:30), or undefined for any other rhythm. */
export function dailyRunTime(schedule: Pick<ScheduleDefinition, 'cron'>): { hour: number; minute: number } | undefined {
  const match = /^cron\((\d{1,2}) (\d{1,2}) \* \* \? \*\)$/.exec(schedule.cron);
  return match ? { minute: Number(match[1]), hour: Number(match[2]) } : undefined;
}

/** The instant the schedule fires on that day in its time zone (Brussels), summer or winter time. */
export function runInstant(schedule: Pick<ScheduleDefinition, 'name' | 'cron' | 'timezone'>, day: string): Date {
  const time = dailyRunTime(schedule);
  if (!time) throw new ScheduleRunError(`${schedule.name} does not run daily (${schedule.cron}): it cannot run as of a day; leave out --on`, 400);
  const [year, month, date] = parseDay(day).split('-').map(Number) as [number, number, number];
  return new Date(new TZDate(year, month - 1, date, time.hour, time.minute, schedule.timezone).getTime());
}

/** What a daily job's Lambda entry exports besides its handler: its clients and the job built from dependencies. */
type DailyEntry = { clients?: ClientFactories; createJob?: (deps: Dependencies) => () => Promise<unknown> };

/** Runs the schedule's job once with the clock at `runInstant(schedule, day)`; returns the job's summary. */
export async function runScheduleOn(schedule: ScheduleDefinition, day: string, config: Config): Promise<{ at: string; result: unknown }> {
  const at = runInstant(schedule, day);
  if (!('function' in schedule.target)) throw new ScheduleRunError(`${schedule.name} starts a state machine: it cannot run as of a day`, 400);
  const entry = schedule.target.function.entry;
  const module = (await import(pathToFileURL(join(repositoryRoot, entry)).href)) as DailyEntry;
  if (!module.clients || typeof module.createJob !== 'function')
    throw new Error(`${entry} exports no clients and createJob, which running ${schedule.name} as of a day needs`);
  const deps: Dependencies = { ...entryDependencies(config, module.clients), clock: fixedClock(at.toISOString()) };
  return { at: at.toISOString(), result: await module.createJob(deps)() };
}
