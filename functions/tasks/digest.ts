// The daily digest (schedule `tasks-digest`): per organisation with tasks, an e-mail to each of its users
// who has not opted out, with the open tasks for their roles that are new since the previous digest and the
// ones over their due date. Organisations come from the sparse `TASKORGS` index and users from the
// memberships recorded by `GET /v1/me`: no Scan. Idempotent per organisation per day: the notification id is
// `digest:<organisation>:<date>:<user hash>` (the consumer sends an id once) and an organisation already
// digested today is skipped.
import { createHash } from 'node:crypto';
import type { Dependencies } from '../../shared/adapters/dependencies.ts';
import { brusselsDate } from '../../shared/adapters/clock.ts';
import { requestNotification } from '../../shared/adapters/mail.ts';
import { getEnterpriseName } from '../../shared/data/kbo-lookups.ts';
import { getReference } from '../../shared/data/reference.ts';
import { listOpenTasks, listTaskOrganisations, markDigestSent } from '../../shared/data/tasks.ts';
import { usersOfOrganisation } from '../../shared/data/users.ts';
import type { Partnership, Provider } from '../../shared/domain/reference.ts';
import { daysRemaining, type Task } from '../../shared/domain/tasks.ts';
import { logger } from '../../shared/logger.ts';

const maxListed = 50;

async function organisationLabel(deps: Dependencies, key: string): Promise<string> {
  const [type, id = ''] = key.split(':');
  if (type === 'partnership') return (await getReference<Partnership>(deps, 'partnerships', id))?.record.name ?? key;
  if (type === 'provider') return (await getReference<Provider>(deps, 'providers', id))?.record.name ?? key;
  if (type === 'enterprise') return (await getEnterpriseName(deps, id)) ?? key;
  if (type === 'department') return 'Departement Werk en Sociale Economie';
  return key;
}

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

export function createDigestJob(deps: Dependencies) {
  return async (input: { today?: string } = {}) => {
    const now = deps.clock.now().toISOString();
    const today = input.today ?? brusselsDate(deps.clock.now());
    const summary = { organisations: 0, mails: 0 };
    let cursor: string | undefined;
    do {
      const page = await listTaskOrganisations(deps, cursor);
      for (const { organisationKey, lastDigestAt } of page.items) {
        if (lastDigestAt && brusselsDate(new Date(lastDigestAt)) === today) continue;
        const tasks = await allOpenTasks(deps, organisationKey);
        const isNew = (t: Task) => !lastDigestAt || t.createdAt > lastDigestAt;
        const isOverdue = (t: Task) => t.dueDate !== null && t.dueDate < today;
        if (tasks.some((t) => isNew(t) || isOverdue(t))) {
          const users = await usersOfOrganisation(deps, organisationKey);
          const label = await organisationLabel(deps, organisationKey);
          for (const user of users) {
            const grant = user.organisations.find((o) => o.key === organisationKey);
            if (!user.dailyDigest || !user.email || !grant) continue;
            const mine = tasks.filter((t) => t.roles.some((r) => grant.roles.includes(r)));
            const fresh = mine.filter(isNew);
            const overdue = mine.filter(isOverdue);
            if (!fresh.length && !overdue.length) continue;
            const listed = (list: Task[]) =>
              list
                .slice(0, maxListed)
                .map((t) => ({ title: t.title, label: t.subject.label, dueDate: t.dueDate, daysRemaining: daysRemaining(t.dueDate, today) }));
            const userHash = createHash('sha256').update(user.userId).digest('hex').slice(0, 16);
            await requestNotification(deps, {
              id: `digest:${organisationKey}:${today}:${userHash}`.slice(0, 120),
              to: [user.email],
              template: 'task-digest',
              data: {
                organisation: label,
                date: today,
                newTasks: listed(fresh),
                overdueTasks: listed(overdue),
                newCount: fresh.length,
                overdueCount: overdue.length,
              },
            });
            summary.mails += 1;
          }
        }
        await markDigestSent(deps, organisationKey, now);
        summary.organisations += 1;
      }
      cursor = page.cursor ?? undefined;
    } while (cursor);
    logger.info('task digest done', summary);
    return summary;
  };
}
