/**
 * Where the API's memory goes at national scale: the API runs from dist/ as a child process (as in
 * bench/run.ts and in production) and, phase by phase, this records the kernel's peak RSS (VmHWM,
 * reset before each phase with /proc/<pid>/clear_refs 5) next to the peaks of process.memoryUsage()
 * inside the API (V8 heap used/total, `external`, `arrayBuffers`, sampled every 50 ms by
 * bench/memory-probe.cjs over IPC): RSS minus heapTotal minus external is what the allocator and
 * the code hold outside the JavaScript heap.
 *
 * Phases: idle after start; the import of the national tree as one JSON array; the same rows again
 * as a CSV upload; (plan activation and a realistic day, not measured); the national overdue list
 * exported as CSV, then as XLSX (the bodies are read as streams and counted, never held here); the
 * end, after a pause.
 *
 *   npm run build:api && npx ts-node -r tsconfig-paths/register --transpile-only bench/api-memory.ts
 *
 * Env: BENCH_UNITS (20000; 300000 for the national figure), BENCH_MEMORY_CSV=0 (skip the CSV
 * re-import), BENCH_HEAP_SNAPSHOT=1 (the API writes a heap snapshot on SIGUSR2, sent after each
 * phase; files in bench/results), BENCH_EXPOSE_GC=1 (a full GC after each phase, to tell
 * retained memory from garbage), BENCH_NODE_FLAGS (node or V8 flags for the API, e.g. --max-semi-space-size=8), BENCH_API_SCRIPT (another build's dist/apps/api/src/main.js), NODE_OPTIONS.
 * Writes bench/results/api-memory.json.
 */
import 'reflect-metadata';
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import Redis from 'ioredis';
import { Pool } from 'pg';
import { apiClient, createBenchDatabase, freePort, printTable, runMain, setRealisticState, waitFor, watchdog } from './setup';
import { nationalTree, toCsv } from './national-tree';
import { deletePrefix } from './redis-usage';

const TOTAL = Number(process.env.BENCH_UNITS ?? 20_000);
const CSV_REIMPORT = process.env.BENCH_MEMORY_CSV !== '0';
const HEAP_SNAPSHOT = process.env.BENCH_HEAP_SNAPSHOT === '1';
const EXPOSE_GC = process.env.BENCH_EXPOSE_GC === '1';
/** The API to measure: this checkout's build, or another's (e.g. main's, for a before/after). */
const API_SCRIPT = resolve(process.env.BENCH_API_SCRIPT ?? resolve(__dirname, '../dist/apps/api/src/main.js'));
const AS_OF = '2025-02-17';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PREFIX = `ct-bench-${randomBytes(4).toString('hex')}`;
const ADMIN = { email: 'bench-admin@bench.vn', password: `bench-${randomBytes(6).toString('hex')}` };
const MB = 1024 * 1024;

type Usage = Record<'rss' | 'heapTotal' | 'heapUsed' | 'external' | 'arrayBuffers', number>;
interface ProbeAnswer {
  probe: string;
  id: number;
  now: Usage;
  peak: Usage;
}

