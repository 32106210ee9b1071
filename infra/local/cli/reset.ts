// `npm run reset`: wipes every bit of local state (tables, documents, mail, signing key, HMAC root key). Refuses while running.
import { runningStage } from '../connect.ts';
import { resetLocalData } from '../stage.ts';
import { localPaths } from '../paths.ts';

if (runningStage()) {
  console.error('The local stage is running: stop it (Ctrl-C) before npm run reset.');
  process.exit(1);
}
resetLocalData();
console.log(`Removed ${localPaths.root}. The next npm start seeds fresh demo data.`);
