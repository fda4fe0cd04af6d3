/**
 * Reorganisation at national scale (issue 10): a whole province of ~5,000 units merged into another
 * through the API, as on 1/7/2025 — its communes merged three by three into new communes directly
 * under the target province (their cells move with them), its district-level committees dissolved
 * (the level abolished), then the province itself merged into the target. Every step is an API call
 * (POST /api/units/merge, POST /api/units/:id/dissolve); the progress counters follow incrementally
 * (step_counts_on_unit_move moves each moved or closed unit's counts), never a national recount.
 * It measures and prints; it asserts nothing, but says whether the counters still equal a recount.
 *
 *   flock /tmp/bench.lock npx ts-node -r tsconfig-paths/register --transpile-only bench/reorg-province.ts
 *   BENCH_UNITS=20000 … for a quick run (the province is then the one closest to 5,000 × 20,000/300,000 units)
 *
 * Its own database (dropped at the end) and Redis prefix (deleted at the end); the API in this process.
 * `mergeProvince` is also row 7 of bench/run.ts (`npm run bench`).
 */
import 'reflect-metadata';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { Pool } from 'pg';
import { createMigratedBenchDatabase, runMain, startInProcessApi, watchdog } from './setup';
import { nationalTree } from './national-tree';
import { deletePrefix } from './redis-usage';

type Call = (method: string, path: string, token: string | null, body?: unknown) => Promise<{ status: number; body: any }>;

export interface ProvinceMergeResult {
  source: string;
  target: string;
  units: number;
  communes: number;
  newCommunes: number;
  districts: number;
  cellsMoved: number;
  calls: number;
  ms: number;
  /** Rows deleted from step_counts during the run: a national recount would delete them all. */
  counterRowsDeleted: number;
  countersExact: boolean;
  /** Milliseconds of each kind of call: the commune merges, the dissolutions, the final province merge. */
  perCall: { merges: number[]; dissolves: number[]; provinceMerge: number };
}

/** The counters tables against a recount of the active units' steps (true when equal). */
async function countersExact(pg: Pool): Promise<boolean> {
  const bucket = `(CASE WHEN u.depth >= 2 THEN split_part(u.path, '/', 3)::int ELSE u.id END)`;
  const {
    rows: [r],
  } = await pg.query(`
    WITH stored AS (SELECT bucket_id, tier, step_no, status, n FROM step_counts WHERE n <> 0),
    counted AS (SELECT ${bucket} AS bucket_id, u.tier, us.step_no, us.status, count(*)::int AS n
                  FROM unit_steps us JOIN units u ON u.id = us.unit_id WHERE u.status = 'active' GROUP BY 1, 2, 3, 4)
    SELECT (SELECT count(*) FROM (SELECT * FROM stored EXCEPT SELECT * FROM counted) a)
         + (SELECT count(*) FROM (SELECT * FROM counted EXCEPT SELECT * FROM stored) b) AS diff`);
  return Number(r.diff) === 0;
}

async function deletedCounterRows(pg: Pool): Promise<number> {
  await pg.query(`SELECT pg_stat_clear_snapshot()`);
  const { rows } = await pg.query(`SELECT n_tup_del::bigint AS n FROM pg_stat_user_tables WHERE relname = 'step_counts'`);
  return Number(rows[0]?.n ?? 0);
}

/**
 * Merges province `sourceCode` into province `targetCode` through the API (see the file comment) and
 * times the whole reorganisation.
 */
