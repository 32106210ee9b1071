// Users as the API sees them: there is no user directory (the government sign-in is one), so a user is
// recorded when they call `GET /v1/me` with the e-mail and grants of their token. The daily digest needs to
// know who works for an organisation and who opted out.
//   profile (`user.profile` in keys.ts): email, organisations (grants), fingerprint, dailyDigest
//   membership (`user.membership`): one per grant in the organisation's partition, Query per organisation
// The profile keeps a fingerprint of e-mail and grants, so the usual call (nothing changed) is one read and no
// write; the write is conditional on the fingerprint, so two concurrent first calls write once. A grant the token no longer carries leaves its membership item behind;
// the digest reads the profile and trusts only its current grants.
import { createHash } from 'node:crypto';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, UpdateCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { batchGetItems, keyString } from './batch-get.ts';
import type { Dependencies } from '../adapters/dependencies.ts';
import { organisationKey, type Principal } from '../domain/organisations.ts';
import type { Actor } from '../domain/recognitions.ts';
import { user } from './keys.ts';
import { readOrganisationNames } from './organisation-names.ts';

export type UserProfile = { userId: string; email: string | null; organisations: { key: string; roles: string[] }[]; dailyDigest: boolean };

const profileKey = user.profile;

/** The grants and e-mail address of the token, and their fingerprint, as the profile stores them. */
function profileOf(principal: Principal) {
  const organisations = principal.organisations
    .map((g) => ({ key: organisationKey(g.type, g.id), roles: [...g.roles].sort() }))
    .sort((a, b) => a.key.localeCompare(b.key));
  const email = principal.email ?? null;
  const fingerprint = createHash('sha256').update(JSON.stringify({ email, organisations })).digest('base64url');
  return { organisations, email, fingerprint };
}

export async function recordUser(deps: Dependencies, principal: Principal): Promise<boolean> {
  // Nearly every call finds the user unchanged: one cheap read instead of a (failing) transactional write.
  const known = await deps.db.send(
    new GetCommand({ TableName: deps.config.TABLE_NAME, Key: profileKey(principal.userId), ProjectionExpression: 'fingerprint' }),
  );
  return saveUserIfChanged(deps, principal, known.Item?.fingerprint);
}

/**
 * `GET /v1/me`: records the user as recordUser does, and reads the names of their organisations in the same
 * requests (the profile is in the BatchGet of the names). Writes only when e-mail or grants changed.
 */
export async function recordUserWithOrganisationNames(deps: Dependencies, principal: Principal): Promise<Map<string, string | null>> {
  const key = profileKey(principal.userId);
  const organisations = principal.organisations.map((g) => organisationKey(g.type, g.id));
  const { names, items } = await readOrganisationNames(deps, organisations, [key]);
  await saveUserIfChanged(deps, principal, items.get(keyString(key))?.fingerprint);
  return names;
}

/** Writes the profile and the memberships when the stored fingerprint is not the token's; returns whether it wrote. */
async function saveUserIfChanged(deps: Dependencies, principal: Principal, storedFingerprint: unknown): Promise<boolean> {
  const { organisations, email, fingerprint } = profileOf(principal);
  if (storedFingerprint === fingerprint) return false;
  try {
    await deps.db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: deps.config.TABLE_NAME,
              Key: profileKey(principal.userId),
              UpdateExpression: 'SET userId = :id, email = :email, organisations = :orgs, fingerprint = :fp, seenAt = :now',
              ConditionExpression: 'attribute_not_exists(pk) OR fingerprint <> :fp',
              ExpressionAttributeValues: {
                ':id': principal.userId,
                ':email': email,
                ':orgs': organisations,
                ':fp': fingerprint,
                ':now': deps.clock.now().toISOString(),
              },
            },
          },
          ...organisations.slice(0, 90).map((o) => ({
            Put: { TableName: deps.config.TABLE_NAME, Item: { ...user.membership(o.key, principal.userId), userId: principal.userId } },
          })),
        ],
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof TransactionCanceledException && error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') return false;
    throw error;
  }
}

export async function setPreferences(deps: Dependencies, principal: Principal, preferences: { dailyDigest: boolean }): Promise<UserProfile> {
  await recordUser(deps, principal);
  const result = await deps.db.send(
    new UpdateCommand({
      TableName: deps.config.TABLE_NAME,
      Key: profileKey(principal.userId),
      UpdateExpression: 'SET dailyDigest = :d',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':d': preferences.dailyDigest },
      ReturnValues: 'ALL_NEW',
    }),
  );
  return toProfile(result.Attributes!);
}

const toProfile = (item: Record<string, unknown>): UserProfile => ({
  userId: item.userId as string,
  email: (item.email as string | null) ?? null,
  organisations: (item.organisations as UserProfile['organisations']) ?? [],
  dailyDigest: item.dailyDigest !== false,
});

/** The users recorded for an organisation with their current profiles (Query + BatchGet). */
export async function usersOfOrganisation(deps: Dependencies, organisation: string): Promise<UserProfile[]> {
  const ids: string[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await deps.db.send(
      new QueryCommand({
        TableName: deps.config.TABLE_NAME,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': user.membersPk(organisation) },
        ExclusiveStartKey: start,
      }),
    );
    ids.push(...(page.Items ?? []).map((i) => i.userId as string));
    start = page.LastEvaluatedKey;
  } while (start);
  const profiles = [...(await batchGetItems(deps, ids.map(profileKey))).values()].map(toProfile);
  return profiles.sort((a, b) => a.userId.localeCompare(b.userId));
}

/**
 * Who does a step, for a file's history: the user's name from the token, the roles held in the acting
 * organisation and its name now (one BatchGet, or one Query for an enterprise), so the history keeps the names
 * of the time. `alsoNamed` are read in the same requests (e.g. the enterprise a counsellor files for).
 */
export async function readActor(
  deps: Dependencies,
  principal: Pick<Principal, 'userId' | 'name'>,
  acting: { key: string; roles: readonly string[] },
  alsoNamed: readonly string[] = [],
): Promise<{ actor: Actor; names: Map<string, string | null> }> {
  const { names } = await readOrganisationNames(deps, [...new Set([acting.key, ...alsoNamed])]);
  const actor: Actor = {
    userId: principal.userId,
    name: principal.name,
    organisationKey: acting.key,
    organisationName: names.get(acting.key) ?? null,
    roles: [...acting.roles],
  };
  return { actor, names };
}
