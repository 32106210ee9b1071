// Lambda entry of the agreements daily job (EventBridge Scheduler, Europe/Brussels).
import { loadConfig } from '../../shared/config.ts';
import { createDependencies } from '../../shared/adapters/dependencies.ts';
import { createAgreementsDailyJob } from './daily.ts';

const job = createAgreementsDailyJob(createDependencies(loadConfig()));

export const handler = () => job();