export async function mergeProvince(
  call: Call,
  pg: Pool,
  token: string,
  sourceCode: string,
  targetCode: string,
): Promise<ProvinceMergeResult> {
  const {
    rows: [source],
  } = await pg.query(`SELECT id, path FROM units WHERE code = $1`, [sourceCode]);
  const {
    rows: [target],
  } = await pg.query(`SELECT id FROM units WHERE code = $1`, [targetCode]);
  const {
    rows: [size],
  } = await pg.query(`SELECT count(*)::int AS n FROM units WHERE path LIKE $1`, [`${source.path}%`]);
  const { rows: communes } = await pg.query(
    `SELECT c.id, (SELECT count(*)::int FROM units k WHERE k.parent_id = c.id) AS cells
       FROM units c JOIN units d ON d.id = c.parent_id
      WHERE d.parent_id = $1 AND c.tier = 'grassroots' ORDER BY d.code, c.code`,
    [source.id],
  );
  const { rows: districts } = await pg.query(`SELECT id FROM units WHERE parent_id = $1 AND tier = 'district' ORDER BY code`, [source.id]);
  const deletedBefore = await deletedCounterRows(pg);
  const perCall: ProvinceMergeResult['perCall'] = { merges: [], dissolves: [], provinceMerge: 0 };
  const must = async (method: string, path: string, body: unknown, into?: number[]) => {
    const started = performance.now();
    const res = await call(method, path, token, body);
    into?.push(performance.now() - started);
    if (res.status !== 200) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
    return res.body;
  };
  let calls = 0;
  let cellsMoved = 0;
  const t0 = performance.now();
  const groups: { id: number; cells: number }[][] = [];
  for (let i = 0; i < communes.length; i += 3) groups.push(communes.slice(i, i + 3));
  for (const [i, group] of groups.entries()) {
    const res = await must(
      'POST',
      '/api/units/merge',
      {
        sourceIds: group.map((c) => c.id),
        into: {
          code: `${targetCode}-XM${i + 1}`,
          name: `Đảng bộ xã mới ${i + 1}`,
          committeeName: `Đảng ủy xã mới ${i + 1}`,
          tier: 'grassroots',
          parentId: target.id,
        },
        effectiveOn: '2025-07-01',
        decisionRef: 'Nghị quyết số 1656/NQ-UBTVQH15',
      },
      perCall.merges,
    );
    calls++;
    cellsMoved += res.movedChildren;
  }
  for (const d of districts) {
    await must(
      'POST',
      `/api/units/${d.id}/dissolve`,
      { effectiveOn: '2025-07-01', decisionRef: 'Kết luận số 137-KL/TW' },
      perCall.dissolves,
    );
    calls++;
  }
  const final: number[] = [];
  await must(
    'POST',
    '/api/units/merge',
    {
      sourceIds: [source.id],
      into: { id: target.id },
      effectiveOn: '2025-07-01',
      decisionRef: 'Nghị quyết số 202/2025/QH15',
    },
    final,
  );
  perCall.provinceMerge = final[0];
  calls++;
  const ms = performance.now() - t0;
  // Statistics reach pg_stat_user_tables shortly after commit.
  await new Promise((r) => setTimeout(r, 1000));
  const deletedAfter = await deletedCounterRows(pg);
  return {
    source: sourceCode,
    target: targetCode,
    units: size.n,
    communes: communes.length,
    newCommunes: groups.length,
    districts: districts.length,
    cellsMoved,
    calls,
    ms,
    counterRowsDeleted: deletedAfter - deletedBefore,
    countersExact: await countersExact(pg),
    perCall,
  };
}

/** The province whose subtree is closest to `wanted` units, and another one to merge it into. */
export async function pickProvinces(pg: Pool, wanted: number): Promise<{ source: string; target: string }> {
  const { rows } = await pg.query(
    `SELECT p.code, (SELECT count(*)::int FROM units u WHERE u.path LIKE p.path || '%') AS n
       FROM units p WHERE p.tier = 'province' ORDER BY abs((SELECT count(*) FROM units u WHERE u.path LIKE p.path || '%') - $1), p.code LIMIT 2`,
    [wanted],
  );
  return { source: rows[0].code, target: rows[1].code };
}

const TOTAL = Number(process.env.BENCH_UNITS ?? 300_000);
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

