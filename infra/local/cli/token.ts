// `npm run token -- <user> [--expires 12h]`: prints a signed token of a demo user for the local stage.
import { createLocalIssuer } from '../oidc.ts';
import { localAudience, localIssuer, localPaths, localPorts } from '../paths.ts';
import { runningStage } from '../connect.ts';
import { demoUsers } from '../seed/users.ts';

const [userId, ...rest] = process.argv.slice(2);
const user = userId ? demoUsers[userId] : undefined;
if (!user) {
  console.error(
    `Usage: npm run token -- <user>\nDemo users:\n${Object.entries(demoUsers)
      .map(([id, u]) => `  ${id.padEnd(24)} ${u.description}`)
      .join('\n')}`,
  );
  process.exit(2);
}
const expiresIndex = rest.indexOf('--expires');
const expiresIn = expiresIndex >= 0 ? rest[expiresIndex + 1] : undefined;
const issuerUrl = runningStage()?.issuer ?? localIssuer(Number(process.env.PORT ?? localPorts.api));
const issuer = await createLocalIssuer({ issuer: issuerUrl, audience: localAudience, keyPath: localPaths.oidcKey });
console.log(await issuer.sign(user, expiresIn ? { expiresIn } : {}));
