// Page objects for the library window: tests speak in the curator's terms (add a link, tag it,
// open Trash) and find controls by the names a screen reader would announce.
import { expect, type Locator, type Page } from '@playwright/test';

export interface LinkInput {
  url: string;
  title?: string;
  description?: string;
  tags?: string;
}

function startsWith(text: string): RegExp {
  return new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);
}

export class LibraryPage {
  readonly search: Locator;
  readonly list: Locator;
  readonly detail: DetailPane;
  readonly toast: Locator;

  constructor(readonly page: Page) {
    this.search = page.getByRole('searchbox', { name: 'Search' });
    this.list = page.getByRole('grid');
    this.detail = new DetailPane(page);
    this.toast = page.getByRole('status', { name: 'Notifications' });
  }

  /** Opens the app at `url` and waits for the library. */
  static async open(page: Page, url: string): Promise<LibraryPage> {
    await page.goto(url);
    const library = new LibraryPage(page);
    await library.ready();
    return library;
  }

  /** Waits until the library has opened (the sidebar shows its views). */
  async ready(): Promise<void> {
    await expect(this.view('Unread')).toBeVisible();
  }

  view(name: string): Locator {
    return this.page
      .getByRole('navigation', { name: 'Library' })
      .getByRole('button', { name, exact: true });
  }

  async openView(name: string): Promise<void> {
    await this.view(name).click();
    await expect(this.view(name)).toHaveAttribute('aria-current', 'page');
  }

  /** The list row whose accessible name starts with this title. */
  row(title: string): Locator {
    return this.list.getByRole('row', { name: startsWith(title) });
  }

  rows(): Locator {
    return this.list.getByRole('row');
  }

  async select(title: string): Promise<void> {
    await this.row(title).click();
    await expect(this.detail.title).toHaveText(title);
  }

  async openAddLink(): Promise<AddLinkDialog> {
    await this.page.getByRole('button', { name: 'Add link' }).click();
    const dialog = new AddLinkDialog(this.page);
    await expect(dialog.root).toBeVisible();
    return dialog;
  }

  async addLink(link: LinkInput): Promise<void> {
    const dialog = await this.openAddLink();
    await dialog.fill(link);
    await dialog.save();
    await expect(dialog.root).toBeHidden();
  }

  async searchFor(query: string): Promise<void> {
    await this.search.fill(query);
  }

  /** Waits for the save indicator to say every change is on disk. */
  async saved(): Promise<void> {
    await expect(
      this.page
        .getByRole('status')
        .filter({ hasText: /^Saved/ })
        .first(),
    ).toBeVisible();
  }
}

export class AddLinkDialog {
  readonly root: Locator;
  readonly url: Locator;
  readonly title: Locator;
  readonly description: Locator;
  readonly tags: Locator;
  readonly error: Locator;

  constructor(page: Page) {
    this.root = page.getByRole('dialog', { name: 'Add link' });
    this.url = this.root.getByLabel('URL');
    this.title = this.root.getByLabel('Title');
    this.description = this.root.getByLabel('Description');
    this.tags = this.root.getByLabel('Tags');
    this.error = this.root.getByRole('alert');
  }

  async fill(link: LinkInput): Promise<void> {
    await this.url.fill(link.url);
    if (link.title !== undefined) await this.title.fill(link.title);
    if (link.description !== undefined) await this.description.fill(link.description);
    if (link.tags !== undefined) await this.tags.fill(link.tags);
  }

  async save(): Promise<void> {
    await this.root.getByRole('button', { name: 'Save' }).click();
  }
}

export class DetailPane {
  readonly root: Locator;
  readonly title: Locator;
  readonly note: Locator;
  readonly tagInput: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByRole('region', { name: 'Details' });
    this.title = this.root.getByRole('heading', { level: 2 });
    this.note = this.root.getByRole('textbox', { name: 'Note' });
    this.tagInput = this.root.getByRole('combobox', { name: 'Add tag' });
  }

  button(name: string): Locator {
    return this.root.getByRole('button', { name, exact: true });
  }

  async addTags(...tags: string[]): Promise<void> {
    for (const tag of tags) {
      await this.tagInput.fill(tag);
      await this.tagInput.press('Enter');
      await expect(this.button(`Remove tag ${tag}`)).toBeVisible();
    }
  }

  async writeNote(text: string): Promise<void> {
    await this.note.click();
    await this.page.keyboard.type(text);
    await expect(this.note).toContainText(text.split('\n')[0] ?? text);
  }
}
