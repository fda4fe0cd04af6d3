/**
 * The national-scale benchmark: the product against the physical limit measured in the same run
 * (raw PostgreSQL on the same data, raw Redis), so the ratios mean something on a noisy machine.
 * It measures and prints; it asserts nothing.
 *
 *   npm run bench                      (builds, then runs this file; BENCH_UNITS=20000 for a quick run;
 *                                       BENCH_ONLY=activation stops after the import and the activation,
 *                                       BENCH_ONLY=transitions after the transitions and the bulk action)
 *
 * The API and the worker run as separate processes from dist/ (as in production), against a
 * database and a Redis prefix of their own that are removed at the end. Everything talks to
 * 127.0.0.1; every loop is bounded in count and time; a watchdog stops the run after 20 minutes.
 * Writes bench/results/latest.json.
 */
import 'reflect-metadata';
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { Pool } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { SMTPServer } from 'smtp-server';
import { DUE_DATES_SQL } from '@app/plan/plans.repository';
import { escapeLike, unitSearchCondition } from '@app/org/units.repository';
import { PROGRESS_SQL } from '@app/reports/reports.repository';
import { WORK_PAGE_SQL } from '@app/workflow/work.repository';
import { apiClient, createBenchDatabase, freePort, median, printTable, setRealisticState, waitFor, watchdog } from './setup';
import { cpuPerOperation, cpuSample, formatCpu, statementStats } from './cpu-split';
import { nationalTree, toCsv } from './national-tree';
import { deletePrefix, prefixBytes } from './redis-usage';
import { mergeProvince, pickProvinces } from './reorg-province';

const TOTAL = Number(process.env.BENCH_UNITS ?? 300_000);
const LOAD_SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 20);
const CLIENTS = 16;
const AS_OF = '2025-02-17'; // the day of the sweep: cells hold congresses, grassroots prepare
const MAILS = 5000;
/** Steps that may be started now (not started, every step they depend on finished), in a random but fixed order. */
const ELIGIBLE_STEPS_SQL = `
  SELECT us.unit_id AS "unitId", us.step_no AS "stepNo", us.version FROM unit_steps us
    JOIN plan_steps ps ON ps.plan_id = us.plan_id AND ps.no = us.step_no
   WHERE us.status = 'not_started'
     AND NOT EXISTS (SELECT 1 FROM unit_steps p WHERE p.unit_id = us.unit_id AND p.step_no = ANY(ps.depends_on)
                       AND p.status NOT IN ('completed', 'skipped'))
   ORDER BY md5(us.unit_id::text || us.step_no)`;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PREFIX = `ct-bench-${randomBytes(4).toString('hex')}`;
const ADMIN = { email: 'bench-admin@bench.vn', password: `bench-${randomBytes(6).toString('hex')}` };
const ROOT = resolve(__dirname, '..');
const MB = 1024 * 1024;

interface Row {
  measure: string;
  product: string;
  raw: string;
  ratio: string;
  /** The machine's 1-minute load average when the row was measured (2 cores shared with other work). */
  load: number;
}
const rows: Row[] = [];
const results: Record<string, unknown> = {};
const record = (measure: string, product: string, raw = '', ratio = '') => {
  rows.push({ measure, product, raw, ratio, load: Number(loadavg()[0].toFixed(2)) });
  console.log(`  ${measure}: ${product}${raw ? ` | raw ${raw}` : ''}${ratio ? ` | ${ratio}` : ''}`);
};
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const ms = (v: number) => `${v.toFixed(1)} ms`;
const quantile = (values: number[], q: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))];

function start(script: string, env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, [resolve(ROOT, script)], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  child.on('exit', (code) => code && code !== 143 && console.error(`${script} exited with ${code}`));
  return child;
}

