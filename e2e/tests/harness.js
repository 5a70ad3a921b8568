// Starts a real `dream serve --demo` on a free port with its own SQLite file, and a headless
// Debian Chromium driven by playwright-core, for the page tests in this folder.

import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const root = resolve(import.meta.dirname, '..', '..');
const targetDir = process.env.CARGO_TARGET_DIR ?? join(root, 'target');
export const outputDir = join(root, 'e2e', 'output');

/** A free TCP port on 127.0.0.1. */
function freePort() {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

async function waitReady(base, child) {
  for (let attempt = 0; attempt < 600; attempt += 1) {
    if (child.exitCode !== null) throw new Error(`dream exited with ${child.exitCode}`);
    try {
      const response = await fetch(`${base}/readyz`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((wait) => setTimeout(wait, 100));
  }
  throw new Error('dream did not become ready in 60 s');
}

/**
 * How many projects the public sees at `base`, by the JSON API: the demo's projects past
 * the draft stages, which only their initiators and reviewers see.
 */
export async function publicProjects(base) {
  const response = await fetch(`${base}/api/v1/projects?limit=1`);
  const { total } = await response.json();
  return total;
}

/** Starts the service with demo data; returns its base URL and a stop function. */
export async function startDream({ projects = 300 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'dream-e2e-'));
  const port = await freePort();
  const binary = process.env.DREAM_BIN ?? join(targetDir, 'debug', 'dream');
  const child = spawn(binary, ['serve', '--demo', '--demo-projects', String(projects),
    '--addr', `127.0.0.1:${port}`], {
    env: {
      ...process.env,
      DATABASE_URL: `sqlite://${join(dir, 'e2e.db')}`,
      DREAM_FILES: join(dir, 'files'),
      RUST_LOG: 'warn',
      // The page tests never reach the state registers, so no sync is scheduled.
      DREAM_SYNC_EVERY_MINUTES: '0',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  await waitReady(base, child);
  const databaseUrl = `sqlite://${join(dir, 'e2e.db')}`;
  return {
    base,
    /** Runs another `dream` command against the same database; returns what it printed. */
    command(args) {
      return execFileSync(binary, ['--database-url', databaseUrl, ...args], {
        env: { ...process.env, RUST_LOG: 'warn', DREAM_SITE_URL: base },
        encoding: 'utf8',
      });
    },
    async stop() {
      child.kill('SIGTERM');
      await new Promise((done) => child.once('exit', done));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Launches headless Chromium; `page.consoleErrors` collects every console error. */
export async function openBrowser() {
  mkdirSync(outputDir, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.consoleErrors = [];
  page.on('console', (message) => {
    if (message.type() === 'error') page.consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => page.consoleErrors.push(error.message));
  return { browser, page };
}
