// Child for keychain tests: opens the installation in argv[2], then commits one row per
// transaction forever, printing each committed count, until it is killed.
import { openInstallation } from '../../../src/core/installation/installation';

const installation = await openInstallation({ dataDir: process.argv[2]!, createIfMissing: false });
installation.db.exec('CREATE TABLE IF NOT EXISTS beats (n INTEGER PRIMARY KEY) STRICT');
const insert = installation.db.prepare('INSERT INTO beats (n) VALUES (?)');
let n = 0;
setInterval(() => {
  n++;
  installation.transaction(() => insert.run(n));
  process.stdout.write(`committed ${n}\n`);
}, 2);
