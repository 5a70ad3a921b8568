// The start page in a real browser: it names the registry, lists recent projects with their
// hromada and need, and each project opens.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { join } from 'node:path';
import { openBrowser, outputDir, startDream } from './harness.js';

let dream;
let browser;
let page;

before(async () => {
  dream = await startDream();
  ({ browser, page } = await openBrowser());
});

after(async () => {
  await browser?.close();
  await dream?.stop();
});

test('the start page shows the registry and its latest projects', async () => {
  const response = await page.goto(dream.base + '/');
  assert.equal(response.status(), 200);
  assert.equal(await page.getAttribute('html', 'lang'), 'uk');
  assert.equal(await page.locator('h1').count(), 1);
  assert.match(await page.locator('main p').first().innerText(), /У реєстрі 300 проєктів/);

  const rows = page.locator('tbody tr');
  assert.equal(await rows.count(), 20);
  const firstNeed = await rows.first().locator('td.money').innerText();
  assert.match(firstNeed, /₴$/);
  await page.screenshot({ path: join(outputDir, 'start.png'), fullPage: true });
  assert.deepEqual(page.consoleErrors, []);
});

test('a project on the start page opens by keyboard', async () => {
  await page.goto(dream.base + '/');
  const link = page.locator('tbody tr a').first();
  const title = await link.innerText();
  await link.focus();
  await Promise.all([page.waitForLoadState('load'), page.keyboard.press('Enter')]);
  const project = JSON.parse(await page.locator('body').innerText());
  assert.equal(project.title.uk, title);
  assert.match(project.id, /^DREAM-UA-\d{6}-[0-9A-F]{8}$/);
});
