// A KBO Update file the scenarios apply through the local stage's weekly sync: extract 2 after the seed's extract 1.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { codeLines, columns, csvLine, metaLines, text, writeZipMembers } from '../kbo/generator.ts';
import type { RunningStage } from '../stage.ts';

const tables = ['enterprise', 'establishment', 'denomination', 'address', 'contact', 'activity', 'branch'] as const;

/**
 * Extract 2 after the seed's extract 1, in the real layout: Mega World Heist (2.123.456.791) moves to
 * Kerkplein 1 (its address deleted and inserted again), and Bakkerij Peeters (0412.345.614) stops: it and its
 * establishments are deleted from every table without an insert.
 */
async function writeMoveAndStop(path: string) {
  const stopped = ['0412.345.614', '2.200.000.184', '2.200.000.283'];
  const deletes: Record<(typeof tables)[number], string[]> = {
    enterprise: ['0412.345.614'],
    establishment: ['2.200.000.184', '2.200.000.283'],
    denomination: stopped,
    address: ['2.123.456.791', ...stopped],
    contact: stopped,
    activity: stopped,
    branch: [],
  };
  const inserts: Record<(typeof tables)[number], string[]> = {
    enterprise: [],
    establishment: [],
    denomination: [],
    contact: [],
    activity: [],
    branch: [],
    address: [
      csvLine([
        text('2.123.456.791'),
        text('BAET'),
        null,
        null,
        text('2220'),
        text('Heist-op-den-Berg'),
        text('Heist-op-den-Berg'),
        text('Kerkplein'),
        text('Kerkplein'),
        text('1'),
        text(''),
        text(''),
        null,
      ]),
    ],
  };
  await writeZipMembers(path, [
    { name: 'meta.csv', header: columns.meta, lines: metaLines('update', 2, '01-11-2026', '02-11-2026 07:40:18') },
    { name: 'code.csv', header: columns.code, lines: codeLines },
    ...tables.flatMap((table) => [
      { name: `${table}_delete.csv`, header: [columns[table][0]!], lines: () => deletes[table].map((key) => csvLine([text(key)])) },
      { name: `${table}_insert.csv`, header: columns[table], lines: () => inserts[table] },
    ]),
  ]);
}

/**
 * Drops the Update in the stage's KBO inbox and runs the sync (on demand) until its execution ends: the KBO items
 * are then as the file says; the change records' tasks follow through the queues.
 */
export async function syncMoveAndStop(stage: RunningStage, dataDir: string): Promise<void> {
  const name = 'KboOpenData_0002_2026_11_02_Update.zip';
  const zip = join(dataDir, name);
  await writeMoveAndStop(zip);
  await stage.deps.s3.send(new PutObjectCommand({ Bucket: stage.config.KBO_INBOX_BUCKET, Key: name, Body: readFileSync(zip) }));
  const execution = (await stage.runSchedule('kbo-sync')) as { result?: Promise<unknown> } | undefined;
  await execution?.result;
}
