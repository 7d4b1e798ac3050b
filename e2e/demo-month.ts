import { expect, type Page } from '@playwright/test';
import type { RunningHost } from './host';

/** The demo month's people (resources/demo/people.json), by username. */
export const DEMO_PEOPLE = {
  paula: { name: 'Paula Reyes, PharmD', password: 'demo pharmacist march' },
  tom: { name: 'Tom Nguyen', password: 'demo technician march' },
  carmen: { name: 'Carmen Ortiz', password: 'demo compliance march' },
  otto: { name: 'Otto', password: 'demo auditor march' },
  alice: { name: 'Alice', password: 'demo administrator march' },
} as const;
export type DemoPerson = keyof typeof DEMO_PEOPLE;

/** From the first-run screen into the demo month, signed in as `who`, on the dashboard. */
export async function enterDemo(page: Page, host: RunningHost, who: DemoPerson = 'paula'): Promise<void> {
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.goto(host.url);
  await page.getByRole('button', { name: 'Explore with demo data' }).click();
  await expect(page.locator('[data-gate="sign-in"]')).toBeVisible({ timeout: 30_000 });
  await signInAs(page, who);
}

/** Signs in on the sign-in screen (or the lock screen's "another person") as a demo person. */
export async function signInAs(page: Page, who: DemoPerson): Promise<void> {
  const form = page.getByRole('form', { name: 'Sign in' });
  await form.getByLabel('Username').fill(who);
  await form.getByLabel('Password').fill(DEMO_PEOPLE[who].password);
  await form.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.locator('.app[data-ready="true"]')).toBeVisible();
}
