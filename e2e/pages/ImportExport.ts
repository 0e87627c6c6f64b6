// Settings → Import & export in the curator's terms: the Import dialog and its preview, the
// Export dialog, a backup by hand, and Restore from backup.
import { expect, type Locator, type Page } from '@playwright/test';

export class ImportDialog {
  readonly root: Locator;
  readonly file: Locator;
  readonly progress: Locator;
  readonly counts: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByRole('dialog', { name: 'Import' });
    this.file = this.root.getByLabel('Import file');
    this.progress = this.root.getByRole('progressbar');
    this.counts = this.root.getByRole('list', { name: 'What the import would do' });
  }

  async choose(path: string): Promise<void> {
    await this.file.setInputFiles(path);
  }

  button(name: string | RegExp): Locator {
    return this.root.getByRole('button', { name, exact: typeof name === 'string' });
  }

  /** The preview says these counts, in this order: new, already saved, skipped. */
  async expectCounts(fresh: number, already: number, skipped: number): Promise<void> {
    await expect(this.counts.getByRole('listitem')).toHaveText([
      `${fresh} new`,
      `${already} already in your library`,
      `${skipped} skipped`,
    ]);
  }
}

export class ImportExportSettings {
  constructor(readonly page: Page) {}

  get settings(): Locator {
    return this.page.getByRole('dialog', { name: 'Settings' });
  }

  async open(): Promise<void> {
    await this.page.getByRole('button', { name: 'Settings' }).click();
    await expect(this.settings).toBeVisible();
  }

  async close(): Promise<void> {
    await this.settings.getByRole('button', { name: 'Done' }).click();
    await expect(this.settings).toBeHidden();
  }

  async openImport(): Promise<ImportDialog> {
    await this.open();
    await this.settings.getByRole('button', { name: 'Import', exact: true }).click();
    const dialog = new ImportDialog(this.page);
    await expect(dialog.root).toBeVisible();
    return dialog;
  }

  async openExport(): Promise<Locator> {
    await this.open();
    await this.settings.getByRole('button', { name: 'Export', exact: true }).click();
    const dialog = this.page.getByRole('dialog', { name: 'Export' });
    await expect(dialog).toBeVisible();
    return dialog;
  }

  /** The import listed under Settings whose name starts with this source. */
  pastImport(source: string): Locator {
    return this.settings.getByRole('listitem', { name: new RegExp(`^${source}`) });
  }
}

/** Drops a file on the window, as dragging it from the desktop does. */
export async function dropFile(
  page: Page,
  name: string,
  text: string,
  type = 'text/plain',
): Promise<void> {
  const transfer = await page.evaluateHandle(
    ([fileName, content, mime]) => {
      const data = new DataTransfer();
      data.items.add(new File([content], fileName, { type: mime }));
      return data;
    },
    [name, text, type] as const,
  );
  for (const event of ['dragenter', 'dragover', 'drop'])
    await page.dispatchEvent('main', event, { dataTransfer: transfer });
}
