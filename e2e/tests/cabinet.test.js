// The cabinet in a real browser, as a hromada's official uses it: an invitation link sets a
// password and signs in; a new project is entered in a form that names each wrong field and
// keeps what was typed; the project page offers the next step, which moves the project.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { join } from 'node:path';
import { openBrowser, outputDir, startDream } from './harness.js';

let dream;
let browser;
let page;

before(async () => {
  dream = await startDream({ projects: 50 });
  ({ browser, page } = await openBrowser());
});

after(async () => {
  await browser?.close();
  await dream?.stop();
});

test('an invited official enters a project, mends what the form names, and submits it', async () => {
  const response = await fetch(`${dream.base}/api/v1/projects?limit=1`);
  const council = (await response.json()).items[0].initiator;
  const printed = dream.command([
    'users', 'add', '--email', 'official@hromada.example', '--name', 'Олена Коваль',
    '--org', council, '--role', 'initiator',
  ]);
  const link = printed.match(/\/welcome\/[\w-]+/)[0];

  await page.goto(dream.base + link);
  await page.fill('input[name="password"]', 'довгий-пароль-2026');
  await page.fill('input[name="repeat"]', 'довгий-пароль-2026');
  await Promise.all([page.waitForURL(/\/cabinet$/), page.locator('form button').last().click()]);
  assert.equal(await page.locator('h1').innerText(), 'Мій кабінет');

  await Promise.all([
    page.waitForURL(/\/cabinet\/projects\/new$/),
    page.getByRole('link', { name: 'Внести новий проєкт' }).click(),
  ]);
  // What is typed survives a reload of the page, as it would a closed tab.
  await page.fill('#description_uk', 'Заміна вікон і утеплення фасаду школи');
  await page.selectOption('#sector', 'health');
  await page.reload();
  assert.equal(await page.inputValue('#description_uk'), 'Заміна вікон і утеплення фасаду школи');
  assert.equal(await page.inputValue('#sector'), 'health');
  assert.ok(await page.locator('.draft-note').isVisible(), 'the form says the draft is back');
  await page.selectOption('#sector', '');
  await page.fill('#katottg', 'UA-не-код');
  await page.fill('#need', 'багато');
  await page.locator('form.project-form button[type="submit"]').click();
  await page.waitForLoadState();
  assert.ok(await page.locator('#title_uk-problem').isVisible(), 'the missing title is named');
  assert.equal(await page.getAttribute('#title_uk', 'aria-invalid'), 'true');
  assert.ok(await page.locator('#katottg-problem').isVisible(), 'the wrong code is named');
  assert.equal(await page.inputValue('#description_uk'), 'Заміна вікон і утеплення фасаду школи');
  assert.equal(await page.inputValue('#need'), 'багато');
  await page.screenshot({ path: join(outputDir, 'project-form.png'), fullPage: true });

  await page.fill('#title_uk', 'Енергоефективна модернізація школи');
  await page.selectOption('#sector', 'education');
  await page.fill('#katottg', 'UA63120270000028556');
  await page.fill('#need', '4 800 000');
  await page.fill('#people', '640');
  await Promise.all([
    page.waitForURL(/\/cabinet\/projects\/DREAM-UA-/),
    page.locator('form.project-form button[type="submit"]').click(),
  ]);
  assert.equal(await page.locator('h1').innerText(), 'Енергоефективна модернізація школи');
  assert.equal(await page.locator('#stage').innerText(), 'ініційовано');
  const workbench = page.url();
  await page.goto(dream.base + '/cabinet/projects/new');
  assert.equal(await page.inputValue('#title_uk'), '', 'a saved project leaves no draft behind');
  await page.goto(workbench);

  const submit = page.locator('form.step', { has: page.locator('input[value="submitForReview"]') });
  await Promise.all([page.waitForLoadState(), submit.locator('button').click()]);
  await page.waitForURL(/\/cabinet\/projects\/DREAM-UA-/);
  assert.equal(await page.locator('#stage').innerText(), 'визначено');
  await page.screenshot({ path: join(outputDir, 'workbench.png'), fullPage: true });

  // The cabinet's list finds the project by a word of its title, within its stage.
  await page.goto(dream.base + '/cabinet');
  await page.fill('input[name="q"]', 'модернізація');
  await page.selectOption('select[name="stage"]', 'defined');
  await Promise.all([
    page.waitForURL(/\/cabinet\?/),
    page.getByRole('button', { name: 'Показати' }).click(),
  ]);
  assert.ok(await page.getByRole('link', { name: 'Енергоефективна модернізація школи' }).isVisible());
  assert.equal(await page.inputValue('input[name="q"]'), 'модернізація', 'the search stays in its box');
  await page.screenshot({ path: join(outputDir, 'cabinet.png'), fullPage: true });
  // The form that came back was answered 422 on purpose; Chromium logs every such answer.
  const unexpected = page.consoleErrors.filter((e) => !e.includes('status of 422'));
  assert.deepEqual(unexpected, []);
});
