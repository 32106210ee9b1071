// What a scenario checks after each step: every party's dashboard and the e-mails sent since the last look.
// Shared by the scenarios of infra/local/scenarios that drive a life cycle through every party.
import { expect } from 'vitest';
import type { Actor, ScenarioClient } from './scenario-client.ts';

export type DashboardTask = {
  type: string;
  title: string;
  subject: { kind: string; id: string; label: string };
  dueDate: string | null;
  daysRemaining: number | null;
  link: string;
};
export type SentMail = { subject: string; to: string[] };

export function observers<Who extends string>(client: () => ScenarioClient, everyone: Record<Who, Actor>) {
  const tasksOf = async (actor: Actor): Promise<DashboardTask[]> => {
    const reply = await client().call(actor, 'GET', '/v1/tasks?limit=100');
    expect(reply.status, reply.text).toBe(200);
    return reply.body.items;
  };

  /** Every dashboard is exactly as given (task types, sorted); whoever is not named has none. */
  async function expectDashboards(step: string, expected: Partial<Record<Who, string[]>>) {
    for (const [who, actor] of Object.entries(everyone) as [Who, Actor][]) {
      const types = (await tasksOf(actor)).map((t) => t.type).sort();
      expect(types, `${step}: dashboard of ${who}`).toEqual([...(expected[who] ?? [])].sort());
    }
  }

  let mailSeen = 0;
  /** The e-mails sent since the last call, once there are `count` of them (and not one more after a moment). */
  async function newMail(count: number): Promise<SentMail[]> {
    await client().mailbox(mailSeen + count);
    await new Promise((r) => setTimeout(r, 300));
    const settled: SentMail[] = (await client().call(null, 'GET', '/_local/mail')).body.messages;
    expect(settled.length, `new mail: ${settled.slice(mailSeen).map((m) => m.subject)}`).toBe(mailSeen + count);
    const fresh = settled.slice(mailSeen);
    mailSeen = settled.length;
    return fresh.map((m) => ({ subject: m.subject, to: m.to })).sort((a, b) => a.subject.localeCompare(b.subject));
  }

  return { tasksOf, expectDashboards, newMail };
}
