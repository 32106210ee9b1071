// What only the local stage may set never reaches a deployed function: the synth stops on it.
import { App, Stack } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { AppFunction } from '../constructs/function.ts';

describe('local-only configuration', () => {
  it('refuses to synthesise a function that may deliver webhooks to localhost', () => {
    const stack = new Stack(new App(), 'Guard');
    expect(
      () =>
        new AppFunction(stack, {
          name: 'consumer-webhooks',
          entry: { entry: 'functions/webhooks/consumer.ts', handler: 'handler' },
          description: 'webhooks',
          environment: { STAGE: 'prod', WEBHOOK_ALLOW_LOCAL_URLS: 'true' },
        }),
    ).toThrow(/WEBHOOK_ALLOW_LOCAL_URLS is for the local stage only/);
  });
});
