// Permission handlers with Electron's session mocked: the clipboard write, and nothing else.
import type { Session } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { restrictPermissions } from './permissions';

vi.mock('electron', () => ({}));

function handlers() {
  const session = {
    setPermissionRequestHandler: vi.fn(),
    setPermissionCheckHandler: vi.fn(),
    setDevicePermissionHandler: vi.fn(),
  };
  restrictPermissions(session as unknown as Session);
  const request = session.setPermissionRequestHandler.mock.calls[0]![0] as (
    contents: unknown,
    permission: string,
    callback: (granted: boolean) => void,
  ) => void;
  const check = session.setPermissionCheckHandler.mock.calls[0]![0] as (
    contents: unknown,
    permission: string,
  ) => boolean;
  const device = session.setDevicePermissionHandler.mock.calls[0]![0] as (
    details: unknown,
  ) => boolean;
  const granted = (permission: string) => {
    let answer: boolean | undefined;
    request(null, permission, (value) => (answer = value));
    return answer;
  };
  return { granted, check, device };
}

describe('restrictPermissions', () => {
  it('lets the app write to the clipboard', () => {
    const { granted, check } = handlers();
    expect(granted('clipboard-sanitized-write')).toBe(true);
    expect(check(null, 'clipboard-sanitized-write')).toBe(true);
  });

  it.each([
    'media',
    'geolocation',
    'notifications',
    'clipboard-read',
    'display-capture',
    'openExternal',
    'hid',
    'usb',
    'serial',
  ])('refuses %s, asked for or checked', (permission) => {
    const { granted, check } = handlers();
    expect(granted(permission)).toBe(false);
    expect(check(null, permission)).toBe(false);
  });

  it('grants no device', () => {
    expect(handlers().device({ deviceType: 'usb', origin: 'curio://app' })).toBe(false);
  });
});
