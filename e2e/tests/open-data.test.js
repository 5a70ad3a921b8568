// The open-data page in a real browser: it lists the published files in Ukrainian, switches
// to English on the same page, and a file downloads whole.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { join } from 'node:path';
import { openBrowser, outputDir, publicProjects, startDream } from './harness.js';

let dream;
let browser;
let page;

before(async () => {
  dream = await startDream({ projects: 40 });
  ({ browser, page } = await openBrowser());
});

after(async () => {
  await browser?.close();
  await dream?.stop();
});

test('the open-data page lists every file in both languages', async () => {
  // The service publishes the files when it starts; wait for the first publication.
  for (let attempt = 0; attempt < 100; attempt += 1) {
    await page.goto(dream.base + '/data');
    if (await page.locator('tbody tr').count() > 0) break;
    await new Promise((wait) => setTimeout(wait, 200));
  }
  assert.equal(await page.locator('h1').innerText(), 'Відкриті дані');
  assert.equal(await page.locator('tbody tr').count(), 5);
  await page.screenshot({ path: join(outputDir, 'open-data.png'), fullPage: true });

  await page.getByRole('link', { name: 'English', exact: true }).click();
  await page.waitForURL('**/en/data');
  assert.equal(await page.locator('h1').innerText(), 'Open data');
  assert.equal(await page.getAttribute('html', 'lang'), 'en');

  const csv = await page.request.get(dream.base + '/data/files/dream-projects.csv');
  assert.equal(csv.status(), 200);
  const lines = (await csv.text()).trim().split('\n');
  const published = await publicProjects(dream.base);
  assert.ok(published > 0 && published < 40, 'drafts are not open data');
  assert.equal(lines.length, published + 1, 'a header and every public project');
  assert.deepEqual(page.consoleErrors, []);
});
