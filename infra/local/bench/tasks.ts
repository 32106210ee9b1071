// Dashboard benchmark: GET /v1/tasks with 10,000 open tasks in one organisation, next to exactly the DynamoDB
// requests its handler makes (for a first page one Query on the open-task index with the caller's filter, which
// meets the counter item first; recorded and replayed by requests.ts), and next to the plain Query of the first 50.
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { routes as taskRoutes } from '../../../functions/tasks/routes.ts';
import { writeItems, type KboItem } from '../../../shared/data/kbo.ts';
import { task as taskKeys } from '../../../shared/data/keys.ts';
import { countsItem, taskItem } from '../../../shared/data/tasks.ts';
import { taskTypes, type Task, type TaskType } from '../../../shared/domain/tasks.ts';
import { demoUsers } from '../seed/users.ts';
import type { RunningStage } from '../stage.ts';
import { timeAlternately } from './latency.ts';
import { time, type Stats } from './measure.ts';
import { describeWaves, replay, requestRecorder } from './requests.ts';

const organisation = 'partnership:handel';

async function seedOpenTasks(stage: RunningStage, openTasks: number): Promise<void> {
  const types: TaskType[] = ['checkCompleteness', 'handleApplication', 'resumeApplication', 'checkMentors', 'renewRecognition'];
  const roles = [['consultant'], ['consultant', 'votingMember'], ['votingMember'], ['administrator']];
  const tasks: Task[] = [];
  for (let i = 0; i < openTasks; i++) {
    const type = types[i % types.length]!;
    const day = new Date(Date.UTC(2026, 0, 1) + (i % 1000) * 86_400_000).toISOString().slice(0, 10);
    const task: Task = {
      id: `bench:${i}`,
      type,
      title: taskTypes[type],
      organisationKey: organisation,
      roles: roles[i % roles.length]!,
      subject: { kind: 'application', id: `bench-${i}`, label: `Dossier ${i}` },
      dueDate: day,
      actions: ['act'],
      link: `/v1/applications/bench-${i}`,
      status: 'open',
      createdAt: '2026-01-01T00:00:00.000Z',
      closedAt: null,
    };
    tasks.push(task);
  }
  // The tasks and the counter the open transactions would have kept, in one batch write.
  await writeItems(stage.deps, [...tasks.map(taskItem), countsItem(organisation, tasks)] as KboItem[]);
}

export async function dashboard(
  stage: RunningStage,
  openTasks: number,
  requests: number,
): Promise<{ api: Stats; bare: Stats; bareQuery: Stats; overdue: Stats; requests: string }> {
  await seedOpenTasks(stage, openTasks);
  const headers = { authorization: `Bearer ${await stage.issuer.sign(demoUsers['karim.consulent']!)}`, 'x-organisation': organisation };
  const get = (query: string) => async () => {
    const response = await fetch(`${stage.url}/v1/tasks${query}`, { headers });
    if (!response.ok) throw new Error(`tasks: ${response.status}`);
    await response.arrayBuffer();
  };
  const waves = await requestRecorder(stage, taskRoutes).record('/v1/tasks?limit=50', headers);
  const bareQuery = () =>
    stage.deps.db.send(
      new QueryCommand({
        TableName: stage.config.TABLE_NAME,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': taskKeys.openIndex(organisation) },
        Limit: 50,
      }),
    );
  const { a: api, b: bare } = await timeAlternately(get('?limit=50'), () => replay(stage.deps, waves), requests);
  return {
    api,
    bare,
    bareQuery: await time(bareQuery, requests),
    overdue: await time(get('?limit=50&overdue=true&type=checkCompleteness'), requests),
    requests: describeWaves(waves),
  };
}
