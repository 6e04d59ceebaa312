import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Starts the worker thread of module `name` (without extension) next to the module at `callerUrl`:
 * the compiled `.js` in a build, the `.ts` source under tsx or vitest, where the worker first registers
 * tsx's loader (a worker does not inherit it).
 */
export function startModuleWorker(callerUrl: string, name: string, options: WorkerOptions): Worker {
  if (!callerUrl.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, callerUrl), options);
  const tsx = new URL('./esm/api/index.mjs', pathToFileURL(createRequire(callerUrl).resolve('tsx'))).href;
  const source = new URL(`./${name}.ts`, callerUrl).href;
  return new Worker(
    `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(source)}); });`,
    { ...options, eval: true },
  );
}
