/**
 * Imports a national-shaped tree of 300,000 units through the real HTTP API in one request,
 * then again (nothing changes: the idempotent path), then as a CSV upload of the same rows
 * (idempotent again), then as a CSV upload into an emptied tree (a first import from CSV).
 * Prints wall time, the API's RSS before and at peak (the API runs in this process), and
 * with BENCH_PROFILE=1 the time of every SQL statement of each import.
 *
 *   npx ts-node -r tsconfig-paths/register --transpile-only bench/import-300k.ts
 *
 * Env: BENCH_UNITS (300000), BENCH_TIMEOUT_S (1200, whole run), BENCH_REQUEST_TIMEOUT_S (600),
 * BENCH_PROFILE=1, BENCH_DATABASE_URL (maintenance db, default postgres://postgres@127.0.0.1:5432/postgres),
 * REDIS_URL (redis://127.0.0.1:6379), DVHCVN_PATH (../shared/data/dvhcvn.json).
 */
import 'reflect-metadata';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import { IMPORT_SQL } from '@app/org/import/unit-import.repository';
import { UnitImportService } from '@app/org/import/unit-import.service';
import {
  benchPrefix,
  createMigratedBenchDatabase,
  peakRssMb,
  printTable,
  resetPeakRss,
  rssMb,
  startInProcessApi,
  watchdog,
  runMain,
} from './setup';
import { nationalTree, toCsv } from './national-tree';

const TOTAL = Number(process.env.BENCH_UNITS ?? 300_000);
const RUN_TIMEOUT_S = Number(process.env.BENCH_TIMEOUT_S ?? 1200);
const REQUEST_TIMEOUT_S = Number(process.env.BENCH_REQUEST_TIMEOUT_S ?? 600);
const PROFILE = process.env.BENCH_PROFILE === '1';
const ADMIN_EMAIL = 'bench-admin@bench.vn';
const ADMIN_PASSWORD = `bench-${randomBytes(6).toString('hex')}`;

// ---- SQL timing: every query run through a TypeORM EntityManager in this process ----------
const sqlName = new Map<string, string>(Object.entries(IMPORT_SQL).map(([k, v]) => [v, k]));
interface QueryTiming {
  name: string;
  ms: number;
}
let timings: QueryTiming[] = [];
let importStartedAt = 0;
let firstQueryAt = 0;
const originalQuery = EntityManager.prototype.query;
EntityManager.prototype.query = async function (this: EntityManager, sql: string, params?: unknown[]) {
  const t0 = performance.now();
  if (importStartedAt && !firstQueryAt) firstQueryAt = t0;
  try {
    return await originalQuery.call(this, sql, params);
  } finally {
    const name = sqlName.get(sql) ?? sql.replace(/\s+/g, ' ').trim().slice(0, 60);
    timings.push({ name, ms: performance.now() - t0 });
  }
} as typeof originalQuery;
const originalImport = UnitImportService.prototype.import;
UnitImportService.prototype.import = function (this: UnitImportService, ...args: Parameters<typeof originalImport>) {
  importStartedAt = performance.now();
  firstQueryAt = 0;
  return originalImport.apply(this, args);
};

interface Phase {
  name: string;
  status: number;
  result: string;
  seconds: number;
  rssBefore: number;
  rssPeak: number;
  rssAfter: number;
  heapAfter: number;
}

