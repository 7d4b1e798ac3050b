// Child for keychain tests: opens (creating if needed) the installation in argv[2] with the OS
// keychain and prints {ok} or {ok:false, name, kind, causeKind, message} as one JSON line.
import { openInstallation } from '../../../src/core/installation/installation';

try {
  const installation = await openInstallation({ dataDir: process.argv[2]!, createIfMissing: true });
  process.stdout.write(JSON.stringify({ ok: true, installId: installation.installId }) + '\n');
  installation.close();
} catch (error) {
  const e = error as Error & { kind?: string; cause?: { kind?: string } };
  process.stdout.write(
    JSON.stringify({ ok: false, name: e.name, kind: e.kind, causeKind: e.cause?.kind, message: e.message }) +
      '\n',
  );
}
