// The application menu: the platform's standard roles, so shortcuts, Edit commands and the
// window list behave as users of each platform expect, plus Curio's "Background" choices.
import { Menu, type MenuItemConstructorOptions } from 'electron';

export function buildAppMenu(background: MenuItemConstructorOptions[] = []): Menu {
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' } as const] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    { role: 'viewMenu' },
    ...(background.length ? [{ label: 'Background', submenu: background }] : []),
    { role: 'windowMenu' },
  ];
  return Menu.buildFromTemplate(template);
}
