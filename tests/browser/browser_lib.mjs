// Shared by the browser tests: Debian's Chromium through playwright-core,
// the two screens every page is looked at on, and where screenshots go.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

import { chromium } from 'playwright-core';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const SHOTS = path.join(process.env.MARQUEE_BUILD_DIR || '.', 'screenshots');
export const VIEWPORTS = {
  phone: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true },
  desktop: { viewport: { width: 1280, height: 800 } },
};
/** The three widths the all-pages walk looks at (issue 14): phone, tablet, laptop. */
export const WALK_VIEWPORTS = {
  phone: VIEWPORTS.phone,
  tablet: { viewport: { width: 768, height: 1024 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true },
  laptop: VIEWPORTS.desktop,
};

/**
 * Launches headless Chromium (no sandbox, nothing from the network) and makes the screenshot folder.
 * `extraArgs`: more Chromium switches (the door test's fake camera).
 */
export async function launchBrowser(extraArgs = []) {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} not found: run scripts/setup.sh`);
  mkdirSync(SHOTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync', ...extraArgs],
    timeout: 60_000,
  });
}

/**
 * Saves a screenshot under SHOTS. Headless Chromium now and then answers
 * "Unable to capture screenshot" while the page is still settling on a busy
 * machine: up to three attempts, after the page's load state.
 */
export async function shot(page, name, options = {}) {
  for (let attempt = 1; ; ++attempt) {
    try {
      await page.waitForLoadState('load');
      return await page.screenshot({ path: path.join(SHOTS, name), ...options });
    } catch (e) {
      if (attempt >= 3 || !/Unable to capture screenshot/.test(String(e))) throw e;
    }
  }
}

/** Signs in at /admin/login with `email` and `password` and waits for the dashboard (door staff: the door scanner). */
export async function signIn(page, baseUrl, email, password) {
  await page.goto(`${baseUrl}/admin/login`);
  await page.fill('input[name=email]', email);
  await page.fill('input[name=password]', password);
  await Promise.all([page.waitForURL(/\/(admin|door(\/\d+)?)$/), page.click('button[type=submit]')]);
}

/**
 * The WCAG 2.2 A/AA violations axe-core finds on the page as it is now, one
 * line each: "rule (impact): up to three selectors". Injected through the
 * DevTools protocol, which the page's CSP (script-src 'self') does not stop.
 */
export async function axeViolations(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Runtime.evaluate', { expression: AXE });
  await cdp.detach();
  return page.evaluate(async (tags) => (await window.axe.run(document, { runOnly: { type: 'tag', values: tags } })).violations
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`), WCAG);
}
