// What every API Lambda entry does: on the cold start (shared/adapters/cold-start.ts) parse the configuration,
// create the clients the entry lists, and build the handler with the issuer's key set; then reuse it.
import { onColdStart, type ClientFactories } from '../adapters/cold-start.ts';
import { createTokenVerifier, remoteKeys } from './auth.ts';
import { createApiHandler, type ApiHandler } from './api.ts';
import type { RouteDefinition } from './route.ts';

export function lambdaApiHandler(routes: RouteDefinition[], clients: ClientFactories): ApiHandler {
  const api = onColdStart(clients, (deps) =>
    createApiHandler(routes, deps, {
      verifyToken: createTokenVerifier({ issuer: deps.config.OIDC_ISSUER, audience: deps.config.OIDC_AUDIENCE, keys: remoteKeys(deps.config) }),
    }),
  );
  return (event, context) => api()(event, context);
}
