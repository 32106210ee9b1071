// The one cold-start pattern of every Lambda entry. The entry lists the clients its function uses (the same
// ones infra/stacks/access.ts grants it; infra/test/clients.test.ts compares the two), so its bundle carries those
// SDK clients and no others. On the first invocation the configuration is parsed (failing loudly), the clients
// are created and the handler is built; later invocations of this execution environment reuse them. Importing an
// entry (the local stage, the tests) needs no environment variables; a bad configuration fails every invocation
// with the ConfigError's message until it is fixed.
import { loadConfig, type Config } from '../config.ts';
import { systemClock } from './clock.ts';
import type { Dependencies } from './dependencies.ts';

type ClientName = 'db' | 's3' | 'sqs' | 'sfn' | 'keys';

/** The clients a function uses, each as the function that creates it from the configuration. */
export type ClientFactories = { db: (config: Config) => Dependencies['db'] } & {
  [C in Exclude<ClientName, 'db'>]?: (config: Config) => Dependencies[C];
};

/**
 * Stands in for a client the entry did not ask for. Using it throws, naming the fix, instead of creating a client
 * the function has no grant for (which would fail later, in AWS, as an access denial).
 */
function notAskedFor<C extends ClientName>(client: C): Dependencies[C] {
  return new Proxy({} as Dependencies[C], {
    get(_target, property) {
      // Promise resolution and console.log probe these; answering them keeps a stand-in from failing there.
      if (property === 'then' || typeof property === 'symbol') return undefined;
      throw new Error(
        `This function did not ask for the ${client} client: add it to the clients of its Lambda entry (and grant it in infra/stacks/access.ts).`,
      );
    },
  });
}

export function entryDependencies(config: Config, clients: ClientFactories): Dependencies {
  return {
    config,
    clock: systemClock,
    db: clients.db(config),
    s3: clients.s3 ? clients.s3(config) : notAskedFor('s3'),
    sqs: clients.sqs ? clients.sqs(config) : notAskedFor('sqs'),
    sfn: clients.sfn ? clients.sfn(config) : notAskedFor('sfn'),
    keys: clients.keys ? clients.keys(config) : notAskedFor('keys'),
  };
}

/** Builds what `build` returns on the first call, from the environment and the listed clients, and keeps it. */
export function onColdStart<T>(clients: ClientFactories, build: (deps: Dependencies) => T): () => T {
  let built: { value: T } | undefined;
  return () => {
    built ??= { value: build(entryDependencies(loadConfig(), clients)) };
    return built.value;
  };
}
