import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';

// The whole surface the renderer gets: one call, one event stream, and where a file the person
// dropped or picked lives (so the core reads a large partner file itself instead of receiving its
// bytes inside the call). No raw ipcRenderer, no Node.
const INVOKE = 'custodia:invoke';
const EVENT = 'custodia:event';

contextBridge.exposeInMainWorld('custodia', {
  invoke: (method: string, input: unknown): Promise<unknown> => ipcRenderer.invoke(INVOKE, method, input),
  onEvent: (listener: (event: unknown) => void): (() => void) => {
    const wrapped = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(EVENT, wrapped);
    return () => ipcRenderer.removeListener(EVENT, wrapped);
  },
  pathForFile: (file: File): string => webUtils.getPathForFile(file),
});
