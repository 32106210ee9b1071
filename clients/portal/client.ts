// The typed client the portal front end calls the API with: openapi-fetch over the types generated from the
// OpenAPI document (schema.d.ts). The scenario tests use it too, so the client is exercised on every run.
import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema.d.ts';

export type PortalClient = ReturnType<typeof createPortalClient>;

/** A client for one signed-in user acting for one organisation (`X-Organisation`); without a token, the public routes. */
export function createPortalClient(options: { baseUrl: string; token?: () => Promise<string> | string; organisation?: string; fetch?: typeof fetch }) {
  const client = createClient<paths>({ baseUrl: options.baseUrl, ...(options.fetch ? { fetch: options.fetch } : {}) });
  const auth: Middleware = {
    async onRequest({ request }) {
      if (options.token) request.headers.set('Authorization', `Bearer ${await options.token()}`);
      if (options.organisation) request.headers.set('X-Organisation', options.organisation);
      return request;
    },
  };
  client.use(auth);
  return client;
}
