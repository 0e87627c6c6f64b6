// The preload's whole job: expose DesktopApi to the sandboxed renderer as `window.curio`, and
// quick-capture pages sent to a window already open as `window.curioCaptures`; nothing else — no
// ipcRenderer, no generic invoke. Each method forwards over the one channel, and
// the main process checks the method name and arguments again before any service runs. It imports
// only the bridge's plain list of names, so the argument schemas stay out of its bundle.
import { contextBridge, ipcRenderer } from 'electron';
import type { DesktopApi } from '../shared/api';
import {
  DESKTOP_IPC_CHANNEL,
  DESKTOP_METHODS,
  QUICK_CAPTURE_CHANNEL,
  type CaptureBridge,
  type DesktopCallOutcome,
  type DesktopMethod,
} from '../shared/desktop-bridge';

async function call(method: DesktopMethod, args: unknown[]): Promise<unknown> {
  const outcome = (await ipcRenderer.invoke(
    DESKTOP_IPC_CHANNEL,
    method,
    args,
  )) as DesktopCallOutcome;
  if (outcome.ok) return outcome.value;
  // The bridge would keep only an Error's message; a plain object keeps the name too.
  throw { name: outcome.error.name, message: outcome.error.message };
}

function forward<M extends DesktopMethod>(method: M): DesktopApi[M] {
  return ((...args: unknown[]) => call(method, args)) as DesktopApi[M];
}

/** One forwarding function per method in DESKTOP_METHODS, so a new method needs no change here. */
export const curio = Object.freeze(
  Object.fromEntries(DESKTOP_METHODS.map((method) => [method, forward(method)])) as {
    [M in DesktopMethod]: DesktopApi[M];
  },
) satisfies DesktopApi;

contextBridge.exposeInMainWorld('curio', curio);

/** Capture pages that came before the app listened, handed over when it does. */
const unheard: string[] = [];
const listeners = new Set<(page: string) => void>();
ipcRenderer.on(QUICK_CAPTURE_CHANNEL, (_event: unknown, page: unknown) => {
  if (typeof page !== 'string') return;
  if (listeners.size) for (const listener of listeners) listener(page);
  else unheard.push(page);
});

export const captures: CaptureBridge = Object.freeze({
  subscribe(listener: (page: string) => void): () => void {
    listeners.add(listener);
    for (const page of unheard.splice(0)) listener(page);
    return () => listeners.delete(listener);
  },
});

contextBridge.exposeInMainWorld('curioCaptures', captures);
