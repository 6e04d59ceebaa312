// What the measured steps of the benches share (registry-import-step.mjs, cpf-offers-step.mjs): the
// process's memory sampled while the step runs, and the one JSON line a step prints.

/**
 * Samples the RSS every 50 ms from now on. BENCH_MEMTRACE=1 also prints the memory to stderr twice a
 * second (BENCH_MEMTRACE=gc: after a full collection, which shows the live heap; needs node's --expose-gc).
 */
export function startSampler() {
  const trace = process.env.BENCH_MEMTRACE;
  const t0 = performance.now();
  let lastTrace = 0;
  let sampled = process.memoryUsage().rss;
  const timer = setInterval(() => {
    sampled = Math.max(sampled, process.memoryUsage().rss);
    if (!trace || performance.now() - lastTrace < 500) return;
    lastTrace = performance.now();
    if (trace === 'gc') globalThis.gc?.();
    const m = process.memoryUsage();
    const mb = (n) => Math.round(n / 1e6);
    console.error(
      `${((lastTrace - t0) / 1000).toFixed(1)} s: rss ${mb(m.rss)} MB, heap ${mb(m.heapUsed)}/${mb(m.heapTotal)} MB, external ${mb(m.external)} MB (array buffers ${mb(m.arrayBuffers)} MB)`,
    );
  }, 50);
  return {
    /** Stops sampling; the peak RSS: the kernel's high-water mark (every thread, between samples too). */
    stop() {
      clearInterval(timer);
      return Math.max(sampled, process.memoryUsage().rss, process.resourceUsage().maxRSS * 1024);
    },
  };
}

/** Prints the step's line: its wall and CPU seconds, its peak RSS, and what it read or wrote. */
export function printStep(step, seconds, cpu, peakBytes, detail) {
  const cpuSeconds = Math.round((cpu.user + cpu.system) / 1e4) / 100;
  console.log(JSON.stringify({ step, seconds, cpuSeconds, peakRssMb: Math.round(peakBytes / 1e6), detail }));
}

/**
 * Runs an import as the CLI runs it: the database opened, every service wired (the CLI's openServices),
 * then only `run` timed. Returns its wall and CPU time and what it answered.
 */
export async function timedImport(load, database, run) {
  const { openDatabase } = await load('db/database.js');
  const handle = await openDatabase(
    database.startsWith('postgres') ? { url: database } : { dataDir: database },
  );
  const { createServices } = await load('services/index.js');
  const { systemActor } = await load('core/access/policy.js');
  const { tmpdir } = await import('node:os');
  const services = createServices(handle, {
    publicUrl: 'http://bench',
    filesDir: tmpdir(),
    dataDir: tmpdir(),
  });
  try {
    const cpuStart = process.cpuUsage();
    const started = performance.now();
    const summary = await run(services, systemActor('bench'));
    return { seconds: (performance.now() - started) / 1000, cpu: process.cpuUsage(cpuStart), summary };
  } finally {
    await handle.close();
  }
}
