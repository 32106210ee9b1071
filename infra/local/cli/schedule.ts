// `npm run schedule -- <name>`: triggers a schedule on the running local stage now, as EventBridge Scheduler would.
import { runningStage } from '../connect.ts';
import { schedules } from '../../topology.ts';

const name = process.argv[2];
const stage = runningStage();
if (!name) {
  console.error(`Usage: npm run schedule -- <name>\nSchedules: ${schedules.map((s) => s.name).join(', ') || 'none yet'}`);
  process.exit(2);
}
if (!stage) {
  console.error('The local stage is not running: start it with npm start.');
  process.exit(1);
}
const response = await fetch(`${stage.url}/_local/schedules/${encodeURIComponent(name)}`, { method: 'POST' });
console.log(JSON.stringify(await response.json(), null, 2));
process.exit(response.ok ? 0 : 1);
