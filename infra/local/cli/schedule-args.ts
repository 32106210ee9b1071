// The arguments of `npm run schedule -- <name> [--on YYYY-MM-DD]`, checked before the running stage is asked.
import { parseDay } from '../schedules.ts';

export type ScheduleArgs = { name: string; on: string | undefined };

export const scheduleUsage = 'Usage: npm run schedule -- <name> [--on YYYY-MM-DD]';

/** The schedule's name and the day to run it as of (absent: now); throws a message for the user otherwise. */
export function parseScheduleArgs(argv: readonly string[]): ScheduleArgs {
  const [name, ...rest] = argv;
  if (!name || name.startsWith('-')) throw new Error(scheduleUsage);
  let on: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    const value = arg === '--on' ? rest[++i] : arg.startsWith('--on=') ? arg.slice('--on='.length) : undefined;
    if (value === undefined)
      throw new Error(arg === '--on' ? `--on needs a day: --on YYYY-MM-DD\n${scheduleUsage}` : `unknown argument "${arg}"\n${scheduleUsage}`);
    if (on !== undefined) throw new Error(`--on given twice\n${scheduleUsage}`);
    on = parseDay(value);
  }
  return { name, on };
}
