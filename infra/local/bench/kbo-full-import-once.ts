// One measurement of the deployed Full import (the kbo-full-import state machine) on the local emulators: a
// generated Full loaded onto a fresh table through the local executor, whose Distributed Map runs the parts one
// at a time. Prints the split's time and, per part, the rows and the rows per second of its worker (ApplyPart),
// which is the rate the README's estimate of a real Full in AWS starts from.
//   npx tsx infra/local/bench/kbo-full-import-once.ts [enterprises] [part bytes]
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDependencies } from '../../../shared/adapters/dependencies.ts';
import { listPartMarkers } from '../../../shared/data/kbo-full-import.ts';
import { getSliceParts } from '../../../shared/data/kbo-reports.ts';
import { connectLocalStage } from '../connect.ts';
import { ensureTable, localCredentials, localRegion } from '../emulators.ts';
import { fullFileName, generateFullExtract } from '../kbo/generator.ts';
import { runFullImportWorkflow } from '../kbo/full-import-workflow.ts';

const enterprises = Number(process.argv[2] ?? 40_000);
const partBytes = Number(process.argv[3] ?? 4 * 1024 * 1024);
const base = { enterprises, seed: 42, extractNumber: 900 };
const path = join(mkdtempSync(join(tmpdir(), 'kbo-full-bench-')), fullFileName(base));
await generateFullExtract({ ...base, path });

const stage = await connectLocalStage();
const tableName = `bench-full-import-${Date.now()}`;
const dynamo = new DynamoDBClient({ endpoint: stage.deps.config.LOCAL_DYNAMODB_ENDPOINT, region: localRegion, credentials: localCredentials });
try {
  // A fresh table, so the load is a load whatever the stage's own table holds.
  await ensureTable(dynamo, tableName, { timeToLive: false });
  const deps = createDependencies({ ...stage.deps.config, TABLE_NAME: tableName, KBO_FULL_PART_BYTES: partBytes });
  const parts: { part: number; ms: number }[] = [];
  let splitMs = 0;
  const started = performance.now();
  const result = await runFullImportWorkflow(deps, path, {
    onPrepared: () => {
      splitMs = performance.now() - started;
    },
    onPart: (input, _output, ms) => parts.push({ part: input.part.index, ms }),
  });
  const totalMs = performance.now() - started;
  const reportParts = await getSliceParts(deps, path.split('/').pop()!, parts.length);
  const markers = await listPartMarkers(deps, base.extractNumber);
  const perPart = parts.map(({ part, ms }) => {
    const rows = Object.values(reportParts[part]!.rowsPerMember).reduce((a, b) => a + b, 0);
    const counts = markers.find((m) => m.part === part)!.counts as { enterprises: number; establishments: number; names: number; addresses: number };
    const items = counts.enterprises + 2 * counts.establishments + counts.names + counts.addresses;
    return { part, rows, items, seconds: Number((ms / 1000).toFixed(1)), rowsPerSecond: Math.round(rows / (ms / 1000)) };
  });
  const rows = perPart.reduce((a, p) => a + p.rows, 0);
  const workerSeconds = parts.reduce((a, p) => a + p.ms, 0) / 1000;
  console.log(
    JSON.stringify(
      {
        enterprises,
        partBytes,
        parts: parts.length,
        rows,
        splitSeconds: Number((splitMs / 1000).toFixed(1)),
        totalSeconds: Number((totalMs / 1000).toFixed(1)),
        workerRowsPerSecond: Math.round(rows / workerSeconds),
        perPart,
        counts: result.counts,
      },
      null,
      2,
    ),
  );
} finally {
  await dynamo.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);
  dynamo.destroy();
  await stage.close();
}
