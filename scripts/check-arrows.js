#!/usr/bin/env node
// Enforces the dependency arrows of docs/ARCHITECTURE.md: which top-level folder of src/ may import which.
// Also: only src/config/env.ts reads process.env. Exits non-zero listing every violation.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const src = path.join(root, 'src');

/** folder → the src/ folders it may import (besides itself). */
const allowed = {
  core: [],
  config: [],
  db: ['core', 'config'],
  rules: ['core'],
  importers: ['core'],
  reports: ['core'],
  exporters: ['core'],
  services: ['core', 'config', 'db', 'rules', 'importers', 'reports', 'exporters'],
  server: ['services', 'core', 'config'],
  // `habilis serve` starts the server: the CLI may reach server/main, never db.
  cli: ['services', 'core', 'config', 'server'],
  web: ['core'],
};

function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* files(full);
    else if (/\.(ts|tsx)$/.test(entry.name)) yield full;
  }
}

const importPattern =
  /(?:^|\n)\s*(?:import|export)[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
const problems = [];
for (const file of files(src)) {
  const rel = path.relative(src, file);
  const folder = rel.split(path.sep)[0];
  const text = readFileSync(file, 'utf8');
  const isTest = /\.test\.tsx?$/.test(file);
  if (!isTest && rel !== path.join('config', 'env.ts') && /process\.env\b/.test(text)) {
    problems.push(`${rel}: reads process.env (only src/config/env.ts may)`);
  }
  if (!(folder in allowed)) {
    problems.push(
      `${rel}: src/${folder} is not a known layer (add it to scripts/check-arrows.js and docs/ARCHITECTURE.md)`,
    );
    continue;
  }
  for (const m of text.matchAll(importPattern)) {
    const spec = m[1] ?? m[2];
    if (!spec.startsWith('.')) {
      if (folder === 'web' && spec.startsWith('node:')) problems.push(`${rel}: the web app imports ${spec}`);
      if ((folder === 'core' || folder === 'web') && /^(kysely|pg|@electric-sql|fastify)/.test(spec)) {
        problems.push(`${rel}: src/${folder} imports ${spec}`);
      }
      continue;
    }
    const target = path.relative(src, path.resolve(path.dirname(file), spec));
    if (target.startsWith('..')) continue; // tests reaching test/ helpers
    const targetFolder = target.split(path.sep)[0];
    if (targetFolder === folder) continue;
    if (isTest) continue; // tests may assemble whatever they exercise
    if (!allowed[folder].includes(targetFolder)) {
      problems.push(`${rel}: src/${folder} may not import src/${targetFolder} (${spec})`);
    }
  }
}

if (problems.length) {
  console.error(`Architecture arrows: ${problems.length} violation(s)`);
  for (const p of problems) console.error(`  ${p}`);
  process.exit(1);
}
console.log('Architecture arrows: OK');
