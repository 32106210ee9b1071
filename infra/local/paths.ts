// Where the local stage keeps its state. `npm run reset` deletes the whole folder.
import { join, resolve } from 'node:path';

export const repositoryRoot = resolve(import.meta.dirname, '..', '..');
export const localRoot = join(repositoryRoot, '.local');
export const localPaths = {
  root: localRoot,
  dynamodb: join(localRoot, 'dynamodb'),
  s3: join(localRoot, 's3'),
  mail: join(localRoot, 'mail'),
  oidcKey: join(localRoot, 'oidc', 'signing-key.json'),
  /** Written while `npm start` runs: ports and pid, so CLIs can find the running stage. */
  stageFile: join(localRoot, 'stage.json'),
  bench: join(localRoot, 'bench'),
  kbo: join(localRoot, 'kbo'),
};

export const localPorts = { api: 3000, dynamodb: 8000, aws: 4566 };
export const localStage = 'local';
export const localAudience = 'werkplekduaal-local';
export const localIssuer = (apiPort: number) => `http://localhost:${apiPort}/_local/oidc`;
