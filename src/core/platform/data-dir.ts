import os from 'node:os';
import path from 'node:path';

/**
 * Where a user's ledger lives when no --data is given: the platform's per-user application data
 * folder, the same place the desktop app uses, so the CLI and the window see one ledger.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CUSTODIA_DATA) return path.resolve(env.CUSTODIA_DATA);
  const home = os.homedir();
  switch (process.platform) {
    case 'win32':
      return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Custodia');
    case 'darwin':
      return path.join(home, 'Library', 'Application Support', 'Custodia');
    default:
      return path.join(env.XDG_DATA_HOME ?? path.join(home, '.local', 'share'), 'custodia');
  }
}
