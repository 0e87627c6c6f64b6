// Publishing for end-to-end specs: a local PDS and a bare git remote the spec starts, and setting
// them up the way a curator does, in Settings.
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import type { TestNetworkNoAppView } from '@atproto/dev-env';
import {
  createAccount,
  startPds,
  type TestAccount,
} from '../../src/main/services/publish/testing/pds';
import { LibraryPage } from '../pages/LibraryPage';
import { expect, test } from './fixtures';

export interface PublishingSetup {
  serviceUrl: string;
  handle: string;
  password: string;
  remote: string;
  title?: string;
  baseUrl?: string;
  description?: string;
}

export async function setUpBluesky(
  page: Page,
  setup: Pick<PublishingSetup, 'serviceUrl' | 'handle' | 'password'> & { appViewUrl?: string },
): Promise<void> {
  const bluesky = page
    .getByRole('dialog', { name: 'Settings' })
    .getByRole('region', { name: 'Bluesky' });
  await bluesky.getByLabel('Service URL').fill(setup.serviceUrl);
  await bluesky.getByLabel('Handle').fill(setup.handle);
  await bluesky.getByLabel('App password').fill(setup.password);
  // Replies come from a local AppView, else the local PDS: a test never reaches Bluesky's own.
  await bluesky.getByLabel('Replies from').fill(setup.appViewUrl ?? setup.serviceUrl);
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

export interface PublishingWorld {
  /** A local PDS (no AppView) for the spec's tests. */
  net: TestNetworkNoAppView;
  account: TestAccount;
  /** A throwaway folder; `bare` is the site's bare git repository in it. */
  tmp: string;
  bare: string;
}

/**
 * Starts a local PDS with one account and a bare git repository for a spec's tests, and stops
 * them after. The fields are filled in before the first test runs.
 */
export function publishingWorld(handle: string): PublishingWorld {
  const world = {} as PublishingWorld;
  test.beforeAll(async () => {
    world.net = await startPds();
    world.account = await createAccount(world.net, handle);
    world.tmp = await mkdtemp(join(tmpdir(), `curio-e2e-${handle}-`));
    world.bare = join(world.tmp, 'site.git');
    execFileSync('git', ['init', '--quiet', '--bare', '--initial-branch=main', world.bare]);
  });
  test.afterAll(async () => {
    await world.net?.close();
    if (world.tmp) await rm(world.tmp, { recursive: true, force: true });
  });
  return world;
}

/** Opens the library, then Settings, where publishing is set up. */
export async function openSettings(page: Page): Promise<LibraryPage> {
  await page.goto('/');
  const library = new LibraryPage(page);
  await library.ready();
  await page.getByRole('button', { name: 'Settings' }).click();
  return library;
}
