#!/usr/bin/env node
// The `habilis` command. Runs the compiled CLI (dist/cli/main.js) when it is newer than every source file,
// else the TypeScript sources through tsx, so `npx habilis …` works on a fresh clone right after
// `npm install`, before any build.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const src = path.join(root, 'src');
const built = path.join(root, 'dist', 'cli', 'main.js');

/** True when some file under dir (src/web aside: not compiled into dist/) changed after `since`. */
function changedSince(dir, since) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (full === path.join(src, 'web')) continue;
      if (changedSince(full, since)) return true;
    } else if (statSync(full).mtimeMs > since) {
      return true;
    }
  }
  return false;
}

let entry = built;
if (existsSync(built) && !changedSince(src, statSync(built).mtimeMs)) {
  process.setSourceMapsEnabled(true);
} else {
  const { register } = await import('tsx/esm/api');
  register({ tsconfig: path.join(root, 'tsconfig.node.json') });
  entry = path.join(src, 'cli', 'main.ts');
}

const { runCli } = await import(pathToFileURL(entry).href);
process.exitCode = await runCli(process.argv.slice(2));
