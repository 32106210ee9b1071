// Lambda entry of the daily task digest (EventBridge Scheduler, Europe/Brussels).
import { loadConfig } from '../../shared/config.ts';
import { createDependencies } from '../../shared/adapters/dependencies.ts';
import { createDigestJob } from './digest.ts';

const job = createDigestJob(createDependencies(loadConfig()));

export const handler = () => job();
