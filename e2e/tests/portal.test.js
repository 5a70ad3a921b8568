// The public portal in a real browser, as a reader uses it: the home page with its totals,
// charts and map; the catalogue filtered by oblast and sector and searched by a word; a
// project passport; the language switch; and the CSV download of a filtered list.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { join } from 'node:path';
import { openBrowser, outputDir, publicProjects, startDream } from './harness.js';

let dream;
let browser;
let page;

before(async () => {
  dream = await startDream({ projects: 300 });
  ({ browser, page } = await openBrowser());
});

after(async () => {
  await browser?.close();
  await dream?.stop();
});

/** The number in "Знайдено: 123 проєкти" / "Found: 123 projects". */
async function found() {
  const text = await page.locator('main p strong').first().innerText();
  return Number(text.replace(/[^\d]/g, ''));
}

test('the home page shows totals, charts with their tables and the oblast map', async () => {
  const response = await page.goto(dream.base + '/');
  assert.equal(response.status(), 200);
  assert.equal(await page.getAttribute('html', 'lang'), 'uk');
  assert.equal(await page.locator('h1').count(), 1);
  const publicCount = await publicProjects(dream.base);
  assert.ok(publicCount > 0 && publicCount < 300, 'drafts are not counted for the public');
  assert.equal(
    await page.locator('.totals li').first().locator('.value').innerText(),
    String(publicCount),
  );
  assert.equal(await page.locator('svg [data-katottg]').count(), 27);
  assert.ok(await page.locator('figure.chart').count() >= 5, 'the map and four charts');
  assert.equal(
    await page.locator('figure.chart').count(),
    await page.locator('figure.chart details table').count(),
    'every chart has its data table',
  );
  const csp = response.headers()['content-security-policy'];
  assert.match(csp, /script-src 'self'/);
  assert.equal(await page.locator('script:not([src])').count(), 0, 'no inline scripts');
  await page.screenshot({ path: join(outputDir, 'home.png'), fullPage: true });
  assert.deepEqual(page.consoleErrors, []);
});

test('an oblast on the map opens the catalogue narrowed to it', async () => {
  await page.goto(dream.base + '/?measure=need');
  const oblast = page.locator('svg a:has([data-katottg])').first();
  const code = await oblast.locator('[data-katottg]').first().getAttribute('data-katottg');
  await Promise.all([page.waitForURL(/\/projects\?/), oblast.click()]);
  assert.equal(new URL(page.url()).searchParams.get('oblast'), code);
  assert.equal(await page.locator('select[name=oblast]').inputValue(), code);
  assert.deepEqual(page.consoleErrors, []);
});

test('the catalogue narrows by oblast and sector, and keeps the state in its URL', async () => {
  await page.goto(dream.base + '/projects');
  const all = await found();
  assert.equal(all, await publicProjects(dream.base));
  // The busiest oblast of the home page's table, so the filter surely finds projects.
  const oblast = await page.locator('select[name=oblast] option').nth(1).getAttribute('value');
  await Promise.all([page.waitForURL(/oblast=UA/), page.selectOption('select[name=oblast]', oblast)]);
  const inOblast = await found();
  assert.ok(inOblast < all, `${inOblast} of ${all}`);
  await Promise.all([page.waitForURL(/sector=education/), page.selectOption('select[name=sector]', 'education')]);
  const url = new URL(page.url());
  assert.equal(url.searchParams.get('oblast'), oblast);
  assert.equal(url.searchParams.get('sector'), 'education');
  const narrowed = await found();
  assert.ok(narrowed <= inOblast);
  for (const sector of await page.locator('table.projects tbody td:nth-child(3)').allInnerTexts()) {
    assert.equal(sector, 'Освіта');
  }
  await page.screenshot({ path: join(outputDir, 'catalogue.png'), fullPage: true });

  // Opening the same address again gives the same list: the URL holds the whole state.
  await page.goto(url.toString());
  assert.equal(await found(), narrowed);
  assert.deepEqual(page.consoleErrors, []);
});

test('a search word finds the projects that use it', async () => {
  await page.goto(dream.base + '/projects');
  const title = await page.locator('table.projects tbody tr a').first().innerText();
  const word = title.split(/\s+/).find((w) => w.length > 5) ?? title.split(/\s+/)[0];
  await page.fill('input[name=q]', word);
  await Promise.all([page.waitForURL(/q=/), page.press('input[name=q]', 'Enter')]);
  const count = await found();
  assert.ok(count >= 1 && count < 300, `${count} projects for «${word}»`);
  assert.deepEqual(page.consoleErrors, []);
});

