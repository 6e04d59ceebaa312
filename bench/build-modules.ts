// The application's modules a bench's measured steps run: by default the server compiled by tsc into
// `<dir>/dist` (what `bin/habilis.js` runs once `npm run build` made dist/), so no step carries tsx's loader
// (its own thread and ~40 MB of RSS that no user process has); with BENCH_SOURCE=ts, the TypeScript sources
// through tsx.
import { spawnSync } from 'node:child_process';
import { symlinkSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface BenchModules {
  /** The directory holding the modules (dist/ or src/). */
  modules: string;
  /** Node's arguments that load them (`--import tsx` for the sources). */
  loader: string[];
}

export function buildModules(dir: string): BenchModules {
  if (process.env.BENCH_SOURCE === 'ts')
    return { modules: path.join(repositoryRoot, 'src'), loader: ['--import', 'tsx'] };
  const out = path.join(dir, 'dist');
  const tsc = spawnSync(
    process.execPath,
    [
      path.join(repositoryRoot, 'node_modules/typescript/bin/tsc'),
      '-p',
      path.join(repositoryRoot, 'tsconfig.node.json'),
      '--outDir',
      out,
    ],
    { stdio: 'inherit' },
  );
  if (tsc.status !== 0) throw new Error('tsc failed');
  // The compiled modules find their packages through this link, as dist/ finds the repository's.
  symlinkSync(path.join(repositoryRoot, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return { modules: out, loader: [] };
}
