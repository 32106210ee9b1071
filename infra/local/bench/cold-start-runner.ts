// Runs in a fresh Node process for each cold-start sample (cold-start.ts): loads one Lambda bundle, hands its
// handler one event, and prints how long the process took to get there, to load the bundle and to answer.
// Arguments: the bundle file, the handler's export name, and a JSON file with the event.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

// The line cold-start.ts looks for in the output (the function's own logs go to stdout too).
const marker = 'COLD-START ';

const [bundle, handlerName, eventFile] = process.argv.slice(2) as [string, string, string];
const event = JSON.parse(readFileSync(eventFile, 'utf8')) as unknown;
const context = {
  awsRequestId: 'cold-start',
  functionName: 'cold-start',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:000000000000:function:cold-start',
  memoryLimitInMB: '1024',
  logGroupName: '/aws/lambda/cold-start',
  logStreamName: 'cold-start',
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 25_000,
};

// performance.now() counts from the process's start: the first figure is Node's own boot. CPU time is measured
// too: on a busy machine it varies far less than wall time.
const started = performance.now();
const cpuAtStart = process.cpuUsage();
const module = (await import(pathToFileURL(bundle).href)) as Record<string, (event: unknown, context: unknown) => Promise<unknown>>;
const loaded = performance.now();
let outcome = 'answered';
try {
  const result = await module[handlerName]!(event, context);
  const status = (result as { statusCode?: number } | undefined)?.statusCode;
  const failures = (result as { batchItemFailures?: unknown[] } | undefined)?.batchItemFailures;
  if (status !== undefined) outcome = `HTTP ${status}`;
  else if (failures !== undefined) outcome = `${failures.length} batch item failure(s)`;
} catch (error) {
  outcome = `threw ${(error as Error).name}`;
}
const answered = performance.now();
const cpu = process.cpuUsage(cpuAtStart);
const sample = { bootMs: started, loadMs: loaded - started, firstEventMs: answered - loaded, cpuMs: (cpu.user + cpu.system) / 1000, outcome };
process.stdout.write(`\n${marker}${JSON.stringify(sample)}\n`);
// The clients keep sockets open; a Lambda execution environment would be frozen here.
process.exit(0);
