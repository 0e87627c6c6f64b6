// The preload's whole job: expose DesktopApi to the sandboxed renderer as `window.curio`, and
// nothing else — no ipcRenderer, no generic invoke. Each method forwards over the one channel, and
// the main process checks the method name and arguments again before any service runs.
import { contextBridge, ipcRenderer } from 'electron';
import {
  DESKTOP_IPC_CHANNEL,
  desktopApiArgs,
  type DesktopApi,
  type DesktopCallOutcome,
  type DesktopMethod,
} from '../shared/api';

/** Fails to compile if DesktopApi and its argument schemas ever name different methods. */
type SameKeys<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const methodsMatch: SameKeys<keyof DesktopApi, DesktopMethod> = true;
void methodsMatch;

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

/** One forwarding function per method in desktopApiArgs, so a new method needs no change here. */
export const curio = Object.freeze(
  Object.fromEntries(
    (Object.keys(desktopApiArgs) as DesktopMethod[]).map((method) => [method, forward(method)]),
  ) as { [M in DesktopMethod]: DesktopApi[M] },
) satisfies DesktopApi;

contextBridge.exposeInMainWorld('curio', curio);
