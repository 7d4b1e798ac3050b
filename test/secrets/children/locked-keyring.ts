// Child for keychain tests, run in its OWN private keyring session: creates an installation,
// locks the keyring collection, then tries to reopen it and to create another. Prints JSON.
import { execFileSync } from 'node:child_process';
import { openInstallation } from '../../../src/core/installation/installation';

const [existingDir, newDir] = process.argv.slice(2) as [string, string];
const created = await openInstallation({ dataDir: existingDir, createIfMissing: true });
created.close();

execFileSync('dbus-send', [
  '--session',
  '--dest=org.freedesktop.secrets',
  '--type=method_call',
  '--print-reply',
  '/org/freedesktop/secrets',
  'org.freedesktop.Secret.Service.Lock',
  'array:objpath:/org/freedesktop/secrets/collection/login',
]);

async function attempt(dataDir: string) {
  try {
    (await openInstallation({ dataDir, createIfMissing: true })).close();
    return { ok: true };
  } catch (error) {
    const e = error as Error & { kind?: string; cause?: { kind?: string } };
    return { ok: false, kind: e.kind, causeKind: e.cause?.kind, message: e.message };
  }
}

process.stdout.write(
  JSON.stringify({ reopen: await attempt(existingDir), create: await attempt(newDir) }) + '\n',
);
