// Lambda entry of the organisations context. Configuration, clients and the key set are created once per cold start.
import { loadConfig } from '../../shared/config.ts';
import { createDependencies } from '../../shared/adapters/dependencies.ts';
import { createTokenVerifier, remoteKeys } from '../../shared/http/auth.ts';
import { createApiHandler } from '../../shared/http/api.ts';
import { routes } from './routes.ts';

const config = loadConfig();
const deps = createDependencies(config);

export const handler = createApiHandler(routes, deps, {
  verifyToken: createTokenVerifier({ issuer: config.OIDC_ISSUER, audience: config.OIDC_AUDIENCE, keys: remoteKeys(config) }),
});
