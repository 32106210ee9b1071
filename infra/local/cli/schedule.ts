// `npm run schedule -- <name> [--on YYYY-MM-DD]`: triggers a schedule on the running local stage, as EventBridge
// Scheduler would: now, or (a daily job) as of that day, with the job's clock at the schedule's time that day in
// Brussels. `npm run schedule -- recognitions-daily --on 2031-06-01` shows the renewal tasks of that day.
import { runningStage } from '../connect.ts';
import { schedules } from '../../topology.ts';
import { parseScheduleArgs } from './schedule-args.ts';

let args: ReturnType<typeof parseScheduleArgs>;
try {
  args = parseScheduleArgs(process.argv.slice(2));
} catch (error) {
  console.error(`${(error as Error).message}\nSchedules: ${schedules.map((s) => s.name).join(', ') || 'none yet'}`);
  process.exit(2);
}
const stage = runningStage();
if (!stage) {
  console.error('The local stage is not running: start it with npm start.');
  process.exit(1);
}
const query = args.on ? `?on=${args.on}` : '';
const response = await fetch(`${stage.url}/_local/schedules/${encodeURIComponent(args.name)}${query}`, { method: 'POST' });
console.log(JSON.stringify(await response.json(), null, 2));
process.exit(response.ok ? 0 : 1);
