import http from 'node:http';
import { expect, test, type RunningHost } from './host';
import { ADMIN, completeSetup } from './people';

const AREAS = [
  'Dashboard',
  'Receiving',
  'Import & Quarantine',
  'Inventory',
  'Approvals',
  'Ledger',
  'Trace',
  'Reports',
  'Partners',
  'Settings',
];

test('the workstation shell renders and every area is reachable by click and keyboard', async ({
  page,
  host,
}, testInfo) => {
  await page.goto(host.url);
  // The token left the address bar once traded for a cookie.
  expect(page.url()).toBe(`${host.origin}/`);
  // A fresh installation shows the first-run setup; the workstation opens once it is done.
  await completeSetup(page, host);
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  await expect(page.getByTestId('health-summary')).toHaveText('Everything checked is working.');
  await expect(page.getByTestId('status-ledger')).toHaveText('Ledger: open');
  await expect(page.getByTestId('status-user')).toContainText(`Signed in: ${ADMIN.displayName}`);
  await page.screenshot({ path: testInfo.outputPath('dashboard.png'), fullPage: true });

  const nav = page.getByRole('navigation', { name: 'Workstation areas' });
  for (const name of AREAS) {
    await nav.getByRole('link', { name, exact: true }).click();
    await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
    await expect(nav.getByRole('link', { name, exact: true })).toHaveAttribute('aria-current', 'page');
  }
  await expect(page.getByTestId('data-dir')).toHaveText(host.dataDir);
  await page.screenshot({ path: testInfo.outputPath('settings.png'), fullPage: true });

  // Alt+6 goes to the Ledger, and its heading takes focus for keyboard users.
  await page.keyboard.press('Alt+6');
  await expect(page.getByRole('heading', { level: 1, name: 'Ledger' })).toBeFocused();
  await page.keyboard.press('Alt+1');
  await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeFocused();
});

test('a page opened without the token gets 401 and no UI', async ({ page, host }) => {
  const response = await page.goto(`${host.origin}/`);
  expect(response?.status()).toBe(401);
  await expect(page.locator('body')).toContainText('Unauthorized');
  await expect(page.locator('.app')).toHaveCount(0);
  const wrong = await page.goto(`${host.origin}/?token=not-the-token`);
  expect(wrong?.status()).toBe(401);
});

test('the host refuses foreign Host headers and foreign origins even with the token', async ({ host }) => {
  expect(await status(host, '/', { Host: `evil.example:${host.port}` })).toBe(421);
  expect(await status(host, '/', { Host: `127.0.0.1:${host.port + 1}` })).toBe(421);
  const call = { 'Content-Type': 'application/json', Authorization: `Bearer ${host.token}` };
  expect(
    await status(host, '/api/call', { ...call, Origin: 'http://evil.example' }, '{"method":"system.info"}'),
  ).toBe(403);
  expect(
    await status(host, '/api/call', { ...call, 'Sec-Fetch-Site': 'cross-site' }, '{"method":"system.info"}'),
  ).toBe(403);
  expect(await status(host, '/api/call', call, '{"method":"system.info"}')).toBe(200);
});

test('an invalid input is refused by the procedure schema with a typed error', async ({ page, host }) => {
  await page.goto(host.url);
  await expect(page.locator('[data-gate="setup"]')).toBeVisible();
  const result = await page.evaluate(async () => {
    const response = await fetch('/api/call', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ method: 'system.echo', input: { text: 'x', count: 99 } }),
    });
    return (await response.json()) as {
      ok: boolean;
      error: { code: string; details: { issues: { path: string }[] } };
    };
  });
  expect(result.ok).toBe(false);
  expect(result.error.code).toBe('invalid-input');
  expect(result.error.details.issues[0]?.path).toBe('count');
});

function status(
  host: RunningHost,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: host.port,
        path,
        method: body ? 'POST' : 'GET',
        headers,
        setHost: !headers.Host,
      },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
