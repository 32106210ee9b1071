// Lambda entry of the kbo-changes context; configuration and clients are created once per cold start.
import { lambdaApiHandler } from '../../shared/http/lambda-entry.ts';
import { routes } from './routes.ts';

export const handler = lambdaApiHandler(routes);
