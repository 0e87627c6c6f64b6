// Setting up publishing the way a curator does, in Settings: a Bluesky account on a local PDS and
// the site's bare git remote.
import { expect, type Page } from '@playwright/test';

export interface PublishingSetup {
  serviceUrl: string;
  handle: string;
  password: string;
  remote: string;
  title?: string;
  baseUrl?: string;
  description?: string;
}

export async function setUpBluesky(page: Page, setup: PublishingSetup): Promise<void> {
  const bluesky = page
    .getByRole('dialog', { name: 'Settings' })
    .getByRole('region', { name: 'Bluesky' });
  await bluesky.getByLabel('Service URL').fill(setup.serviceUrl);
  await bluesky.getByLabel('Handle').fill(setup.handle);
  await bluesky.getByLabel('App password').fill(setup.password);
  // Replies are read from the local PDS too: a test never reaches out to Bluesky's own AppView.
  await bluesky.getByLabel('Replies from').fill(setup.serviceUrl);
  await bluesky.getByRole('button', { name: 'Save' }).click();
  await expect(bluesky.getByRole('status')).toHaveText(`Saved. Logged in as @${setup.handle}.`);
}

export async function setUpSite(page: Page, setup: PublishingSetup): Promise<void> {
  const site = page.getByRole('dialog', { name: 'Settings' }).getByRole('region', { name: 'Site' });
  await site.getByLabel('Git remote').fill(setup.remote);
  await site.getByLabel('Site title').fill(setup.title ?? 'Distributed links');
  await site.getByLabel('Base URL').fill(setup.baseUrl ?? 'https://links.example.org/');
  await site.getByLabel('Description').fill(setup.description ?? 'Papers and posts worth reading.');
  await site.getByRole('button', { name: 'Save' }).click();
  await expect(site.getByRole('status')).toHaveText(
    `Saved. Publishing pushes to ${setup.remote} (main).`,
  );
}
