// Lambda entry of the notifications queue consumer; clients and the mail transport are created once.
import { loadConfig } from '../../shared/config.ts';
import { createDependencies } from '../../shared/adapters/dependencies.ts';
import { createMailTransport } from '../../shared/adapters/mail.ts';
import { createNotificationConsumer } from './send.ts';

const config = loadConfig();

export const handler = createNotificationConsumer(createDependencies(config), createMailTransport(config));
