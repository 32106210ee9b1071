// Appeals of an enterprise against a rejection or a sanction (keys: keys.ts `appeal`): the appeal's own item,
// and in the enterprise's list on gsi1. Every change is conditional on the version read.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Dependencies } from '../adapters/dependencies.ts';
import type { Appeal, AppealedDecision } from '../domain/appeals.ts';
import { getApplication } from './applications.ts';
import * as keys from './keys.ts';
import { ok, refused, type Result } from './result.ts';
import { getSanction } from './sanctions.ts';

export type { Appeal } from '../domain/appeals.ts';

const appealItem = (a: Appeal) => ({
  ...keys.appeal.key(a.id),
  gsi1pk: keys.enterprise.index(a.enterpriseNumber),
  gsi1sk: keys.appeal.enterpriseIndexSk(a.id),
  ...a,
});

export async function getAppeal(deps: Dependencies, id: string): Promise<Appeal | undefined> {
  const item = (await deps.db.send(new GetCommand({ TableName: deps.config.TABLE_NAME, Key: keys.appeal.key(id), ConsistentRead: true }))).Item;
  if (!item) return undefined;
  const { pk: _a, sk: _b, gsi1pk: _c, gsi1sk: _d, ...appeal } = item;
  return appeal as Appeal;
}

/** The decision an appeal is against: a file's decision (appealable when it is a rejection) or a sanction. */
export async function getAppealedDecision(deps: Dependencies, against: Appeal['against']): Promise<AppealedDecision | undefined> {
  if (against.kind === 'decision') {
    const application = await getApplication(deps, against.applicationId);
    return (
      application && {
        enterpriseNumber: application.enterpriseNumber,
        decisionAt: application.decision?.at,
        appealable: application.decision?.decision === 'notRecognised',
      }
    );
  }
  const sanction = await getSanction(deps, against.sanctionId);
  return sanction && { enterpriseNumber: sanction.enterpriseNumber, decisionAt: sanction.decidedAt, appealable: true };
}

async function put(deps: Dependencies, appeal: Appeal, expectedVersion: number | null): Promise<Result<Appeal, 'version-conflict'>> {
  try {
    await deps.db.send(
      new PutCommand({
        TableName: deps.config.TABLE_NAME,
        Item: appealItem(appeal),
        ...(expectedVersion === null
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': expectedVersion } }),
      }),
    );
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return refused('version-conflict');
    throw error;
  }
  return ok(appeal);
}

/** Records a new appeal (its id is new: the condition only guards against a reused one). */
export const lodgeAppeal = (deps: Dependencies, appeal: Appeal) => put(deps, appeal, null);

/** Replaces the appeal if it is still at `expectedVersion` (the department's confirmation, the committee's outcome). */
export const saveAppeal = (deps: Dependencies, next: Appeal, expectedVersion: number) => put(deps, { ...next, version: expectedVersion + 1 }, expectedVersion);
