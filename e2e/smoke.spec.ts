// The app starts in web mode: the page loads with its title, the renderer runs under the CSP
// without a single console error or policy violation, and the page can reach DesktopApi.
import { expect, test } from './support/fixtures';

/** Reports CSP violations as console errors, so one listener catches both. */
const REPORT_CSP_VIOLATIONS = `
  document.addEventListener('securitypolicyviolation', (event) => {
    console.error('CSP violation: ' + event.violatedDirective + ' blocked ' + event.blockedURI + ' at ' + event.sourceFile + ':' + event.lineNumber + ':' + event.columnNumber);
  });
`;

test('the app loads without console errors or CSP violations', async ({ page }) => {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  await page.addInitScript({ content: REPORT_CSP_VIOLATIONS });

  const response = await page.goto('/');
  expect(response?.status()).toBe(200);
  expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
  await expect(page).toHaveTitle(/Curio/);
  await expect(page.locator('#root')).not.toBeEmpty();
  await page.waitForLoadState('networkidle');
  expect(
    problems,
    'A "script-src blocked eval" here is Zod probing for eval: src/renderer/main.tsx must import ' +
      './platform/zod-without-eval before anything that defines a schema.',
  ).toEqual([]);
});

test('the page reaches DesktopApi with the token it was served', async ({ page, fixturePages }) => {
  await page.goto('/');
  const token = await page.locator('meta[name="curio-api-token"]').getAttribute('content');
  expect(token).toMatch(/^[\w-]{43}$/);
  const call = (method: string, args: unknown[]) =>
    page.evaluate(
      async ({ method, args, token }) => {
        const response = await fetch(`/api/${method}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify(args),
        });
        return { status: response.status, body: (await response.json()) as unknown };
      },
      { method, args, token },
    );
  expect(await call('appInfo', [])).toMatchObject({ status: 200, body: { mode: 'web' } });
  expect(await call('unfurl', [fixturePages.at('/pages/article.html')])).toMatchObject({
    status: 200,
    body: { title: 'Raft: Understandable Consensus' },
  });
});

test('a page on another origin cannot call DesktopApi, even holding the token', async ({
  page,
  app,
  fixturePages,
}) => {
  await page.goto('/');
  const token = await page.locator('meta[name="curio-api-token"]').getAttribute('content');
  await page.goto(fixturePages.at('/pages/article.html'));
  const outcome = await page.evaluate(
    async ({ api, token }) => {
      try {
        const response = await fetch(api, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: '[]',
        });
        return `answered ${response.status}`;
      } catch {
        return 'blocked';
      }
    },
    { api: `${app.url}api/appInfo`, token },
  );
  expect(outcome).toBe('blocked');
});

test('web mode says where the library lives, and that a random port has a library of its own', async ({
  app,
}) => {
  const origin = new URL(app.url).origin;
  expect(await app.printed(/^Your library is stored in the browser at /)).toContain(
    `stored in the browser at ${origin}:`,
  );
  // The tests start it with --port 0, which a curator should not use every day.
  expect(await app.printed(/picked at random/)).toContain('start without --port');
  expect(await app.printed(/^Data folder: /)).toBe(`Data folder: ${app.dataDir}`);
});
