import path from 'node:path';
import { app, type BrowserWindow } from 'electron';
import { createCore } from '../core/app';
import { defaultDataDir } from '../core/platform/data-dir';
import { createLog } from '../core/platform/log';
import { setupIpc } from './ipc';
import { createMainWindow, hardenSession } from './window';

// One Custodia per user: two writers on one ledger is how forks happen.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let window: BrowserWindow | null = null;
  const dataDir = process.env.CUSTODIA_DATA ? path.resolve(process.env.CUSTODIA_DATA) : defaultDataDir();
  const core = createCore({ version: app.getVersion(), dataDir, log: createLog() });

  app.on('second-instance', () => {
    if (window !== null) {
      if (window.isMinimized()) window.restore();
      window.focus();
    }
  });
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (url !== contents.getURL()) event.preventDefault();
    });
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
