import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'functions/**/*.test.ts',
      'shared/**/*.test.ts',
      'infra/**/*.test.ts',
      'events/**/*.test.ts',
      'state-machines/**/*.test.ts',
      'reference-data/**/*.test.ts',
      'clients/**/*.test.ts',
    ],
    globalSetup: ['infra/local/testing/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: files run in parallel against one shared DynamoDB Local and emulator, each in its own table.
    pool: 'forks',
    // Request logs are JSON lines on stdout; the logging test raises the level itself.
    env: { POWERTOOLS_LOG_LEVEL: 'WARN' },
    reporters: ['default'],
  },
});
