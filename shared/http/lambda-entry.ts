// What every API Lambda does on a cold start: parse the configuration (failing loudly), create the clients
// once, and build the handler with the issuer's key set.
import { loadConfig } from '../config.ts';
import { createDependencies } from '../adapters/dependencies.ts';
import { createTokenVerifier, remoteKeys } from './auth.ts';
import { createApiHandler, type ApiHandler } from './api.ts';
import type { RouteDefinition } from './route.ts';

export function lambdaApiHandler(routes: RouteDefinition[]): ApiHandler {
  const config = loadConfig();
  const deps = createDependencies(config);
  return createApiHandler(routes, deps, {
    verifyToken: createTokenVerifier({ issuer: config.OIDC_ISSUER, audience: config.OIDC_AUDIENCE, keys: remoteKeys(config) }),
  });
}