test('a passport shows the project whole and switches language on the same project', async () => {
  await page.goto(dream.base + '/projects?sort=-need');
  const link = page.locator('table.projects tbody tr a').first();
  const title = await link.innerText();
  await Promise.all([page.waitForURL(/\/projects\/DREAM-UA-/), link.click()]);
  assert.equal(await page.locator('h1').innerText(), title);
  assert.equal(await page.locator('h1').count(), 1);
  for (const heading of ['Кошти', 'Учасники', 'Історія змін', 'Закупівлі в Prozorro']) {
    assert.equal(await page.getByRole('heading', { name: heading }).count(), 1, heading);
  }
  assert.equal(await page.locator('.qr svg').count(), 1);
  assert.ok(await page.locator('#history-heading + table tbody tr').count() >= 1);
  await page.screenshot({ path: join(outputDir, 'passport.png'), fullPage: true });

  const id = new URL(page.url()).pathname.split('/').pop();
  await Promise.all([page.waitForURL(`**/en/projects/${id}`), page.getByRole('link', { name: 'English', exact: true }).click()]);
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.equal(await page.getByRole('heading', { name: 'Change history' }).count(), 1);
  assert.deepEqual(page.consoleErrors, []);
});

test('the CSV download holds every project of the filtered list', async () => {
  await page.goto(dream.base + '/projects?sector=health');
  const count = await found();
  const href = await page.getByRole('link', { name: 'CSV' }).getAttribute('href');
  const response = await page.request.get(dream.base + href);
  assert.equal(response.status(), 200);
  assert.match(response.headers()['content-disposition'], /dream-projects\.csv/);
  const lines = (await response.text()).trim().split('\n');
  assert.equal(lines.length, count + 1, 'a header and one line per project');
  assert.ok(lines.slice(1).every((line) => line.includes(',health,')));
});

test('a call shows its formula and ranks applications with the parts of each score', async () => {
  await page.goto(dream.base + '/calls');
  assert.equal(await page.locator('h1').count(), 1);
  const closed = page.locator('main table tbody tr', { hasText: 'завершено' }).first();
  const link = closed.locator('a');
  await Promise.all([page.waitForURL(/\/calls\/[a-z-]+-1$/), link.click()]);
  assert.equal(await page.locator('h1').count(), 1);
  const rows = page.locator('#ranking-heading + table tbody tr');
  assert.ok((await rows.count()) > 0, 'the closed call has applications');
  // The first row's parts add up to its score, as a reader would recompute it.
  const first = rows.first();
  const parts = await first.locator('ul.parts li').allInnerTexts();
  const points = parts.map((part) => Number(part.split('→').pop().trim().replace(',', '.')));
  const total = Number((await first.locator('strong').innerText()).replace(',', '.'));
  assert.ok(Math.abs(points.reduce((a, b) => a + b, 0) - total) < 0.011, `${parts} = ${total}`);
  assert.equal(await first.locator('td').nth(0).innerText(), '1');
  await page.locator('details summary').first().click();
  assert.ok(await page.locator('details table tbody tr').first().isVisible());
  await page.screenshot({ path: join(outputDir, 'call.png'), fullPage: true });

  await Promise.all([page.waitForURL(/\/en\/calls\//), page.locator('a.lang').click()]);
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.match(await page.locator('h1').innerText(), /round 1/);
  assert.deepEqual(page.consoleErrors, []);
});

/** The controls of the page that have no name a screen reader could say. */
async function unnamedControls() {
  return page.locator('input:not([type=hidden]), select, textarea, button').evaluateAll((all) =>
    all
      .filter((control) => {
        const labelled = control.labels && control.labels.length > 0;
        const aria = control.getAttribute('aria-label') || control.getAttribute('aria-labelledby');
        const text = control.tagName === 'BUTTON' && control.textContent.trim() !== '';
        return !(labelled || aria || text);
      })
      .map((control) => control.outerHTML.slice(0, 120)),
  );
}

test('a keyboard reader skips to the content, and every control and picture is named', async () => {
  for (const path of ['/', '/projects', '/en/projects', '/calls']) {
    await page.goto(dream.base + path);
    assert.deepEqual(await unnamedControls(), [], `controls without a name on ${path}`);
    const pictures = await page.locator('img:not([alt])').count();
    assert.equal(pictures, 0, `pictures without alt text on ${path}`);
  }

  await page.goto(dream.base + '/projects');
  await page.keyboard.press('Tab');
  const skip = page.locator('a.skip');
  assert.ok(await skip.evaluate((link) => link === document.activeElement), 'Tab finds the skip link');
  const box = await skip.boundingBox();
  assert.ok(box && box.x >= 0 && box.y >= 0, 'the focused skip link is on screen');
  const outline = await skip.evaluate((link) => getComputedStyle(link).outlineStyle);
  assert.notEqual(outline, 'none', 'focus is visible');
  await page.keyboard.press('Enter');
  assert.ok(page.url().endsWith('#main'));
});
