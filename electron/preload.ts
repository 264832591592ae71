/**
 * The only bridge between the page and the station: `call` and `subscribe`, nothing else.
 * Runs sandboxed with context isolation; the page never sees ipcRenderer.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { CallEnvelope } from '../api/contract';
import type { StationEvent } from '../services/events';
import { CALL_CHANNEL, EVENT_CHANNEL } from './channels';

contextBridge.exposeInMainWorld('depot', {
  call: (envelope: CallEnvelope) => ipcRenderer.invoke(CALL_CHANNEL, envelope),
  subscribe: (listener: (event: StationEvent) => void) => {
    const wrapped = (_: IpcRendererEvent, event: StationEvent) => listener(event);
    ipcRenderer.on(EVENT_CHANNEL, wrapped);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, wrapped);
    };
  },
});
