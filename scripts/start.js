#!/usr/bin/env node
// `npm start`: builds what is missing or older than its sources, then runs the server. So a fresh clone
// needs only `npm install && npm start`.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

const mtime = (file) => (existsSync(file) ? statSync(file).mtimeMs : 0);
const sources = newestMtime(path.join(root, 'src'));
const run = (script) => {
  console.log(`habilis: building (${script})…`);
  const result = spawnSync('npm', ['run', '--silent', script], { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
};
if (mtime('dist/server/main.js') < sources) run('build:server');
if (mtime('dist/web/index.html') < sources) run('build:web');

process.setSourceMapsEnabled(true);
await import(path.join(root, 'dist/server/main.js'));
