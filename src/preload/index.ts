import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';

// The whole surface the renderer gets: one call, one event stream. No raw ipcRenderer, no Node.
const INVOKE = 'custodia:invoke';
const EVENT = 'custodia:event';

contextBridge.exposeInMainWorld('custodia', {
  invoke: (method: string, input: unknown): Promise<unknown> => ipcRenderer.invoke(INVOKE, method, input),
  onEvent: (listener: (event: unknown) => void): (() => void) => {
    const wrapped = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(EVENT, wrapped);
    return () => ipcRenderer.removeListener(EVENT, wrapped);
  },
});
