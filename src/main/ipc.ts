import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import type { Core } from '../core/app';
import type { SessionSlot } from '../core/api/router';

const INVOKE = 'custodia:invoke';
const EVENT = 'custodia:event';

/**
 * Binds the core router to IPC. Only our window's main frame may call (not an iframe, not some
 * other page that got loaded); the router parses every input with the procedure's schema.
 */
export function setupIpc(core: Core, getWindow: () => BrowserWindow | null): void {
  ipcMain.handle(INVOKE, async (event: IpcMainInvokeEvent, method: unknown, input: unknown) => {
    const win = getWindow();
    if (win === null || event.senderFrame !== win.webContents.mainFrame || event.sender !== win.webContents) {
      return {
        ok: false,
        error: { code: 'forbidden', message: 'Calls are accepted only from the Custodia window.' },
      };
    }
    if (typeof method !== 'string') {
      return { ok: false, error: { code: 'invalid-input', message: 'The method name must be a string.' } };
    }
    // One session per window, kept by the core (which locks it after inactivity).
    const session: SessionSlot = core.sessions.slot(`ipc:${win.webContents.id}`);
    return core.router.call(
      { transport: 'ipc', principal: null, emit: core.events.emit, session },
      method,
      input,
    );
  });

  // Progress ("Reading partner-file.xml"), results and alarms only while a person is signed in on
  // the window and it is not locked, as the host does for its pages (issue 18).
  core.events.subscribe((appEvent) => {
    const win = getWindow();
    if (win === null || win.isDestroyed()) return;
    if (core.sessions.slot(`ipc:${win.webContents.id}`).peek() === null) return;
    win.webContents.send(EVENT, appEvent);
  });
}