function resetPeakOf(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

function memoryOf(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}

async function main(): Promise<void> {
  if (!existsSync(resolve(ROOT, 'dist/apps/api/src/main.js'))) throw new Error('Build first: npm run build');
  const db = await createBenchDatabase('ct_natbench');
  const redis = new Redis(REDIS_URL);
  const children: ChildProcess[] = [];
  const cleanup = async () => {
    for (const c of children) c.kill('SIGTERM');
    await deletePrefix(redis, PREFIX).catch(() => undefined);
    if (process.env.BENCH_KEEP_DB === '1') console.log(`Kept database ${db.name}`);
    else await db.drop();
  };
  const timer = watchdog(20 * 60, cleanup);
  // Everything the benchmark measures runs as the app's ordinary role, the raw baselines included.
  const pg = new Pool({ connectionString: db.appUrl, max: CLIENTS + 2 });
  const smtp = mailSink();
  try {
    const port = await freePort();
    const env = {
      DATABASE_URL: db.appUrl,
      REDIS_URL,
      REDIS_PREFIX: PREFIX,
      PORT: String(port),
      LOG_LEVEL: 'warn',
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      SMTP_URL: `smtp://127.0.0.1:${await smtp.listen()}`,
      // Cron patterns that never fire during the run: the benchmark triggers the sweep itself.
      SWEEP_CRON: '0 0 31 2 *',
      DIGEST_CRON: '0 0 31 2 *',
    };
    const api = start('dist/apps/api/src/main.js', env);
    children.push(api);
    const base = `http://127.0.0.1:${port}`;
    // (Generous: the API migrates the database first, and the machine may be shared.)
    await waitFor(async () => (await fetch(`${base}/health`)).ok, 300_000);
    const { call } = apiClient(base);
    const token = (await call('POST', '/api/auth/login', null, ADMIN)).body.accessToken as string;
    const {
      rows: [role],
    } = await pg.query(
      `SELECT current_user AS name, r.rolsuper AS superuser, pg_get_userbyid(d.datdba) = current_user AS owner
         FROM pg_roles r, pg_database d WHERE r.rolname = current_user AND d.datname = current_database()`,
    );
    results.role = role;
    results.loadavgStart = loadavg();
    console.log(
      `Benchmark at ${TOTAL} units as database role ${role.name} (${role.superuser ? 'SUPERUSER' : 'not a superuser'}${
        role.owner ? ', owner of the database' : ''
      }), load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );

    // 1. Import through the API vs COPY of the same rows into a bare table.
    const tree = nationalTree(TOTAL);
    const startMemory = memoryOf(api.pid!);
    // The kernel's high-water mark from here on (Linux: clear_refs 5 resets VmHWM to the current RSS).
    const peakReset = resetPeakOf(api.pid!);
    let t0 = performance.now();
    const imported = await call('POST', '/api/units/import', token, tree.rows);
    const importMs = performance.now() - t0;
    await pg.query(`CREATE TABLE bench_copy (code text PRIMARY KEY, name text, tier text, parent_code text, contact_emails text)`);
    const client = await pg.connect();
    t0 = performance.now();
    await pipeline(Readable.from([toCsv(tree.rows)]), client.query(copyFrom(`COPY bench_copy FROM STDIN (FORMAT csv, HEADER true)`)));
    const copyMs = performance.now() - t0;
    client.release();
    record(
      '1. import (API, one request) vs COPY',
      `${s(importMs)} (${imported.status}, ${tree.rows.length + 1} units)`,
      s(copyMs),
      `${(importMs / copyMs).toFixed(1)}× COPY`,
    );
    results.import = { ms: importMs, copyMs, units: tree.rows.length + 1, source: tree.source };
    // The API's high-water mark so far: the import is its largest request (the JSON body is read as a stream).
    const importMemory = memoryOf(api.pid!);
    record(
      `1b. API peak RSS through the import (${(Buffer.byteLength(JSON.stringify(tree.rows)) / MB).toFixed(0)} MB JSON body)`,
      `${importMemory.peakMb.toFixed(0)} MB (${startMemory.rssMb.toFixed(0)} MB before; ${
        peakReset ? 'peak of the import' : `peak since start: ${startMemory.peakMb.toFixed(0)} MB then`
      })`,
      '',
      'target ≤ 300 MB',
    );
    results.importMemory = { before: startMemory, after: importMemory, peakOfImportOnly: peakReset };

    // 2. Plan activation through the API.
    const plan = (await call('POST', '/api/plans', token, { code: 'BENCH', name: 'Đại hội nhiệm kỳ 2025–2030' })).body;
    const {
      rows: [root],
    } = await pg.query(`SELECT id, path FROM units WHERE parent_id IS NULL`);
    t0 = performance.now();
    const activated = await call('POST', `/api/plans/${plan.id}/activate`, token, { rootUnitId: root.id });
    const activateMs = performance.now() - t0;
    // Its physical limit in the same run: the same INSERT … SELECT (due dates included) into a bare
    // table with the same primary key, no trigger, no foreign key, no other index.
    await pg.query(`CREATE TABLE bench_steps (LIKE unit_steps INCLUDING DEFAULTS, PRIMARY KEY (unit_id, step_no))`);
    t0 = performance.now();
    await pg.query(DUE_DATES_SQL.activateUnder.replace('INSERT INTO unit_steps', 'INSERT INTO bench_steps'), [plan.id, `${root.path}%`]);
    const activateRawMs = performance.now() - t0;
    await pg.query(`DROP TABLE bench_steps`);
    record(
      '2. plan activation (API) vs the bare INSERT … SELECT',
      `${s(activateMs)} (${activated.body.units} units, ${activated.body.steps} steps)`,
      s(activateRawMs),
      `${(activateMs / activateRawMs).toFixed(1)}× bare insert`,
    );
    results.activation = { ms: activateMs, rawMs: activateRawMs, ...activated.body };
    // BENCH_ONLY=activation: the import and the activation only (a large run of the two costliest steps).
    if (process.env.BENCH_ONLY === 'activation') return;

    // A realistic day (set with SQL): congress dates in the tier windows, steps due before AS_OF+8
    // completed except ~10% of units behind, ~7.5% with steps due this week open; a few thousand congress records.
    t0 = performance.now();
    await setRealisticState(pg, AS_OF);
    console.log(`  (state set in ${s(performance.now() - t0)})`);

    // 3. Transitions: the API with 16 clients vs the same transaction over pg with 16 connections.
    const { rows: pool } = await pg.query(`${ELIGIBLE_STEPS_SQL} LIMIT 400000`);
    const half = Math.floor(pool.length / 2);
    // The state was set by rewriting every step: its dirty pages are written out now (a checkpoint, as
    // the maintenance role), not by a checkpoint in the middle of the API's load; then both sides warm up
    // (connections, cached plans) on steps of their own for 2 s before they are measured.
    const admin = new Pool({ connectionString: db.url, max: 1 });
    await admin.query('CHECKPOINT');
    const warm = pool.splice(pool.length - 4000, 4000);
    const warmSide = async (op: (p: { unitId: number; stepNo: number; version: number }) => Promise<unknown>) => {
      const until = performance.now() + 2000;
      await Promise.all(
        Array.from({ length: CLIENTS }, async () => {
          while (performance.now() < until && warm.length > 0) await op(warm.pop()!).catch(() => undefined);
        }),
      );
    };
    const apiStart = (p: { unitId: number; stepNo: number; version: number }) =>
      call('POST', `/api/units/${p.unitId}/steps/${p.stepNo}/actions`, token, { action: 'start', expectedVersion: p.version });
    await warmSide(apiStart);
    await statementStats(admin, db.name, true);
    let cpuBefore = cpuSample(api.pid!);
    const apiLoad = await load(pool.slice(0, half), async (p) => (await apiStart(p)).status === 200);
    const apiCpu = cpuPerOperation(cpuBefore, cpuSample(api.pid!), apiLoad.ok);
    const apiStatements = await statementStats(admin, db.name, true);
    const {
      rows: [adminUser],
    } = await pg.query(`SELECT id FROM users WHERE email = $1`, [ADMIN.email]);
    // The same transaction as the API's transition, issued with pg (one connection per call).
    const rawStart = async (p: { unitId: number; stepNo: number; version: number }) => {
      const c = await pg.connect();
      try {
        await c.query('BEGIN');
        const u = await c.query(
          `UPDATE unit_steps SET status = 'in_progress', version = version + 1, updated_at = now(), updated_by = $4
            WHERE unit_id = $1 AND step_no = $2 AND version = $3`,
          [p.unitId, p.stepNo, p.version, adminUser.id],
        );
        await c.query(
          `INSERT INTO step_events (unit_id, step_no, actor_id, action, from_status, to_status) VALUES ($1, $2, $3, 'start', 'not_started', 'in_progress')`,
          [p.unitId, p.stepNo, adminUser.id],
        );
        await c.query(`INSERT INTO outbox (topic, payload) VALUES ('bench', jsonb_build_object('unitId', $1::int))`, [p.unitId]);
        await c.query('COMMIT');
        return u.rowCount === 1;
      } catch (e) {
        await c.query('ROLLBACK');
        throw e;
      } finally {
        c.release();
      }
    };
    await warmSide(rawStart);
    await statementStats(admin, db.name, true);
    cpuBefore = cpuSample(api.pid!);
    const rawLoad = await load(pool.slice(half), rawStart);
    const rawCpu = cpuPerOperation(cpuBefore, cpuSample(api.pid!), rawLoad.ok);
    const rawStatements = await statementStats(admin, db.name, false);
    await admin.end();
    // The raw side's outbox rows are not events of the product: keep them away from the worker.
    await pg.query(`UPDATE outbox SET published_at = now() WHERE topic = 'bench'`);
    record(
      `3. transitions, ${CLIENTS} clients, ${LOAD_SECONDS} s: API vs pg`,
      `${apiLoad.perSecond.toFixed(0)}/s p50 ${ms(apiLoad.p50)} p99 ${ms(apiLoad.p99)} errors ${apiLoad.errors}`,
      `${rawLoad.perSecond.toFixed(0)}/s p50 ${ms(rawLoad.p50)} p99 ${ms(rawLoad.p99)}`,
      `${(apiLoad.perSecond / rawLoad.perSecond).toFixed(2)}× raw throughput`,
    );
    console.log(`    API: ${formatCpu(apiCpu)}\n    raw: ${formatCpu(rawCpu)}`);
    for (const [side, rows] of [
      ['API', apiStatements],
      ['raw', rawStatements],
    ] as const) {
      if (!rows) continue;
      console.log(`    PostgreSQL statements during the ${side} load (per call: execution + planning, ms):`);
      for (const r of rows) console.log(`      ${r.calls} × ${r.execMs} + ${r.planMs}${r.toplevel ? '' : ' (nested)'}  ${r.query}`);
    }
    results.transitions = {
      api: apiLoad,
      raw: rawLoad,
      pool: pool.length,
      cpu: { api: apiCpu, raw: rawCpu },
      apiStatements,
      rawStatements,
    };

    // 3b. Bulk actions: 1,000 starts in one request vs the same 1,000 transactions over pg, 4 at a time (as the product runs them).
    const { rows: bulkPool } = await pg.query(`${ELIGIBLE_STEPS_SQL} LIMIT 2000`);
    const bulkItems = bulkPool.slice(0, 1000).map((p) => ({ unitId: p.unitId, stepNo: p.stepNo, expectedVersion: p.version }));
    t0 = performance.now();
    const bulk = await call('POST', '/api/steps/bulk-actions', token, { action: 'start', items: bulkItems });
    const bulkMs = performance.now() - t0;
    const bulkOk = Array.isArray(bulk.body?.results) ? bulk.body.results.filter((r: { ok: boolean }) => r.ok).length : 0;
    const rawBulkItems = bulkPool.slice(1000);
    let nextBulk = 0;
    t0 = performance.now();
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (nextBulk < rawBulkItems.length) await rawStart(rawBulkItems[nextBulk++]);
      }),
    );
    const rawBulkMs = performance.now() - t0;
    await pg.query(`UPDATE outbox SET published_at = now() WHERE topic = 'bench'`);
    record(
      `3b. bulk action, ${bulkItems.length} items in one request vs pg`,
      `${s(bulkMs)} (${bulk.status}, ${bulkOk} ok)`,
      `${s(rawBulkMs)} (${rawBulkItems.length} transactions, 4 connections)`,
      `${(bulkMs / rawBulkMs).toFixed(1)}× raw`,
    );
    results.bulk = { ms: bulkMs, status: bulk.status, ok: bulkOk, items: bulkItems.length, rawMs: rawBulkMs };
    // BENCH_ONLY=transitions: up to the transitions and the bulk action (with BENCH_KEEP_DB=1, a database to profile them on).
    if (process.env.BENCH_ONLY === 'transitions') return;

    // 4. Reports: the product vs the raw full-scan SQL for the same numbers.
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date());
    const timeApi = async (path: string, n = 20, as = token) => {
      const times: number[] = [];
      for (let i = 0; i < n; i++) {
        const t = performance.now();
        const r = await fetch(base + path, { headers: { authorization: `Bearer ${as}` } });
        if (!r.ok) throw new Error(`GET ${path}: HTTP ${r.status}`);
        await r.arrayBuffer();
        times.push(performance.now() - t);
      }
      return { p50: median(times), p99: quantile(times, 0.99) };
    };
    const timeSql = async (queries: [string, unknown[]][], n = 5) => {
      const times: number[] = [];
      for (let i = 0; i < n; i++) {
        const t = performance.now();
        for (const [q, params] of queries) await pg.query(q, params);
        times.push(performance.now() - t);
      }
      return median(times);
    };
    const national = await timeApi(`/api/reports/progress?rootId=${root.id}`);
    const nationalRaw = await timeSql([
      [PROGRESS_SQL.directByChild, [`${root.path}%`, root.id, 0, today, false, null]],
      [PROGRESS_SQL.directUnitsByChild, [`${root.path}%`, root.id, 0, false, null]],
    ]);
    record(
      '4a. national progress roll-up (20 calls) vs full scan',
      `p50 ${ms(national.p50)} p99 ${ms(national.p99)}`,
      ms(nationalRaw),
      `${(nationalRaw / national.p50).toFixed(0)}× faster`,
    );
    const {
      rows: [district],
    } = await pg.query(`SELECT id, path, depth FROM units WHERE code = $1`, [tree.samples.district]);
    const districtApi = await timeApi(`/api/reports/progress?rootId=${district.id}`);
    const districtRaw = await timeSql(
      [
        [PROGRESS_SQL.directByChild, [`${district.path}%`, district.id, district.depth, today, false, null]],
        [PROGRESS_SQL.directUnitsByChild, [`${district.path}%`, district.id, district.depth, false, null]],
      ],
      20,
    );
    record(
      '4b. one district roll-up vs raw SQL',
      `p50 ${ms(districtApi.p50)} p99 ${ms(districtApi.p99)}`,
      ms(districtRaw),
      `${(districtApi.p50 / districtRaw).toFixed(1)}× raw`,
    );
    const {
      rows: [province],
    } = await pg.query(`SELECT id FROM units WHERE code = $1`, [tree.samples.province]);
    const contents = await timeApi(`/api/reports/contents?rootId=${province.id}`);
    record('4c. contents report, one province', `p50 ${ms(contents.p50)} p99 ${ms(contents.p99)}`);
    const overdue = await timeApi(`/api/reports/overdue?rootId=${root.id}&pageSize=50`);
    record('4d. overdue list, first page (national)', `p50 ${ms(overdue.p50)} p99 ${ms(overdue.p99)}`);
    results.reports = { national, nationalRaw, districtApi, districtRaw, contents, overdue };

    // 4e–4h. What the web app reads. "Việc cần làm" (here with the real clock: every step due in 2025
    // and open is overdue, the largest answer it can have) for a district's editor and for the national root.
    const timeSqlTx = async (sets: string[], query: string, params: unknown[], n = 10) => {
      const times: number[] = [];
      for (let i = 0; i < n; i++) {
        const c = await pg.connect();
        const t = performance.now();
        try {
          await c.query('BEGIN');
          for (const set of sets) await c.query(set);
          await c.query(query, params);
          await c.query('COMMIT');
        } finally {
          c.release();
        }
        times.push(performance.now() - t);
      }
      return median(times);
    };
    const soon = new Date(Date.parse(`${today}T00:00:00Z`) + 7 * 86_400_000).toISOString().slice(0, 10);
    const editor = { email: 'bench-editor@bench.vn', password: `bench-${randomBytes(8).toString('hex')}` };
    await apiClient(base).ok('POST', '/api/users', token, { ...editor, name: 'Cán bộ huyện', role: 'editor', unitId: district.id });
    const editorToken = await apiClient(base).login(editor.email, editor.password);
    const workDistrict = await timeApi(`/api/work`, 20, editorToken);
    const workDistrictRaw = await timeSqlTx([`SET LOCAL jit = off`], WORK_PAGE_SQL.subtree, [
      `${district.path}%`,
      today,
      soon,
      false,
      district.id,
      20,
      0,
    ]);
    record(
      '4e. "Việc cần làm", a district editor (first page)',
      `p50 ${ms(workDistrict.p50)} p99 ${ms(workDistrict.p99)}`,
      ms(workDistrictRaw),
      `${(workDistrict.p50 / workDistrictRaw).toFixed(1)}× raw`,
    );
    const workNational = await timeApi(`/api/work`, 10);
    const workNationalRaw = await timeSqlTx(
      [`SET LOCAL jit = off`, `SET LOCAL work_mem = '64MB'`],
      WORK_PAGE_SQL.wholeTree,
      [`${root.path}%`, today, soon, true, root.id, 20, 0],
      5,
    );
    record(
      '4f. "Việc cần làm", the national root (first page)',
      `p50 ${ms(workNational.p50)} p99 ${ms(workNational.p99)}`,
      ms(workNationalRaw),
      `${(workNational.p50 / workNationalRaw).toFixed(1)}× raw`,
    );
    // The accent-insensitive search, nationally: a district's name typed without accents.
    const {
      rows: [named],
    } = await pg.query(`SELECT name FROM units WHERE id = $1`, [district.id]);
    const typed = String(named.name)
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[đĐ]/g, 'd')
      .toLowerCase()
      .split(/\s+/)
      .slice(-2)
      .join(' ');
    const search = await timeApi(`/api/units?q=${encodeURIComponent(typed)}`);
    const searchParams = [`${root.path}%`, escapeLike(typed)];
    const searchRaw = await timeSql(
      [
        [`SELECT count(*)::int FROM units u WHERE u.path LIKE $1 AND ${unitSearchCondition('$2')}`, searchParams],
        [
          `SELECT u.id, u.code, u.name, u.tier, u.parent_id, u.contact_emails, u.congress_date,
                  (SELECT count(*)::int FROM units c WHERE c.parent_id = u.id), (SELECT p.name FROM units p WHERE p.id = u.parent_id)
             FROM units u WHERE u.path LIKE $1 AND ${unitSearchCondition('$2')} ORDER BY u.name COLLATE vi_vn, u.id LIMIT 20`,
          searchParams,
        ],
      ],
      20,
    );
    record(
      `4g. unit search "${typed}" (no accents), national`,
      `p50 ${ms(search.p50)} p99 ${ms(search.p99)}`,
      ms(searchRaw),
      `${(search.p50 / searchRaw).toFixed(1)}× raw`,
    );
    // The dashboard of the national root: its report calls issued together, as the page does.
    const dashboardPaths = [
      `/api/reports/progress?rootId=${root.id}&groupBy=child`,
      `/api/reports/progress?rootId=${root.id}&groupBy=tier`,
      `/api/reports/contents?rootId=${root.id}`,
      `/api/reports/overdue?rootId=${root.id}&pageSize=20`,
    ];
    const dashboardTimes: number[] = [];
    for (let i = 0; i < 10; i++) {
      const t = performance.now();
      await Promise.all(
        dashboardPaths.map(async (path) => {
          const r = await fetch(base + path, { headers: { authorization: `Bearer ${token}` } });
          if (!r.ok) throw new Error(`GET ${path}: HTTP ${r.status}`);
          await r.arrayBuffer();
        }),
      );
      dashboardTimes.push(performance.now() - t);
    }
    const dashboard = { p50: median(dashboardTimes), p99: quantile(dashboardTimes, 0.99) };
    record('4h. dashboard, national root (4 report calls together)', `p50 ${ms(dashboard.p50)} p99 ${ms(dashboard.p99)}`);
    // 4i. The national overdue list as the files staff hand upward: whole list, CSV and XLSX.
    const overdueExports: Record<string, { ms: number; bytes: number; rows: number; refused?: boolean }> = {};
    for (const format of ['csv', 'xlsx'] as const) {
      const t = performance.now();
      const r = await fetch(`${base}/api/reports/overdue?rootId=${root.id}&format=${format}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      // A list longer than an XLSX sheet is refused (400) before the file starts.
      if (!r.ok && !(format === 'xlsx' && r.status === 400)) throw new Error(`overdue export ${format}: HTTP ${r.status}`);
      const body = Buffer.from(await r.arrayBuffer());
      const rows =
        format === 'csv'
          ? body
              .toString('utf8')
              .split('\n')
              .filter((line) => line.trim() !== '').length
          : 0;
      overdueExports[format] = { ms: performance.now() - t, bytes: body.length, rows, refused: !r.ok };
    }
    const { csv, xlsx } = overdueExports;
    record(
      '4i. national overdue list exported (CSV, XLSX)',
      `CSV ${ms(csv.ms)} ${(csv.bytes / 1e6).toFixed(1)} MB (${csv.rows.toLocaleString('en')} lines); XLSX ${
        xlsx.refused ? `refused in ${ms(xlsx.ms)} (longer than a sheet)` : `${ms(xlsx.ms)} ${(xlsx.bytes / 1e6).toFixed(1)} MB`
      }`,
    );

    results.web = {
      workDistrict,
      workDistrictRaw,
      workNational,
      workNationalRaw,
      search,
      searchRaw,
      searchText: typed,
      dashboard,
      overdueExports,
    };

    // 5. The reminder sweep, and Redis: the sweep's footprint vs one delayed job per deadline.
    const before = await prefixBytes(redis, PREFIX);
    t0 = performance.now();
    const sweep = (await call('POST', '/api/reminders/sweep', token, { asOf: AS_OF })).body;
    const sweepMs = performance.now() - t0;
    const after = await prefixBytes(redis, PREFIX);
    const perJob = await delayedJobBytes(redis);
    const deadlines = (tree.rows.length + 1) * 15 * 4;
    record(
      '5. reminder sweep (whole tree) and Redis',
      `${s(sweepMs)}, ${sweep.notifications} emails; Redis ${(before.bytes / MB).toFixed(1)} → ${(after.bytes / MB).toFixed(1)} MB`,
      `1 delayed job/deadline: ${perJob.toFixed(0)} B/job measured × ${deadlines} = ${((perJob * deadlines) / MB / 1024).toFixed(2)} GB (extrapolated)`,
    );
    results.sweep = { ms: sweepMs, ...sweep, redisBefore: before, redisAfter: after, delayedJobBytes: perJob, deadlines };

    // 6. Mail: the worker sends what the sweep queued to the in-process SMTP server.
    const queued = Math.min(MAILS, sweep.enqueued ?? 0);
    const worker = start('dist/apps/worker/src/main.js', { ...env, MAIL_RATE_PER_SECOND: '1000', OUTBOX_POLL_MS: '500' });
    children.push(worker);
    const mailStart = await smtp.firstAfter(60_000);
    await waitFor(async () => smtp.count() >= queued, 120_000).catch(async (e) => {
      const { rows: statuses } = await pg.query(
        `SELECT status, count(*)::int AS n, min(error) AS error FROM notifications GROUP BY status`,
      );
      console.error(`  mail: ${smtp.count()} of ${queued} received; notifications: ${JSON.stringify(statuses)}`);
      throw e;
    });
    const mailMs = performance.now() - mailStart;
    record(
      '6. mail to a local SMTP server',
      `${((smtp.count() * 1000) / mailMs).toFixed(0)} mails/s (${smtp.count()} mails, MAIL_RATE_PER_SECOND=1000)`,
    );
    results.mail = { mails: smtp.count(), ms: mailMs };
    worker.kill('SIGTERM');

    // 7. Reorganisation: a province of ~5,000 units merged into another through the API (bench/reorg-province.ts).
    const provinces = await pickProvinces(pg, Math.round((5000 * TOTAL) / 300_000));
    const merged = await mergeProvince(call, pg, token, provinces.source, provinces.target);
    record(
      `7. a province of ${merged.units} units merged into another (${merged.calls} API calls)`,
      `${s(merged.ms)} (${(merged.ms / merged.calls).toFixed(0)} ms/call; the province merge itself ${merged.perCall.provinceMerge.toFixed(0)} ms)`,
      `counter rows deleted: ${merged.counterRowsDeleted}`,
      `counters equal a recount: ${merged.countersExact ? 'yes' : 'NO'}`,
    );
    results.provinceMerge = merged;

    // 8. The API process' memory at the end of the run (the merge included).
    const memory = memoryOf(api.pid!);
    record('8. API process RSS at the end', `${memory.rssMb.toFixed(0)} MB (peak ${memory.peakMb.toFixed(0)} MB)`);
    results.apiMemory = memory;
  } finally {
    clearTimeout(timer);
    await pg.end();
    await smtp.close();
    await cleanup();
    redis.disconnect();
    console.log('');
    printTable(
      ['measure', 'product', 'raw / reference', 'ratio', 'load'],
      rows.map((r) => [r.measure, r.product, r.raw, r.ratio, r.load.toFixed(2)]),
    );
    const out = resolve(__dirname, 'results');
    mkdirSync(out, { recursive: true });
    writeFileSync(
      resolve(out, 'latest.json'),
      JSON.stringify(
        {
          at: new Date().toISOString(),
          machine: { cpus: cpus().length, cpu: cpus()[0]?.model, memGb: totalmem() / 1024 ** 3, node: process.version, loadavg: loadavg() },
          units: TOTAL,
          role: results.role,
          loadavg: { start: results.loadavgStart, end: loadavg() },
          rows,
          results,
        },
        null,
        2,
      ),
    );
  }
}

/** Runs `op` over the items with 16 concurrent clients for LOAD_SECONDS (bounded by the items too). */
async function load<T>(items: T[], op: (item: T) => Promise<boolean>) {
  let next = 0;
  let ok = 0;
  let errors = 0;
  const latencies: number[] = [];
  const started = performance.now();
  const deadline = started + LOAD_SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (performance.now() < deadline && next < items.length) {
        const item = items[next++];
        const t = performance.now();
        const good = await op(item).catch(() => false);
        latencies.push(performance.now() - t);
        if (good) ok++;
        else errors++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { ok, errors, perSecond: ok / seconds, p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99) };
}

/** Measured Redis bytes of one delayed BullMQ job per deadline, on a sample under a prefix of its own. */
async function delayedJobBytes(redis: Redis): Promise<number> {
  const prefix = `${PREFIX}-delayed`;
  const queue = new Queue('deadline-reminders', {
    connection: { host: '127.0.0.1', port: Number(new URL(REDIS_URL).port || 6379) },
    prefix,
  });
  const sample = 5000;
  try {
    for (let i = 0; i < sample; i += 500) {
      await queue.addBulk(
        Array.from({ length: 500 }, (_, k) => ({
          name: 'reminder',
          data: { unitId: 100000 + i + k, stepNo: ((i + k) % 15) + 1, dueDate: '2025-06-30', kind: 'D-7' },
          opts: { delay: 30 * 24 * 3600 * 1000, jobId: `deadline-${i + k}`, removeOnComplete: true },
        })),
      );
    }
    return (await prefixBytes(redis, prefix)).bytes / sample;
  } finally {
    await queue.close();
    await deletePrefix(redis, prefix);
  }
}

function mailSink() {
  let received = 0;
  let first: number | null = null;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, done) {
      stream.on('data', () => undefined);
      stream.on('end', () => {
        first ??= performance.now();
        received++;
        done();
      });
    },
  });
  return {
    listen: () => new Promise<number>((ok) => server.listen(0, '127.0.0.1', () => ok((server.server.address() as { port: number }).port))),
    count: () => received,
    firstAfter: async (timeout: number) => {
      await waitFor(async () => first !== null, timeout);
      return first!;
    },
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
