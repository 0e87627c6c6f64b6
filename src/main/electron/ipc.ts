// DesktopApi over IPC: one handler for every method, which answers only the app's own top frame
// and hands the rest to dispatchDesktopCall (the same parsing web mode uses).
import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import type { DesktopApi, DesktopCallOutcome } from '../../shared/api';
import { DESKTOP_IPC_CHANNEL, dispatchDesktopCall, toApiError } from '../../shared/api';

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
      if (typeof method !== 'string')
        return refused('UnknownMethod', 'The method name is missing.');
      try {
        return { ok: true, value: await dispatchDesktopCall(api, method, args) };
      } catch (error) {
        return { ok: false, error: toApiError(error) };
      }
    },
  );
}
