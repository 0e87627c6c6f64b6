// Settings → Sync, in the curator's terms: which collection this is, joining with an invite, and
// the status indicator.
import { expect, type Locator, type Page } from '@playwright/test';

export class SyncSettings {
  readonly status: Locator;

  constructor(readonly page: Page) {
    this.status = page.getByRole('status', { name: /^Sync:/ });
  }

  async open(): Promise<void> {
    await this.page.getByRole('button', { name: 'Settings' }).click();
    await expect(this.page.getByRole('dialog', { name: 'Settings' })).toBeVisible();
  }

  async close(): Promise<void> {
    await this.page
      .getByRole('dialog', { name: 'Settings' })
      .getByRole('button', { name: 'Done' })
      .click();
  }

  /** The open collection's id, as shown under "Share this collection". */
  async collectionId(): Promise<string> {
    await this.open();
    await this.page.getByText('Share this collection with other maintainers').click();
    const id = (await this.page.locator('.sync-settings__id').textContent())?.trim() ?? '';
    await this.close();
    return id;
  }

  async join(invite: string): Promise<void> {
    await this.open();
    await this.page.getByLabel('Invite link').fill(invite);
    await this.page.getByRole('button', { name: 'Join' }).click();
  }

  async synced(): Promise<void> {
    await expect(this.status).toHaveAccessibleName('Sync: Synced', { timeout: 15_000 });
  }
}
