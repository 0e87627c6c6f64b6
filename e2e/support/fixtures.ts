// Playwright fixtures for Curio's specs. `app` is Curio in web mode; `baseURL` points at it, so
// `page.goto('/')` opens the library. Each test gets a fresh browser context (a fresh IndexedDB,
// hence an empty library); the server is shared by a worker's tests unless a spec asks for its own
// with `test.use({ freshServer: true })` (for tests that write to the server's data folder). The
// shared server starts as a worker fixture with its own time limit, so a slow cold start (tsx
// compiling the server on a busy machine) is not charged to the first test's 60 s.
// `fixturePages` is the loopback site with fixture and hostile pages, for unfurl and extraction.
import { test as base, expect } from '@playwright/test';
import { startFixtureServer, type FixtureServer } from '../fixtures/server';
import { startWebMode, type WebMode } from './web-mode';

export type WebApp = Pick<WebMode, 'url' | 'dataDir' | 'printed'>;

interface TestFixtures {
  /** Start a server for this test alone rather than sharing the worker's. */
  freshServer: boolean;
  app: WebApp;
}

interface WorkerFixtures {
  /** The worker's web-mode server. */
  sharedWebMode: WebMode;
  fixturePages: FixtureServer;
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  freshServer: [false, { option: true }],

  sharedWebMode: [
    // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring form.
    async ({}, use) => {
      const server = await startWebMode();
      await use(server);
      await server.stop();
    },
    { scope: 'worker', timeout: 120_000 },
  ],

  fixturePages: [
    // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring form.
    async ({}, use) => {
      const server = await startFixtureServer();
      await use(server);
      await server.close();
    },
    { scope: 'worker' },
  ],

  app: async ({ freshServer, sharedWebMode }, use) => {
    if (!freshServer) return use(sharedWebMode);
    const own = await startWebMode();
    await use(own);
    await own.stop();
  },

  baseURL: async ({ app }, use) => use(app.url),
});

export { expect };
