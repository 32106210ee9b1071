// Lambda entry of the recognitions daily job (EventBridge Scheduler, Europe/Brussels).
import { loadConfig } from '../../shared/config.ts';
import { createDependencies } from '../../shared/adapters/dependencies.ts';
import { createDailyJob } from './daily.ts';

const job = createDailyJob(createDependencies(loadConfig()));

export const handler = () => job();
