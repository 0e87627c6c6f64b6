import { describe, expect, it } from 'vitest';
import { defaultAppDataDir } from './app-data-dir';

describe('defaultAppDataDir', () => {
  it('follows XDG on Linux', () => {
    expect(defaultAppDataDir('linux', {}, '/home/ada')).toBe('/home/ada/.config/Curio');
    expect(defaultAppDataDir('linux', { XDG_CONFIG_HOME: '/xdg' }, '/home/ada')).toBe('/xdg/Curio');
  });

  it('ignores a relative XDG_CONFIG_HOME, as the spec says', () => {
    expect(defaultAppDataDir('linux', { XDG_CONFIG_HOME: 'rel' }, '/home/ada')).toBe(
      '/home/ada/.config/Curio',
    );
  });

  it('uses the folders Electron uses on macOS and Windows', () => {
    expect(defaultAppDataDir('darwin', {}, '/Users/ada')).toBe(
      '/Users/ada/Library/Application Support/Curio',
    );
    expect(defaultAppDataDir('win32', { APPDATA: '/appdata' }, '/home/ada')).toMatch(
      /appdata.Curio$/,
    );
  });
});
