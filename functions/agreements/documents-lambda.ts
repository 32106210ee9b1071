// Lambda entry of the agreement and addendum PDFs (document-routes.ts): the table only (no list, so no cursor to
// seal). They have their own function so that pdf-lib and its fonts stay out of the agreements API's bundle.
// Only these clients are in its bundle; infra/test/clients.test.ts checks them against infra/stacks/access.ts.
import { createDynamoDbClient } from '../../shared/adapters/clients/dynamodb.ts';
import { lambdaApiHandler } from '../../shared/http/lambda-entry.ts';
import { documentRoutes } from './document-routes.ts';

export const clients = { db: createDynamoDbClient };

export const handler = lambdaApiHandler(documentRoutes, clients);
