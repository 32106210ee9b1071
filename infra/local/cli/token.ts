// `npm run token -- <user> [--expires 12h]`: prints a signed token of a demo user for the local stage.
// `npm run token -- --client <client> [--expires 1h]`: a client-credentials token of a demo machine client.
import { createLocalIssuer } from '../oidc.ts';
import { localAudience, localIssuer, localPaths, localPorts } from '../paths.ts';
import { runningStage } from '../connect.ts';
import { demoClients } from '../seed/clients.ts';
import { demoUsers } from '../seed/users.ts';

const args = process.argv.slice(2);
const clientIndex = args.indexOf('--client');
const clientId = clientIndex >= 0 ? args[clientIndex + 1] : undefined;
const userId = clientIndex >= 0 ? undefined : args[0];
const user = userId ? demoUsers[userId] : undefined;
const client = clientId ? demoClients[clientId] : undefined;
if (!user && !client) {
  console.error(
    `Usage: npm run token -- <user>  |  npm run token -- --client <client>\nDemo users:\n${Object.entries(demoUsers)
      .map(([id, u]) => `  ${id.padEnd(24)} ${u.description}`)
      .join('\n')}\nDemo machine clients:\n${Object.entries(demoClients)
      .map(([id, c]) => `  ${id.padEnd(24)} ${c.description}`)
      .join('\n')}`,
  );
  process.exit(2);
}
const expiresIndex = args.indexOf('--expires');
const expiresIn = expiresIndex >= 0 ? args[expiresIndex + 1] : undefined;
const issuerUrl = runningStage()?.issuer ?? localIssuer(Number(process.env.PORT ?? localPorts.api));
const issuer = await createLocalIssuer({ issuer: issuerUrl, audience: localAudience, keyPath: localPaths.oidcKey });
const options = expiresIn ? { expiresIn } : {};
console.log(client ? await issuer.signClient(client, options) : await issuer.sign(user!, options));
