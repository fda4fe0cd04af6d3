/**
 * Quick local figures for the workflow issue: plan activation on a national tree through the API,
 * then step transitions through the API with 16 concurrent clients (start of step 1 on random units).
 *
 *   npx ts-node -r tsconfig-paths/register --transpile-only bench/workflow-quick.ts
 *
 * Env: BENCH_UNITS (300000), BENCH_LOAD_SECONDS (15), BENCH_CLIENTS (16), BENCH_CPU_PROF=1: profiles the
 * process during the transitions (V8 sampling profiler, the API and the clients share it) and prints
 * where the time goes by package and by function; the profile itself is written to
 * bench/results/transitions.cpuprofile (open it in Chrome DevTools or speedscope for the flame graph).
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { resolve } from 'node:path';
import { DataSource } from 'typeorm';
import { benchPrefix, createMigratedBenchDatabase, printTable, rssMb, startInProcessApi, watchdog } from './setup';
import { nationalTree } from './national-tree';

const TOTAL = Number(process.env.BENCH_UNITS ?? 300_000);
const LOAD_SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 15);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 16);
const PROFILE = process.env.BENCH_CPU_PROF === '1';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

/** Where the sampled CPU time went: self time by package (or our lib) and the top functions, in ms per transition. */
function summarizeProfile(profile: { nodes: ProfileNode[]; samples?: number[]; timeDeltas?: number[] }, transitions: number): void {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  (profile.samples ?? []).forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas?.[i] ?? 0) / 1000));
  const group = (url: string, name: string): string => {
    if (!url) return name === '(idle)' || name === '(program)' || name === '(garbage collector)' ? name : '(native)';
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
    if (pkg) return pkg[1];
    const own = /\/(libs\/[^/]+|apps\/[^/]+|bench)\//.exec(url);
    if (own) return own[1];
    return url.startsWith('node:') ? 'node core' : url;
  };
  const byGroup = new Map<string, number>();
  const byFunction = new Map<string, number>();
  for (const [id, msSelf] of self) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const g = group(url, functionName);
    byGroup.set(g, (byGroup.get(g) ?? 0) + msSelf);
    const f = `${functionName || '(anonymous)'} ${g}:${lineNumber + 1}`;
    byFunction.set(f, (byFunction.get(f) ?? 0) + msSelf);
  }
  const total = [...byGroup.entries()].filter(([g]) => g !== '(idle)').reduce((a, [, v]) => a + v, 0);
  const top = (m: Map<string, number>, n: number) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, v]) => [k, `${v.toFixed(0)} ms`, `${((100 * v) / total).toFixed(1)} %`, `${(v / Math.max(1, transitions)).toFixed(2)} ms`]);
  console.log(`\nCPU profile of the transitions (${total.toFixed(0)} ms busy, ${transitions} transitions): self time by package`);
  printTable(['package', 'self', 'share of busy', 'per transition'], top(byGroup, 20));
  console.log('\nTop functions by self time');
  printTable(['function', 'self', 'share of busy', 'per transition'], top(byFunction, 25));
}

async function main(): Promise<void> {
  const db = await createMigratedBenchDatabase('ct_bench_wf');
  const timer = watchdog(1200, () => db.drop());
  const password = `bench-${randomBytes(6).toString('hex')}`;
  const { app, client } = await startInProcessApi({
    DATABASE_URL: db.appUrl,
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
    const profiler = PROFILE ? new Session() : null;
    if (profiler) {
      profiler.connect();
      await profiler.post('Profiler.enable');
      await profiler.post('Profiler.setSamplingInterval', { interval: 200 });
      await profiler.post('Profiler.start');
    }
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
    if (profiler) {
      const { profile } = await profiler.post('Profiler.stop');
      profiler.disconnect();
      writeFileSync(resolve(__dirname, 'results/transitions.cpuprofile'), JSON.stringify(profile));
      summarizeProfile(profile, ok);
    }
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
