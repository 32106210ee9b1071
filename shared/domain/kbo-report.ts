// The report of one applied KBO file: what ops reads to know whether the table is in step with KBO. The
// sync builds it from its slices' parts (each slice reads every member but counts only its own entities),
// the Full import in one go. Pure; no AWS imports.
import { changeKinds, type ChangeKind } from './kbo-changes.ts';

/** A row the file has but the table could not use (a bad number, a missing key, an impossible date). */
export type RejectedRow = { member: string; record: number; reason: string };

/** A change record stored for a partnership: the change that reaches its dashboard. */
export type ReportedChange = { id: string; kind: ChangeKind; entityNumber: string; partnershipId: string };

/** What one slice of an Update contributes (stored per slice, so a re-run of a slice replaces its part). */
export type SliceReportPart = {
  slice: number;
  /** Rows of the slice's own entities, per member (`address_insert.csv`: 1200). */
  rowsPerMember: Record<string, number>;
  rejectedRows: RejectedRow[];
  /** Every change record stored for the slice, also those of an earlier, crashed attempt. */
  changes: ReportedChange[];
  /** Detected changes of entities without an active recognition: nobody needs to decide, so no record. */
  changesWithoutRecognitions: number;
  duplicateRows: number;
  unknownEntities: number;
};

export type KboFileReport = {
  fileName: string;
  extractNumber: number;
  extractType: 'update' | 'full';
  snapshotDate: string;
  appliedAt: string;
  rowsPerMember: Record<string, number>;
  /** The run's own counters (SyncCounts for an Update, ImportCounts for a Full), as the extract record keeps them. */
  counts: Record<string, unknown>;
  rejectedRows: RejectedRow[];
  /** null for a Full: the import loads the table and compares nothing. */
  changes: { byKind: Record<ChangeKind, number>; withoutRecognitions: number; records: ReportedChange[] } | null;
  duplicateRows: number;
  unknownEntities: number;
  /** Nothing rejected and no change for anybody to decide: the table holds what the file says. */
  empty: boolean;
};

export type ReportHeader = Pick<KboFileReport, 'fileName' | 'extractNumber' | 'extractType' | 'snapshotDate' | 'appliedAt' | 'counts'>;

const byMemberThenRecord = (a: RejectedRow, b: RejectedRow) => a.member.localeCompare(b.member) || a.record - b.record;

/** The Update's report from the parts of all its slices (in any order; one part per slice). */
export function updateReport(header: ReportHeader, parts: readonly SliceReportPart[]): KboFileReport {
  const rowsPerMember: Record<string, number> = {};
  const byKind = Object.fromEntries(changeKinds.map((k) => [k, 0])) as Record<ChangeKind, number>;
  const records: ReportedChange[] = [];
  const rejectedRows: RejectedRow[] = [];
  let withoutRecognitions = 0;
  let duplicateRows = 0;
  let unknownEntities = 0;
  for (const part of [...parts].sort((a, b) => a.slice - b.slice)) {
    for (const [member, rows] of Object.entries(part.rowsPerMember)) rowsPerMember[member] = (rowsPerMember[member] ?? 0) + rows;
    for (const change of part.changes) {
      byKind[change.kind] += 1;
      records.push(change);
    }
    rejectedRows.push(...part.rejectedRows);
    withoutRecognitions += part.changesWithoutRecognitions;
    duplicateRows += part.duplicateRows;
    unknownEntities += part.unknownEntities;
  }
  rejectedRows.sort(byMemberThenRecord);
  records.sort((a, b) => a.id.localeCompare(b.id));
  return {
    ...header,
    rowsPerMember,
    rejectedRows,
    changes: { byKind, withoutRecognitions, records },
    duplicateRows,
    unknownEntities,
    empty: rejectedRows.length === 0 && records.length === 0,
  };
}

export function fullReport(
  header: ReportHeader,
  figures: { rowsPerMember: Record<string, number>; rejectedRows: readonly RejectedRow[]; duplicateRows: number; unknownEntities: number },
): KboFileReport {
  const rejectedRows = [...figures.rejectedRows].sort(byMemberThenRecord);
  return {
    ...header,
    rowsPerMember: { ...figures.rowsPerMember },
    rejectedRows,
    changes: null,
    duplicateRows: figures.duplicateRows,
    unknownEntities: figures.unknownEntities,
    empty: rejectedRows.length === 0,
  };
}

/** The lines `kbo:sync` and `kbo:import` print (English: ops reads a terminal, not the portal). */
export function reportLines(report: KboFileReport, location: string): string[] {
  const lines = [`Report of ${report.fileName} (extract ${report.extractNumber}, ${report.extractType}), stored at ${location}:`];
  for (const [member, rows] of Object.entries(report.rowsPerMember).sort(([a], [b]) => a.localeCompare(b))) lines.push(`  ${member.padEnd(26)} ${rows} rows`);
  lines.push(`  duplicate rows             ${report.duplicateRows} (the last of each kept)`);
  lines.push(`  rows of unknown entities   ${report.unknownEntities} (skipped)`);
  if (report.changes) {
    const kinds = Object.entries(report.changes.byKind).filter(([, n]) => n > 0);
    lines.push(`  changes for partnerships   ${report.changes.records.length}${kinds.length ? ` (${kinds.map(([k, n]) => `${k} ${n}`).join(', ')})` : ''}`);
    lines.push(`  changes without recognitions ${report.changes.withoutRecognitions}`);
  }
  lines.push(`  rejected rows              ${report.rejectedRows.length}`);
  for (const row of report.rejectedRows.slice(0, 20)) lines.push(`    ${row.member} record ${row.record}: ${row.reason}`);
  if (report.rejectedRows.length > 20) lines.push(`    … and ${report.rejectedRows.length - 20} more in the report`);
  lines.push(report.empty ? '  Empty: the table is in step with this file.' : '  Not empty: see the changes and rejected rows above.');
  return lines;
}
