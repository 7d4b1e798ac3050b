import path from 'node:path';
import { app, type BrowserWindow } from 'electron';
import { createWorkstation } from '../core/workstation';
import { defaultDataDir } from '../core/platform/data-dir';
import { createLog } from '../core/platform/log';
import { setupIpc } from './ipc';
import { createMainWindow, hardenSession, rendererUrl } from './window';

// One Custodia per user: two writers on one ledger is how forks happen.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let window: BrowserWindow | null = null;
  const dataDir = process.env.CUSTODIA_DATA ? path.resolve(process.env.CUSTODIA_DATA) : defaultDataDir();
  // The demo month ships beside the app: in the repository's resources/ or the installer's.
  const demoResources = app.isPackaged
    ? path.join(process.resourcesPath, 'demo')
    : path.join(app.getAppPath(), 'resources', 'demo');
  const core = createWorkstation({
    version: app.getVersion(),
    dataDir,
    log: createLog(),
    demoResources,
    // The installer puts `custodia` on the PATH; from the repository it runs through npx.
    cliCommand: app.isPackaged ? 'custodia' : 'npx --no custodia',
  });
  // `bash scripts/start.sh --demo` (electron . --demo) opens on the demo month.
  if (process.argv.includes('--demo')) void core.enterDemo().catch(() => undefined);

  app.on('second-instance', () => {
    if (window !== null) {
      if (window.isMinimized()) window.restore();
      window.focus();
    }
  });
  // Every web contents, not only the window's: no navigation away, no redirect elsewhere, no new
  // window, no webview (the window sets its own open handler after this, sending https links out).
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (url !== contents.getURL()) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (new URL(url).origin !== new URL(rendererUrl()).origin) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', () => void core.close());

  void app.whenReady().then(() => {
    hardenSession();
    setupIpc(core, () => window);
    window = createMainWindow();
    window.on('closed', () => (window = null));
  });
}