/** The API as a child process with the memory probe preloaded and an IPC channel to it. */
function startApi(env: Record<string, string>) {
  const flags = [
    '--require',
    resolve(__dirname, 'memory-probe.cjs'),
    ...(HEAP_SNAPSHOT ? ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${resolve(__dirname, 'results')}`] : []),
    ...(EXPOSE_GC ? ['--expose-gc'] : []),
    ...(process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean),
  ];
  const child: ChildProcess = spawn(process.execPath, [...flags, API_SCRIPT], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  child.on('exit', (code) => code && code !== 143 && console.error(`API exited with ${code}`));
  let next = 0;
  const ask = (probe: 'read' | 'reset' | 'gc') =>
    new Promise<ProbeAnswer>((ok, fail) => {
      const id = ++next;
      const timer = setTimeout(() => fail(new Error('memory probe: no answer')), 10_000);
      const onMessage = (m: ProbeAnswer) => {
        if (m?.id !== id) return;
        clearTimeout(timer);
        child.off('message', onMessage);
        ok(m);
      };
      child.on('message', onMessage);
      child.send({ probe, id });
    });
  const status = () => {
    const text = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(text)?.[1] ?? 0) / 1024;
    return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
  };
  const resetPeak = () => writeFileSync(`/proc/${child.pid}/clear_refs`, '5');
  return { child, ask, status, resetPeak };
}

interface Phase {
  phase: string;
  seconds: number;
  /** MB: RSS when the phase started, the kernel's peak during it, RSS when it ended. */
  rssBefore: number;
  rssPeak: number;
  rssAfter: number;
  /** MB: peaks inside the process (sampled), and the values at the end of the phase. */
  heapUsedPeak: number;
  heapTotalPeak: number;
  externalPeak: number;
  arrayBuffersPeak: number;
  heapUsedAfter: number;
  externalAfter: number;
  /** MB, with BENCH_EXPOSE_GC=1: what survives a full garbage collection at the end of the phase (retained, not garbage). */
  afterGc?: { rss: number; heapUsed: number; external: number };
  note: string;
  load: number;
}

async function main(): Promise<void> {
  const db = await createBenchDatabase('ct_membench');
  const redis = new Redis(REDIS_URL);
  let api: ReturnType<typeof startApi> | null = null;
  const cleanup = async () => {
    api?.child.kill('SIGTERM');
    await deletePrefix(redis, PREFIX).catch(() => undefined);
    await db.drop();
  };
  const timer = watchdog(30 * 60, cleanup);
  const pg = new Pool({ connectionString: db.appUrl, max: 2 });
  const phases: Phase[] = [];
  try {
    const port = await freePort();
    api = startApi({
      DATABASE_URL: db.appUrl,
      REDIS_URL,
      REDIS_PREFIX: PREFIX,
      PORT: String(port),
      LOG_LEVEL: 'warn',
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      SMTP_URL: 'smtp://127.0.0.1:1',
      SWEEP_CRON: '0 0 31 2 *',
      DIGEST_CRON: '0 0 31 2 *',
    });
    const base = `http://127.0.0.1:${port}`;
    await waitFor(async () => (await fetch(`${base}/health`)).ok, 300_000);
    const client = apiClient(base);
    const token = await client.login(ADMIN.email, ADMIN.password);
    console.log(
      `API memory at ${TOTAL} units, load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );

    const measure = async (phase: string, work: () => Promise<string>) => {
      const a = api!;
      const before = a.status();
      a.resetPeak();
      await a.ask('reset');
      const t0 = performance.now();
      const note = await work();
      const seconds = (performance.now() - t0) / 1000;
      const probe = await a.ask('read');
      const after = a.status();
      const gc = EXPOSE_GC ? (await a.ask('gc')).now : null;
      phases.push({
        phase,
        seconds,
        rssBefore: before.rss,
        rssPeak: after.hwm,
        rssAfter: after.rss,
        heapUsedPeak: probe.peak.heapUsed / MB,
        heapTotalPeak: probe.peak.heapTotal / MB,
        externalPeak: probe.peak.external / MB,
        arrayBuffersPeak: probe.peak.arrayBuffers / MB,
        heapUsedAfter: probe.now.heapUsed / MB,
        externalAfter: probe.now.external / MB,
        afterGc: gc ? { rss: gc.rss / MB, heapUsed: gc.heapUsed / MB, external: gc.external / MB } : undefined,
        note,
        load: loadavg()[0],
      });
      const p = phases[phases.length - 1];
      console.log(
        `  ${phase}: ${seconds.toFixed(1)} s, RSS ${p.rssBefore.toFixed(0)} → peak ${p.rssPeak.toFixed(0)} → ${p.rssAfter.toFixed(0)} MB; ` +
          `heap used peak ${p.heapUsedPeak.toFixed(0)} MB, external peak ${p.externalPeak.toFixed(0)} MB (${note})` +
          (p.afterGc
            ? `; after a full GC: heap used ${p.afterGc.heapUsed.toFixed(0)} MB, external ${p.afterGc.external.toFixed(0)} MB, RSS ${p.afterGc.rss.toFixed(0)} MB`
            : ''),
      );
      if (HEAP_SNAPSHOT) a.child.kill('SIGUSR2');
    };

    await measure('idle after start (2 s)', async () => {
      await new Promise((r) => setTimeout(r, 2000));
      return 'logged in';
    });

    const tree = nationalTree(TOTAL);
    await measure('import, JSON array', async () => {
      const body = JSON.stringify(tree.rows);
      const r = await client.call('POST', '/api/units/import', token, tree.rows);
      if (r.status !== 200) throw new Error(`import: HTTP ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
      return `${(Buffer.byteLength(body) / MB).toFixed(0)} MB body, ${JSON.stringify(r.body)}`;
    });

    if (CSV_REIMPORT) {
      await measure('re-import, CSV upload', async () => {
        const csv = toCsv(tree.rows);
        const form = new FormData();
        form.append('file', new Blob([csv], { type: 'text/csv' }), 'units.csv');
        const r = await fetch(`${base}/api/units/import`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
        const text = await r.text();
        if (r.status !== 200) throw new Error(`CSV import: HTTP ${r.status} ${text.slice(0, 300)}`);
        return `${(Buffer.byteLength(csv) / MB).toFixed(0)} MB file, ${text}`;
      });
    }

    // Not measured: the plan and a realistic day, so that the overdue list is the benchmark's.
    const plan = await client.ok('POST', '/api/plans', token, { code: 'BENCH', name: 'Đại hội nhiệm kỳ 2025–2030' });
    const {
      rows: [root],
    } = await pg.query(`SELECT id FROM units WHERE parent_id IS NULL`);
    const t0 = performance.now();
    await client.ok('POST', `/api/plans/${plan.id}/activate`, token, { rootUnitId: root.id });
    await setRealisticState(pg, AS_OF);
    console.log(`  (activation and a realistic day in ${((performance.now() - t0) / 1000).toFixed(1)} s, not measured)`);

    for (const format of ['csv', 'xlsx'] as const) {
      await measure(`national overdue export, ${format.toUpperCase()}`, async () => {
        const r = await fetch(`${base}/api/reports/overdue?rootId=${root.id}&format=${format}`, {
          headers: { authorization: `Bearer ${token}` },
        });
        if (!r.ok) return `HTTP ${r.status}: ${(await r.text()).slice(0, 200)}`;
        let bytes = 0;
        let lines = 0;
        for await (const chunk of r.body as unknown as AsyncIterable<Uint8Array>) {
          bytes += chunk.length;
          if (format === 'csv') for (let i = 0; i < chunk.length; i++) if (chunk[i] === 10) lines++;
        }
        return `${(bytes / 1e6).toFixed(1)} MB${format === 'csv' ? `, ${lines.toLocaleString('en')} lines` : ''}`;
      });
    }

    await measure('end (5 s idle)', async () => {
      await new Promise((r) => setTimeout(r, 5000));
      return 'idle';
    });
  } finally {
    clearTimeout(timer);
    await pg.end();
    await cleanup();
    redis.disconnect();
  }
  console.log('');
  const f = (v: number) => v.toFixed(0);
  printTable(
    [
      'phase',
      's',
      'RSS before',
      'RSS peak',
      'RSS after',
      'heap used peak',
      'heap total peak',
      'external peak',
      'arrayBuffers peak',
      'load',
    ],
    phases.map((p) => [
      p.phase,
      p.seconds.toFixed(1),
      f(p.rssBefore),
      f(p.rssPeak),
      f(p.rssAfter),
      f(p.heapUsedPeak),
      f(p.heapTotalPeak),
      f(p.externalPeak),
      f(p.arrayBuffersPeak),
      p.load.toFixed(2),
    ]),
  );
  const out = resolve(__dirname, 'results');
  mkdirSync(out, { recursive: true });
  writeFileSync(
    resolve(out, 'api-memory.json'),
    JSON.stringify(
      { at: new Date().toISOString(), units: TOTAL, node: process.version, nodeOptions: process.env.NODE_OPTIONS ?? '', phases },
      null,
      2,
    ),
  );
}

runMain(main);
