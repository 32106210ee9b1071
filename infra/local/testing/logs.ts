// What the functions write to the logs while a test runs: stdout, stderr and the console, captured instead of
// printed, so a test can check that a line is there or that something (a secret, personal data) never is.
import { vi } from 'vitest';
import { logger } from '../../../shared/logger.ts';

/** Starts capturing; the lines arrive in the returned array until the test restores its mocks. */
export function captureOutput(): string[] {
  const written: string[] = [];
  const capture = (chunk: unknown) => {
    written.push(String(chunk));
    return true;
  };
  vi.spyOn(process.stdout, 'write').mockImplementation(capture as never);
  vi.spyOn(process.stderr, 'write').mockImplementation(capture as never);
  for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const)
    vi.spyOn(console, level).mockImplementation((...args) => void written.push(args.map(String).join(' ')));
  return written;
}

/** Everything the functions write while `run` runs, with the logger at INFO (the tests' default is WARN). */
export async function captureLogs(run: () => Promise<unknown>): Promise<string> {
  logger.setLogLevel('INFO');
  const written = captureOutput();
  try {
    await run();
  } finally {
    vi.restoreAllMocks();
    logger.setLogLevel('WARN');
  }
  return written.join('\n');
}
