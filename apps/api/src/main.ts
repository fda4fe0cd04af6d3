import 'reflect-metadata';
import { setFlagsFromString } from 'node:v8';
import { Env } from '@app/core';
import { createApp } from './create-app';

/**
 * The JavaScript heap may grow to 1.5× what survived the last full collection before the next one.
 * V8's own factor rises up to 4× while allocation is fast, and a national export allocates fast and
 * keeps little: the heap's growth, not live data, took the API over 300 MB RSS (bench/api-memory.ts:
 * 140k-row CSV and XLSX exports peaked at 233 and 280 MB, 196 and 198 MB with this). A soft limit:
 * more frequent collections, never an out-of-memory stop. `node --heap-growing-percent=N` wins.
 */
const HEAP_GROWING_PERCENT = 50;

async function main(): Promise<void> {
  if (!process.execArgv.some((flag) => /^--heap[-_]growing[-_]percent/.test(flag))) {
    setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  }
  const app = await createApp();
  await app.listen({ port: app.get(Env).PORT, host: '0.0.0.0' });
}

main().catch((error) => {
  // Configuration errors name the variable; print them plainly and stop.
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
