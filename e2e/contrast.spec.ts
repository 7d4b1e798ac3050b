import type { Page } from '@playwright/test';
import { enterDemo } from './demo-month';
import { expect, test } from './host';

/**
 * WCAG 2.2 SC 1.4.11 (non-text contrast) and 2.4.13 (focus appearance): axe does not measure
 * them, so this computes them from the styles the browser applied. The focus ring and every input
 * border must reach 3:1 against the colour behind them, on the pages a pharmacist types in.
 */

/** sRGB relative luminance (WCAG 2.2 definition). */
function luminance([r, g, b]: number[]): number {
  const [R, G, B] = [r!, g!, b!].map((c) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * R! + 0.7152 * G! + 0.0722 * B!;
}

function contrast(a: number[], b: number[]): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

/** The colours of an element's focus outline or border, and of the first opaque background behind it. */
async function colours(page: Page, selector: string, what: 'outline' | 'border') {
  return page
    .locator(selector)
    .first()
    .evaluate((el, part) => {
      const rgb = (v: string) => (v.match(/[\d.]+/g) ?? []).map(Number);
      const view = el.ownerDocument.defaultView!;
      const style = view.getComputedStyle(el);
      const line = part === 'outline' ? style.outlineColor : style.borderTopColor;
      // The outline sits outside the element: measure against what is behind the element.
      let node = el.parentElement;
      let back = [255, 255, 255];
      while (node) {
        const c = rgb(view.getComputedStyle(node).backgroundColor);
        if (c.length >= 3 && (c.length === 3 || c[3]! > 0)) {
          back = c.slice(0, 3);
          break;
        }
        node = node.parentElement;
      }
      return { line: rgb(line).slice(0, 3), back, width: part === 'outline' ? style.outlineWidth : '' };
    }, what);
}

test('the focus ring and input borders stand out at 3:1 or more', async ({ page, host }) => {
  await enterDemo(page, host, 'paula');
  const found: string[] = [];
  for (const [hash, selector] of [
    ['#/receiving', '.field input, .field select'],
    ['#/trace', '#trace-query'],
    ['#/ledger', '.filters input, .filters select'],
    ['#/inventory/products', '.field input'],
    ['#/settings/workstation', '.field input'],
  ] as const) {
    await page.goto(`${host.origin}/${hash}`);
    await expect(page.locator(selector).first()).toBeVisible();
    const border = await colours(page, selector, 'border');
    const ratio = contrast(border.line, border.back);
    if (ratio < 3) found.push(`${hash} ${selector} border ${ratio.toFixed(2)}:1`);
    // Keyboard focus, as a person tabbing there would see it.
    await page.locator(selector).first().focus();
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Tab');
    const ring = await colours(page, ':focus-visible', 'outline');
    const ringRatio = contrast(ring.line, ring.back);
    if (ringRatio < 3) found.push(`${hash} focus ring ${ringRatio.toFixed(2)}:1`);
    expect(ring.width).not.toBe('0px');
  }
  // The navigation's dark background: its ring is yellow, measured there too.
  await page.getByRole('link', { name: /^Trace/ }).focus();
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Tab');
  const nav = await colours(page, '.nav :focus-visible', 'outline');
  const navRatio = contrast(nav.line, nav.back);
  if (navRatio < 3) found.push(`navigation focus ring ${navRatio.toFixed(2)}:1`);
  expect(found, found.join('\n')).toEqual([]);
});
