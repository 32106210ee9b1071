// One JSON logger for every function. It never receives request bodies, query values or raw paths:
// personal data (national numbers, names, e-mail addresses) must not reach the logs.
import { Logger } from '@aws-lambda-powertools/logger';

export const logger = new Logger({ serviceName: 'werkplekduaal' });