async function main(): Promise<void> {
  const prefix = `ct-bench-reorg-${randomBytes(4).toString('hex')}`;
  const admin = { email: 'bench-admin@bench.vn', password: `bench-${randomBytes(6).toString('hex')}` };
  const db = await createMigratedBenchDatabase('ct_bench_reorg');
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 3 });
  const pg = new Pool({ connectionString: db.url, max: 2 });
  let app: NestFastifyApplication | undefined;
  let cleaned = false;
  const cleanup = async () => {
    if (cleaned) return;
    cleaned = true;
    await app?.close().catch(() => undefined);
    await pg.end().catch(() => undefined);
    await deletePrefix(redis, prefix).catch(() => undefined);
    await db.drop();
    redis.disconnect();
  };
  watchdog(Number(process.env.BENCH_TIMEOUT_S ?? 3600), cleanup);
  try {
    const started = await startInProcessApi({
      DATABASE_URL: db.appUrl,
      REDIS_URL,
      REDIS_PREFIX: prefix,
      ADMIN_EMAIL: admin.email,
      ADMIN_PASSWORD: admin.password,
    });
    app = started.app;
    const { call, ok } = started.client;
    const token = await started.client.login(admin.email, admin.password);
    console.log(
      `Reorganisation benchmark at ${TOTAL} units, load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    let t0 = performance.now();
    const tree = nationalTree(TOTAL);
    await ok('POST', '/api/units/import', token, tree.rows);
    console.log(`  import: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const plan = await ok('POST', '/api/plans', token, { code: 'BENCH', name: 'Đại hội nhiệm kỳ 2025–2030' });
    const {
      rows: [root],
    } = await pg.query(`SELECT id FROM units WHERE parent_id IS NULL`);
    const activated = await ok('POST', `/api/plans/${plan.id}/activate`, token, { rootUnitId: root.id });
    // Some progress everywhere: the first three steps done (their history is what a merge keeps).
    await pg.query(`UPDATE unit_steps SET status = 'completed' WHERE step_no <= 3`);
    console.log(`  setup: ${activated.units} units, ${activated.steps} steps in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const wanted = Number(process.env.BENCH_PROVINCE_UNITS ?? Math.round((5000 * TOTAL) / 300_000));
    let merging = { call, token };
    if (process.env.BENCH_PROFILE) {
      // Every statement of the merge calls, nested ones (triggers, functions) included, with its plan,
      // in the server log (lines of this database): a fresh API so that its connections load auto_explain.
      await app.close();
      for (const [k, v] of Object.entries({
        session_preload_libraries: 'auto_explain',
        'auto_explain.log_min_duration': process.env.BENCH_PROFILE_MIN_MS ?? '5',
        'auto_explain.log_analyze': 'on',
        'auto_explain.log_buffers': 'on',
        'auto_explain.log_nested_statements': 'on',
        'auto_explain.log_triggers': 'on',
        log_min_duration_statement: '0',
      })) {
        await pg.query(`ALTER DATABASE ${db.name} SET ${k} = '${v}'`);
      }
      const again = await startInProcessApi({
        DATABASE_URL: db.url,
        REDIS_URL,
        REDIS_PREFIX: prefix,
        ADMIN_EMAIL: admin.email,
        ADMIN_PASSWORD: admin.password,
      });
      app = again.app;
      merging = { call: again.client.call, token: await again.client.login(admin.email, admin.password) };
      console.log(`  profiling: statements of database ${db.name} in the server log from ${new Date().toISOString()}`);
    }
    const { source, target } = await pickProvinces(pg, wanted);
    t0 = performance.now();
    const r = await mergeProvince(merging.call, pg, merging.token, source, target);
    console.log(
      `  8. merge province ${r.source} (${r.units} units: ${r.districts} districts, ${r.communes} communes → ${r.newCommunes} new, ` +
        `${r.cellsMoved} cells moved) into ${r.target}: ${(r.ms / 1000).toFixed(1)} s in ${r.calls} API calls ` +
        `(${(r.ms / r.calls).toFixed(0)} ms/call); counter rows deleted ${r.counterRowsDeleted} (a national recount deletes them all); ` +
        `counters equal a recount: ${r.countersExact ? 'yes' : 'NO'}`,
    );
    const avg = (xs: number[]) => (xs.length ? xs.reduce((x, y) => x + y, 0) / xs.length : 0);
    const max = (xs: number[]) => Math.max(0, ...xs);
    console.log(
      `     per call: ${r.perCall.merges.length} commune merges avg ${avg(r.perCall.merges).toFixed(0)} ms (max ${max(r.perCall.merges).toFixed(0)}), ` +
        `${r.perCall.dissolves.length} dissolutions avg ${avg(r.perCall.dissolves).toFixed(0)} ms (max ${max(r.perCall.dissolves).toFixed(0)}), ` +
        `province merge ${r.perCall.provinceMerge.toFixed(0)} ms`,
    );
  } finally {
    await cleanup();
  }
}

if (require.main === module) runMain(main);
