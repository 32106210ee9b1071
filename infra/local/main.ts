// `npm start`: the whole system locally. Ctrl-C stops every child process.
import { rmSync } from 'node:fs';
import { startLocalStage, writeStageFile } from './stage.ts';
import { localPaths, localPorts } from './paths.ts';
import { demoUsers } from './seed/users.ts';
import { topologySummary } from './summary.ts';

const port = Number(process.env.PORT ?? localPorts.api);
console.log('werkplekduaal local stage starting...');
const stage = await startLocalStage({ apiPort: port, dataDir: localPaths.root, log: (line) => console.log(`  ${line}`) });
writeStageFile({
  pid: process.pid,
  url: stage.url,
  dynamoEndpoint: stage.config.LOCAL_DYNAMODB_ENDPOINT,
  awsEndpoint: stage.config.LOCAL_AWS_ENDPOINT,
  tableName: stage.config.TABLE_NAME,
  issuer: stage.config.OIDC_ISSUER,
});

console.log(`
  API                 ${stage.url}            (every route of every context's routes.ts)
  API reference       ${stage.url}/docs
  OpenAPI document    ${stage.url}/openapi.json
  Captured e-mail     ${stage.url}/_local/mail      (open it in a browser; .eml files in ${stage.mailDirectory})
  OIDC issuer         ${stage.config.OIDC_ISSUER}
${topologySummary()}
  Demo users (npm run token -- <user>):
${Object.entries(demoUsers)
  .map(([id, u]) => `    ${id.padEnd(24)} ${u.description}`)
  .join('\n')}

  Try: curl -H "Authorization: Bearer $(npm run -s token -- an.peeters)" ${stage.url}/v1/me
  Data persists in .local/ (npm run reset wipes it). Ctrl-C stops everything.
`);

let stopping = false;
const shutdown = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping the local stage...`);
  await stage.stop();
  rmSync(localPaths.stageFile, { force: true });
  process.exit(0);
};
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('uncaughtException', (error) => {
  console.error('uncaught exception', error);
  void shutdown('error');
});
