import { queues, schedules, stateMachines } from '../topology.ts';

export function topologySummary(): string {
  const lines = [
    `  Queues              ${queues.map((q) => `${q.id} (+dlq)`).join(', ') || 'none'}`,
    `  State machines      ${stateMachines.map((s) => s.name).join(', ') || 'none yet'}`,
    `  Schedules           ${schedules.map((s) => `${s.name} (${s.cron} ${s.timezone})`).join(', ') || 'none yet'}  -> npm run schedule -- <name>`,
  ];
  return lines.join('\n');
}
