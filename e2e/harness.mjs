// Shared by the end-to-end scenarios: start the built server on a free port with a fresh data directory,
// and launch Debian's Chromium through playwright-core. Nothing here is mocked: the browser talks to the
// real server, which runs its real migrations on an embedded PGlite database.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const resultsDir = path.join(root, 'test-results');
const serverEntry = path.join(root, 'dist', 'server', 'main.js');
const webEntry = path.join(root, 'dist', 'web', 'index.html');

/** A port nobody listens on right now (the OS picks it). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * Starts `node dist/server/main.js` and resolves once it listens, with the first-admin setup link it
 * printed and its data directory (mail goes to `<dataDir>/outbox`, no SMTP being set). `stop()` ends it
 * and removes its data directory; call it whatever happened.
 */
export async function startServer({ timeoutMs = 60_000 } = {}) {
  if (!existsSync(serverEntry) || !existsSync(webEntry)) {
    throw new Error('dist/server/main.js or dist/web/index.html is missing: run `npm run build` first');
  }
  const port = await freePort();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'habilis-e2e-'));
  const baseUrl = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [serverEntry], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: baseUrl,
      HABILIS_DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));

  const started = new Promise((resolve, reject) => {
    let setupLink = null;
    const timer = setTimeout(
      () => reject(new Error(`the server did not start within ${timeoutMs} ms:\n${output}`)),
      timeoutMs,
    );
    const onData = (chunk) => {
      output += chunk.toString();
      setupLink ??= /(https?:\/\/\S+\/setup\?token=[A-Za-z0-9_-]+)/.exec(output)?.[1] ?? null;
      if (/Habilis is running on/.test(output)) {
        clearTimeout(timer);
        if (setupLink) resolve(setupLink);
        else reject(new Error(`the server started without printing a setup link:\n${output}`));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (code ${code}, signal ${signal}) before listening:\n${output}`));
    });
  });

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const forced = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(forced);
    }
    await rm(dataDir, { recursive: true, force: true });
  };
  // Should the test runner itself die, the server must not outlive it.
  process.once('exit', () => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });

  try {
    const setupLink = await started;
    return { baseUrl, setupLink, dataDir, stop, output: () => output };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Debian's Chromium (apt-get install chromium), headless, with nothing that phones home. */
export async function launchBrowser() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A screenshot of the window in test-results/, for a person to look at (the app shell's header and menu are fixed, so a full-page capture would tear them). */
export async function screenshot(page, name) {
  await mkdir(resultsDir, { recursive: true });
  await page.screenshot({ path: path.join(resultsDir, `${name}.png`) });
}

/**
 * The messages the server wrote to its outbox (no SMTP configured), oldest first: `{ file, text }`, and the
 * first link of each (`link`). Waits up to `timeoutMs` for one sent to `to` when given.
 */
export async function readOutbox(dataDir, { to, timeoutMs = 10_000 } = {}) {
  const dir = path.join(dataDir, 'outbox');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const names = existsSync(dir) ? (await readdir(dir)).filter((n) => n.endsWith('.eml')).sort() : [];
    const messages = await Promise.all(
      names.map(async (file) => {
        const text = await readFile(path.join(dir, file), 'utf8');
        const body = text.split('\r\n\r\n').slice(1).join('\n');
        return { file, text, link: /https?:\/\/\S+/.exec(body)?.[0] ?? null };
      }),
    );
    if (!to || messages.some((m) => m.text.includes(`\r\nTo: ${to}\r\n`)) || Date.now() > deadline)
      return to ? messages.filter((m) => m.text.includes(`\r\nTo: ${to}\r\n`)) : messages;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
