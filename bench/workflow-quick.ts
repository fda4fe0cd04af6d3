/**
 * Quick local figures for the workflow issue: plan activation on a national tree through the API,
 * then step transitions through the API with 16 concurrent clients (start of step 1 on random units).
 *
 *   npx ts-node -r tsconfig-paths/register --transpile-only bench/workflow-quick.ts
 *
 * Env: BENCH_UNITS (300000), BENCH_LOAD_SECONDS (15), BENCH_CLIENTS (16).
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { benchPrefix, createMigratedBenchDatabase, printTable, rssMb, startInProcessApi, watchdog } from './setup';
import { nationalTree } from './national-tree';

const TOTAL = Number(process.env.BENCH_UNITS ?? 300_000);
const LOAD_SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 15);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 16);

async function main(): Promise<void> {
  const db = await createMigratedBenchDatabase('ct_bench_wf');
  const timer = watchdog(1200, () => db.drop());
  const password = `bench-${randomBytes(6).toString('hex')}`;
  const { app, client } = await startInProcessApi({
    DATABASE_URL: db.url,
    REDIS_PREFIX: benchPrefix(),
    ADMIN_EMAIL: 'bench@bench.vn',
    ADMIN_PASSWORD: password,
  });
  const call = client.call;
  const ds = app.get(DataSource);
  const rows: (string | number)[][] = [];
  try {
    const token = (await call('POST', '/api/auth/login', null, { email: 'bench@bench.vn', password })).body.accessToken as string;
    const tree = nationalTree(TOTAL);
    let t0 = performance.now();
    const imported = await call('POST', '/api/units/import', token, tree.rows);
    rows.push([
      'import (API, one request)',
      `${tree.rows.length + 1} units`,
      ((performance.now() - t0) / 1000).toFixed(1) + ' s',
      imported.status,
    ]);
    const plan = await call('POST', '/api/plans', token, { code: 'BENCH', name: 'Bench plan' });
    const [{ id: rootId }] = await ds.query(`SELECT id FROM units WHERE parent_id IS NULL`);
    t0 = performance.now();
    const activated = await call('POST', `/api/plans/${plan.body.id}/activate`, token, { rootUnitId: rootId });
    rows.push([
      'plan activation (API)',
      `${activated.body.units} units / ${activated.body.steps} steps`,
      ((performance.now() - t0) / 1000).toFixed(1) + ' s',
      activated.status,
    ]);

    const ids: number[] = (await ds.query(`SELECT id FROM units WHERE tier = 'cell' ORDER BY random() LIMIT 200000`)).map(
      (r: { id: number }) => r.id,
    );
    let next = 0;
    let ok = 0;
    let errors = 0;
    const latencies: number[] = [];
    const deadline = performance.now() + LOAD_SECONDS * 1000;
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (performance.now() < deadline && next < ids.length) {
          const id = ids[next++];
          const s = performance.now();
          const res = await call('POST', `/api/units/${id}/steps/1/actions`, token, { action: 'start', expectedVersion: 1 });
          latencies.push(performance.now() - s);
          if (res.status === 200) ok++;
          else errors++;
        }
      }),
    );
    latencies.sort((a, b) => a - b);
    const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))].toFixed(1);
    rows.push([
      `transitions (API, ${CLIENTS} clients, ${LOAD_SECONDS} s)`,
      `${(ok / LOAD_SECONDS).toFixed(0)} /s`,
      `p50 ${q(0.5)} ms, p99 ${q(0.99)} ms`,
      `${errors} errors`,
    ]);
    rows.push(['API process RSS at the end', `${rssMb()} MB`, '', '']);
  } finally {
    await app.close();
    await db.drop();
    clearTimeout(timer);
  }
  printTable(['measure', 'size', 'time', 'result'], rows);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
