// What the renderer may ask of the browser beyond the page itself: writing to the clipboard.
// Camera, microphone, location, notifications, screen capture, devices and the rest are refused,
// whether asked for or only checked.
import type { Session } from 'electron';

const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(['clipboard-sanitized-write']);

export function restrictPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, permission, callback) =>
    callback(ALLOWED_PERMISSIONS.has(permission)),
  );
  session.setPermissionCheckHandler((_contents, permission) => ALLOWED_PERMISSIONS.has(permission));
  session.setDevicePermissionHandler(() => false);
}
