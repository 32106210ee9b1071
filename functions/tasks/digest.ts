// The daily digest (schedule `tasks-digest`): per organisation with tasks, an e-mail to each of its users
// who has not opted out, with the open tasks for their roles that are new since the previous digest and the
// ones over their due date (shared/domain/tasks.ts digestOf). Organisations come from the sparse index of
// organisations with tasks and users from the memberships recorded by `GET /v1/me`: no Scan. Idempotent per
// organisation per day: the notification id is `digest:<organisation>:<date>:<user hash>` (the consumer sends
// an id once) and an organisation already digested today is skipped.
import { createHash } from 'node:crypto';
import type { Dependencies } from '../../shared/adapters/dependencies.ts';
import { brusselsDate } from '../../shared/adapters/clock.ts';
import { requestNotification } from '../../shared/adapters/mail.ts';
import { readOrganisationNames } from '../../shared/data/organisation-names.ts';
import { listOpenTasks, listTaskOrganisations, markDigestSent } from '../../shared/data/tasks.ts';
import { usersOfOrganisation } from '../../shared/data/users.ts';
import { digestOf, type Task } from '../../shared/domain/tasks.ts';
import { logger } from '../../shared/logger.ts';

type TaskOrganisation = { organisationKey: string; lastDigestAt: string | null };

async function allOpenTasks(deps: Dependencies, organisation: string): Promise<Task[]> {
  const tasks: Task[] = [];
  let cursor: string | undefined;
  do {
    const page = await listOpenTasks(deps, organisation, { cursor, limit: 100 });
    tasks.push(...page.items);
    cursor = page.cursor ?? undefined;
  } while (cursor);
  return tasks;
}

/** Every organisation that ever had a task, page by page. */
async function* taskOrganisations(deps: Dependencies): AsyncGenerator<TaskOrganisation> {
  let cursor: string | undefined;
  do {
    const page = await listTaskOrganisations(deps, cursor);
    yield* page.items;
    cursor = page.cursor ?? undefined;
  } while (cursor);
}

/** Mails the digest of one organisation to each of its users that has something to read; returns how many. */
async function digestOrganisation(deps: Dependencies, { organisationKey, lastDigestAt }: TaskOrganisation, today: string): Promise<number> {
  const tasks = await allOpenTasks(deps, organisationKey);
  if (!digestOf(tasks, { roles: tasks.flatMap((t) => t.roles), lastDigestAt, today })) return 0;
  const [users, { names }] = await Promise.all([usersOfOrganisation(deps, organisationKey), readOrganisationNames(deps, [organisationKey])]);
  let mails = 0;
  for (const user of users) {
    const grant = user.organisations.find((o) => o.key === organisationKey);
    if (!user.dailyDigest || !user.email || !grant) continue;
    const digest = digestOf(tasks, { roles: grant.roles, lastDigestAt, today });
    if (!digest) continue;
    const userHash = createHash('sha256').update(user.userId).digest('hex').slice(0, 16);
    await requestNotification(deps, {
      id: `digest:${organisationKey}:${today}:${userHash}`.slice(0, 120),
      to: [user.email],
      template: 'task-digest',
      data: { organisation: names.get(organisationKey) ?? organisationKey, date: today, ...digest },
    });
    mails += 1;
  }
  return mails;
}

export function createDigestJob(deps: Dependencies) {
  return async (input: { today?: string } = {}) => {
    const now = deps.clock.now().toISOString();
    const today = input.today ?? brusselsDate(deps.clock.now());
    const summary = { organisations: 0, mails: 0 };
    for await (const organisation of taskOrganisations(deps)) {
      if (organisation.lastDigestAt && brusselsDate(new Date(organisation.lastDigestAt)) === today) continue;
      summary.mails += await digestOrganisation(deps, organisation, today);
      await markDigestSent(deps, organisation.organisationKey, now);
      summary.organisations += 1;
    }
    logger.info('task digest done', summary);
    return summary;
  };
}
