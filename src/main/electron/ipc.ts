// DesktopApi over IPC: one handler for every method, which answers only the app's own top frame,
// only for the bridge's method names, and hands the rest to dispatchDesktopCall (the same argument
// parsing web mode uses).
import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import type { DesktopApi } from '../../shared/api';
import { dispatchDesktopCall, toApiError } from '../../shared/api';
import {
  DESKTOP_IPC_CHANNEL,
  isDesktopMethod,
  type DesktopCallOutcome,
} from '../../shared/desktop-bridge';

function refused(name: string, message: string): DesktopCallOutcome {
  return { ok: false, error: { name, message } };
}

export function registerDesktopIpc(api: DesktopApi, isAppUrl: (url: string) => boolean): void {
  ipcMain.handle(
    DESKTOP_IPC_CHANNEL,
    async (
      event: IpcMainInvokeEvent,
      method: unknown,
      args: unknown,
    ): Promise<DesktopCallOutcome> => {
      const frame = event.senderFrame;
      if (!frame || frame.parent !== null || !isAppUrl(frame.url)) {
        return refused('Forbidden', "Only Curio's own window may call DesktopApi.");
      }
      if (!isDesktopMethod(method)) {
        const named = typeof method === 'string' ? `"${method.slice(0, 100)}"` : 'without a name';
        return refused('UnknownMethod', `DesktopApi has no method ${named}.`);
      }
      try {
        return { ok: true, value: await dispatchDesktopCall(api, method, args) };
      } catch (error) {
        return { ok: false, error: toApiError(error) };
      }
    },
  );
}
