// Tasks that other contexts open about an agreement (a revoked recognition, a moved establishment) are closed
// by doing the action on the agreement. The agreement keeps a reference per such task in its own item
// collection (keys.ts: agreement.taskRef), so closing them is one Query, whatever task ids look like.
import { BatchWriteCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Dependencies } from '../adapters/dependencies.ts';
import type { TaskType } from '../domain/tasks.ts';
import { agreement as keys } from './keys.ts';
import { closeTask } from './tasks.ts';

export async function rememberAgreementTask(
  deps: Dependencies,
  agreementId: string,
  task: { id: string; type: TaskType; organisationKey: string },
): Promise<void> {
  await deps.db.send(
    new PutCommand({
      TableName: deps.config.TABLE_NAME,
      Item: { ...keys.taskRef(agreementId, task.id), taskId: task.id, type: task.type, organisationKey: task.organisationKey },
    }),
  );
}

/** Closes the agreement's open tasks of the given types and forgets them. */
export async function closeAgreementTasks(deps: Dependencies, agreementId: string, types: TaskType[]): Promise<number> {
  const result = await deps.db.send(
    new QueryCommand({
      TableName: deps.config.TABLE_NAME,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
      ExpressionAttributeValues: { ':pk': keys.pk(agreementId), ':p': keys.taskRefSkPrefix },
    }),
  );
  const refs = (result.Items ?? []).filter((i) => types.includes(i.type as TaskType));
  for (const ref of refs) await closeTask(deps, String(ref.organisationKey), String(ref.taskId));
  for (let i = 0; i < refs.length; i += 25) {
    const chunk = refs.slice(i, i + 25);
    await deps.db.send(
      new BatchWriteCommand({ RequestItems: { [deps.config.TABLE_NAME]: chunk.map((r) => ({ DeleteRequest: { Key: { pk: r.pk, sk: r.sk } } })) } }),
    );
  }
  return refs.length;
}