async function main(): Promise<void> {
  const db = await createMigratedBenchDatabase('ct_bench_import');
  let app: NestFastifyApplication | undefined;
  const cleanup = async () => {
    await app?.close().catch(() => undefined);
    await db.drop();
  };
  watchdog(RUN_TIMEOUT_S, cleanup);
  try {
    const started = await startInProcessApi({ DATABASE_URL: db.appUrl, REDIS_PREFIX: benchPrefix(), ADMIN_EMAIL, ADMIN_PASSWORD });
    app = started.app;
    const baseUrl = started.client.base;
    const token = await started.client.login(ADMIN_EMAIL, ADMIN_PASSWORD);

    // The files, built before measuring; the row objects are dropped so they do not weigh on RSS.
    let tree: ReturnType<typeof nationalTree> | undefined = nationalTree(TOTAL);
    const { source, counts, samples } = tree;
    const json = Buffer.from(JSON.stringify(tree.rows));
    const csv = Buffer.from(toCsv(tree.rows));
    tree = undefined;
    global.gc?.();
    console.log(`Tree: ${TOTAL.toLocaleString('en')} rows from ${source}`);
    console.log(
      `  ${counts.provinces} provinces, ${counts.districts} districts, ${counts.communes} communes, ${counts.cells} cells; ` +
        `JSON ${(json.length / 1e6).toFixed(1)} MB, CSV ${(csv.length / 1e6).toFixed(1)} MB (samples ${JSON.stringify(samples)})`,
    );

    const phases: Phase[] = [];
    const profiles: { name: string; jsMs: number; timings: QueryTiming[] }[] = [];
    const run = async (name: string, body: () => { body: RequestInit['body']; headers: Record<string, string> }) => {
      global.gc?.();
      const canReset = resetPeakRss();
      const rssBefore = rssMb();
      // A sampler as well: covers systems without /proc/self/clear_refs.
      let sampled = rssBefore;
      const sampler = setInterval(() => (sampled = Math.max(sampled, rssMb())), 20);
      timings = [];
      importStartedAt = 0;
      const { body: requestBody, headers } = body();
      const t0 = performance.now();
      const res = await fetch(`${baseUrl}/api/units/import`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, ...headers },
        body: requestBody,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_S * 1000),
      });
      const text = await res.text();
      const seconds = (performance.now() - t0) / 1000;
      clearInterval(sampler);
      const kernelPeak = canReset ? peakRssMb() : null;
      const rssAfter = rssMb();
      let result = text.slice(0, 200);
      try {
        const parsed = JSON.parse(text) as Record<string, unknown>;
        result = res.status === 200 ? `${parsed.created}/${parsed.updated}/${parsed.unchanged}` : JSON.stringify(parsed).slice(0, 300);
      } catch {
        /* keep the text */
      }
      phases.push({
        name,
        status: res.status,
        result,
        seconds,
        rssBefore,
        rssPeak: Math.max(kernelPeak ?? 0, sampled, rssAfter),
        rssAfter,
        heapAfter: process.memoryUsage().heapUsed / 1024 / 1024,
      });
      const p = phases[phases.length - 1];
      console.log(
        `  ${name}: HTTP ${res.status} ${result} in ${seconds.toFixed(1)} s, RSS ${p.rssBefore.toFixed(0)} → peak ${p.rssPeak.toFixed(0)} MB`,
      );
      profiles.push({ name, jsMs: firstQueryAt && importStartedAt ? firstQueryAt - importStartedAt : NaN, timings: [...timings] });
      if (res.status !== 200) throw new Error(`${name}: HTTP ${res.status} ${result}`);
    };
    const jsonBody = () => ({ body: json, headers: { 'content-type': 'application/json' } });
    const csvBody = () => {
      const form = new FormData();
      form.append('file', new Blob([csv], { type: 'text/csv' }), 'units.csv');
      return { body: form, headers: {} };
    };

    await run('JSON, first import', jsonBody);
    await run('JSON, re-import (no change)', jsonBody);
    await run('CSV, re-import (no change)', csvBody);
    // Empty the tree below the root (the same rows then import as new ones from the CSV).
    const ds = app.get(DataSource);
    // (Without the foreign-key triggers: successor_id has no index, so each deleted unit's RI check
    // would scan the whole table. Setting up, not measured: on a maintenance connection, as only a
    // superuser may skip those triggers; the API itself runs as the app's ordinary role.)
    const admin = new Client({ connectionString: db.url });
    await admin.connect();
    try {
      await admin.query('BEGIN');
      await admin.query(`SET LOCAL session_replication_role = replica`);
      await admin.query(`DELETE FROM units WHERE parent_id IS NOT NULL`);
      await admin.query('COMMIT');
    } finally {
      await admin.end();
    }
    await ds.query(`VACUUM ANALYZE units`);
    await run('CSV, first import', csvBody);

    const [{ n }]: { n: number }[] = await ds.query(`SELECT count(*)::int AS n FROM units`);
    console.log(`\nUnits in the database at the end: ${n.toLocaleString('en')} (the root and ${TOTAL.toLocaleString('en')} imported)\n`);
    printTable(
      ['phase', 'HTTP', 'created/updated/unchanged', 'wall s', 'RSS before MB', 'RSS peak MB', 'RSS after MB', 'heap after MB'],
      phases.map((p) => [
        p.name,
        p.status,
        p.result,
        p.seconds.toFixed(1),
        p.rssBefore.toFixed(0),
        p.rssPeak.toFixed(0),
        p.rssAfter.toFixed(0),
        p.heapAfter.toFixed(0),
      ]),
    );
    console.log(`\nPeak RSS of the whole process over the run: ${Math.max(...phases.map((p) => p.rssPeak)).toFixed(0)} MB`);
    console.log(
      `(API and benchmark client share the process; the client holds the ${((json.length + csv.length) / 1e6).toFixed(0)} MB of files.)`,
    );

    if (PROFILE) {
      for (const p of profiles) {
        console.log(`\n${p.name}: request parsing + row checks in JS before the first SQL ${(p.jsMs / 1000).toFixed(2)} s`);
        const byName = new Map<string, { ms: number; n: number }>();
        for (const t of p.timings) {
          const e = byName.get(t.name) ?? { ms: 0, n: 0 };
          e.ms += t.ms;
          e.n++;
          byName.set(t.name, e);
        }
        printTable(
          ['statement', 'calls', 'ms'],
          [...byName.entries()].filter(([, e]) => e.ms >= 1).map(([name, e]) => [name, e.n, e.ms.toFixed(0)]),
        );
      }
    }
  } finally {
    await cleanup();
  }
}

runMain(main);
