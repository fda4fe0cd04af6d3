import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { Client } from 'pg';

/** The server the benchmarks create their databases on (a maintenance database URL). */
export const BENCH_PG_URL =
  process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export function databaseUrl(name: string): string {
  const url = new URL(BENCH_PG_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function adminQuery(sql: string): Promise<void> {
  const client = new Client({ connectionString: BENCH_PG_URL, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A fresh, empty database with a random name; `drop()` removes it (idempotent). */
export async function createBenchDatabase(prefix: string): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  let dropped = false;
  return {
    name,
    url: databaseUrl(name),
    async drop() {
      if (dropped) return;
      dropped = true;
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

/**
 * Stops the process after `seconds` whatever happens, after running `cleanup` (bounded too),
 * so that a stuck benchmark never leaves its database behind.
 */
export function watchdog(seconds: number, cleanup: () => Promise<void>): NodeJS.Timeout {
  const timer = setTimeout(() => {
    console.error(`\nTimed out after ${seconds} s: cleaning up and exiting.`);
    const hard = setTimeout(() => process.exit(2), 30_000);
    hard.unref();
    cleanup()
      .catch((e) => console.error('cleanup failed:', e))
      .finally(() => process.exit(2));
  }, seconds * 1000);
  timer.unref();
  return timer;
}

/** Resident set size now, in MB. */
export function rssMb(): number {
  return process.memoryUsage.rss() / 1024 / 1024;
}

/** Resets the kernel's peak-RSS mark of this process (Linux); false when not possible. */
export function resetPeakRss(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

/** The kernel's peak RSS of this process since start or the last reset (VmHWM), in MB. */
export function peakRssMb(): number | null {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Prints rows as an aligned text table (first column left-aligned, the others right-aligned). */
export function printTable(headers: string[], rows: (string | number)[][]): void {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(line(headers));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of cells.slice(1)) console.log(line(r));
}
