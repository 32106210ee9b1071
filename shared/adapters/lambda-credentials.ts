// Stands in for `@aws-sdk/credential-provider-node` in the Lambda bundles (infra/constructs/bundling.ts aliases it).
// Lambda hands a function its role's credentials in environment variables, and the SDK's default chain takes
// them from there first; the rest of that chain (SSO, profiles, web identity, container and instance metadata)
// never runs in Lambda but puts about 85 KiB into every bundle (its STS and SSO clients). Tests and the local
// stage run the sources with the real chain.
import { fromEnv } from '@aws-sdk/credential-provider-env';

type Init = Parameters<typeof fromEnv>[0];
type Credentials = { expiration?: Date } | undefined;

export const defaultProvider = (init: Init = {}) => fromEnv(init);

// The same predicates the real package exports next to defaultProvider.
export const credentialsWillNeedRefresh = (credentials: Credentials) => credentials?.expiration !== undefined;
export const credentialsTreatedAsExpired = (credentials: Credentials) =>
  credentials?.expiration !== undefined && credentials.expiration.getTime() - Date.now() < 300_000;
