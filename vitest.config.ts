import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['functions/**/*.test.ts', 'shared/**/*.test.ts', 'infra/**/*.test.ts', 'events/**/*.test.ts', 'state-machines/**/*.test.ts', 'reference-data/**/*.test.ts'],
    globalSetup: ['infra/local/testing/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: files run in parallel against one shared DynamoDB Local and emulator, each in its own table.
    pool: 'forks',
    reporters: ['default'],
  },
});
