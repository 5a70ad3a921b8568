// The API documentation in a real browser: Swagger UI, served from this installation
// without fetching anything, lists the operations of DREAM's own API description.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { join } from 'node:path';
import { openBrowser, outputDir, startDream } from './harness.js';

let dream;
let browser;
let page;

before(async () => {
  dream = await startDream({ projects: 20 });
  ({ browser, page } = await openBrowser());
});

after(async () => {
  await browser?.close();
  await dream?.stop();
});

test('the API documentation lists the operations of the API', async () => {
  const outside = [];
  page.on('request', (request) => {
    if (!request.url().startsWith(dream.base)) outside.push(request.url());
  });
  await page.goto(dream.base + '/api/docs/');
  await page.locator('.opblock-summary-path').first().waitFor();
  const paths = await page.locator('.opblock-summary-path').allInnerTexts();
  assert.ok(paths.some((path) => path.includes('/api/v1/projects/{id}/revisions/{number}')), paths.join());
  assert.ok(paths.length >= 21, `only ${paths.length} operations shown`);
  await page.screenshot({ path: join(outputDir, 'api-docs.png') });
  assert.deepEqual(outside, [], 'nothing is fetched from outside');
  assert.deepEqual(page.consoleErrors, []);
});
