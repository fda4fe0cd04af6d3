/**
 * The queries of the web app's pages on a national tree: "Việc cần làm" (/api/work), "Chờ phê
 * duyệt" (/api/approvals), the unit search (/api/units?q=) and a unit's children, each through the
 * product's own repository classes (the SQL the API runs), on roots of every size.
 *
 *   flock /tmp/bench.lock npx ts-node -r tsconfig-paths/register --transpile-only bench/web-queries.ts
 *
 * Its own database (dropped at the end), migrated; a generated tree of 63 provinces × 11 districts ×
 * 15 communes × 29 cells (312,607 units, Vietnamese names) and its 15 steps per unit written with
 * SQL (4.7M rows): each unit has completed its first k steps (k from 0 to 9), works on step k+1
 * (0.5 % of units returned, 0.2 % awaiting approval on the approval steps), and a share of the units
 * is overdue or due within 7 days on that step (BENCH_OVERDUE_SHARE 0.10, BENCH_DUE_SOON_SHARE
 * 0.075, as in bench/sweep-300k.ts). Each measure runs BENCH_RUNS (15) times; p50 and max are shown.
 * The search plans are checked to use units_search_trgm_idx (no sequential scan).
 *
 * Env: BENCH_OVERDUE_SHARE, BENCH_DUE_SOON_SHARE, BENCH_RUNS, BENCH_KEEP_DB=1 (keep the database),
 * BENCH_DATABASE_URL. Writes bench/results/web-queries-latest.json.
 */
import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { DataSource } from 'typeorm';
import { dataSourceOptions, runMigrations, Transactions } from '@app/core';
import { unitSearchCondition, UnitsRepository } from '@app/org';
import { ChildrenRepository } from '@app/workflow/children.repository';
import { WorkRepository } from '@app/workflow/work.repository';
import { createBenchDatabase, median, printTable, watchdog } from './setup';

const OVERDUE_SHARE = Number(process.env.BENCH_OVERDUE_SHARE ?? 0.1);
const DUE_SOON_SHARE = Number(process.env.BENCH_DUE_SOON_SHARE ?? 0.075);
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const TODAY = '2026-03-10';
const SOON = '2026-03-17';

const WORDS = [
  'Vũ Hội', 'Đông Hòa', 'Tân Lập', 'Hồng Phong', 'Quang Trung', 'Bình Minh', 'Ấp Bắc', 'Thái Bình', 'Nguyễn Huệ', 'Lê Lợi',
  'Phú Xuân', 'Việt Hùng', 'Song An', 'Tam Quang', 'Hòa Bình', 'Đồng Thanh', 'Minh Khai', 'Trung An', 'Xuân Hòa', 'An Bình',
]; // prettier-ignore

async function generate(ds: DataSource): Promise<void> {
  const words = `(ARRAY[${WORDS.map((w) => `'${w}'`).join(', ')}])`;
  const word = (expr: string) => `${words}[1 + (${expr}) % ${WORDS.length}]`;
  await ds.query(
    `INSERT INTO units (id, code, name, tier, parent_id, path, depth) VALUES (1, 'TW', 'Ban Chấp hành Trung ương', 'central', NULL, '1/', 0)`,
  );
  await ds.query(`INSERT INTO units (id, code, name, tier, parent_id, path, depth)
    SELECT 1 + p, 'P' || p, 'Đảng bộ tỉnh ' || ${word('p')} || ' ' || p, 'province', 1, '1/' || (1 + p) || '/', 1 FROM generate_series(1, 63) p`);
  await ds.query(`INSERT INTO units (id, code, name, tier, parent_id, path, depth)
    SELECT 100 + (p - 1) * 11 + d, 'P' || p || '-' || d, 'Huyện ủy ' || ${word('p * 11 + d')} || ' ' || p || '.' || d, 'district', 1 + p,
           '1/' || (1 + p) || '/' || (100 + (p - 1) * 11 + d) || '/', 2 FROM generate_series(1, 63) p, generate_series(1, 11) d`);
  await ds.query(`INSERT INTO units (id, code, name, tier, parent_id, path, depth)
    SELECT 1000 + (d.id - 101) * 15 + c, d.code || '-' || c, 'Đảng ủy xã ' || ${word('d.id * 15 + c')} || ' ' || d.id || '.' || c, 'grassroots',
           d.id, d.path || (1000 + (d.id - 101) * 15 + c) || '/', 3 FROM units d, generate_series(1, 15) c WHERE d.tier = 'district'`);
  await ds.query(`INSERT INTO units (id, code, name, tier, parent_id, path, depth)
    SELECT 20000 + (g.id - 1001) * 29 + k, g.code || '-' || k, 'Chi bộ thôn ' || ${word('g.id + k')} || ' ' || k, 'cell', g.id,
           g.path || (20000 + (g.id - 1001) * 29 + k) || '/', 4 FROM units g, generate_series(1, 29) k WHERE g.tier = 'grassroots'`);
  await ds.query(`SELECT setval(pg_get_serial_sequence('units', 'id'), (SELECT max(id) FROM units))`);
  await ds.query(
    `INSERT INTO users (id, email, name, password_hash, role, unit_id) VALUES (1, 'bench@bench.vn', 'Bench', 'x', 'admin', 1)`,
  );
  await ds.query(
    `INSERT INTO plans (id, code, name, status, root_unit_id, congress_windows) VALUES (1, 'KH', 'Kế hoạch', 'active', 1, '{}')`,
  );
  await ds.query(`INSERT INTO plan_steps (plan_id, no, code, title_vi, title_en, requires_approval, depends_on, deadlines)
    SELECT 1, n, 'step_' || n, 'Bước ' || n, 'Step ' || n, n IN (7, 10, 13), CASE WHEN n > 1 THEN ARRAY[n - 1]::smallint[] ELSE '{}' END, '{}'
      FROM generate_series(1, 15) n`);
  const overdue = Math.round(OVERDUE_SHARE * 1000);
  const soon = overdue + Math.round(DUE_SOON_SHARE * 1000);
  // h: the unit's draw (0..999); k: steps completed (0..9); the unit works on step k + 1.
  await ds.query(`INSERT INTO unit_steps (unit_id, step_no, plan_id, status, due_date, version, updated_at, updated_by)
    SELECT u.id, n, 1,
           CASE WHEN n <= k THEN 'completed'
                WHEN n = k + 1 AND h % 200 = 0 THEN 'returned'
                WHEN n = k + 1 AND h % 500 = 1 AND n IN (7, 10, 13) THEN 'awaiting_approval'
                WHEN n = k + 1 THEN 'in_progress' ELSE 'not_started' END,
           CASE WHEN n <= k THEN DATE '${TODAY}' - 60 + n
                WHEN n = k + 1 AND h < ${overdue} THEN DATE '${TODAY}' - 1 - h % 30
                WHEN n = k + 1 AND h < ${soon} THEN DATE '${TODAY}' + h % 8
                WHEN n <= 8 THEN DATE '${TODAY}' + 10 + n * 5 END,
           1 + (n <= k + 1)::int, timestamptz '${TODAY}' - (h || ' minutes')::interval, CASE WHEN n <= k + 1 THEN 1 END
      FROM (SELECT id, abs(hashint4(id)) % 1000 AS h, abs(hashint4(id + 7)) % 10 AS k FROM units) u, generate_series(1, 15) n
     ORDER BY u.id, n`);
  await ds.query(`VACUUM ANALYZE units`);
  await ds.query(`VACUUM ANALYZE unit_steps`);
}

async function measure(fn: () => Promise<unknown>): Promise<{ p50: number; max: number }> {
  await fn(); // warm
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return { p50: median(times), max: Math.max(...times) };
}

async function main(): Promise<void> {
  const db = await createBenchDatabase('ct_bench_web');
  const timer = watchdog(1800, () => db.drop());
  const ds = new DataSource(dataSourceOptions(db.appUrl));
  const results: Record<string, unknown> = { at: new Date().toISOString(), overdueShare: OVERDUE_SHARE, dueSoonShare: DUE_SOON_SHARE };
  try {
    await ds.initialize();
    await runMigrations(ds);
    const t0 = Date.now();
    await generate(ds);
    const [{ units, steps, waiting, dated }] = await ds.query(`SELECT (SELECT count(*)::int FROM units) AS units,
      (SELECT count(*)::int FROM unit_steps) AS steps,
      (SELECT count(*)::int FROM unit_steps WHERE status IN ('returned', 'awaiting_approval')) AS waiting,
      (SELECT count(*)::int FROM unit_steps WHERE status NOT IN ('completed', 'skipped') AND due_date <= '${SOON}') AS dated`);
    console.log(
      `${units} units, ${steps} steps (${dated} open and due by ${SOON}, ${waiting} returned or awaiting) in ${Date.now() - t0} ms`,
    );
    Object.assign(results, { units, steps, qualifying: dated + waiting });

    const work = new WorkRepository(ds.manager, new Transactions(ds));
    const children = new ChildrenRepository(ds.manager);
    const unitsRepo = new UnitsRepository(ds.manager);
    const pathOf = async (where: string) => (await ds.query(`SELECT id, path FROM units WHERE ${where} ORDER BY id LIMIT 1 OFFSET 5`))[0];
    const province = await pathOf(`tier = 'province'`);
    const district = await pathOf(`tier = 'district'`);
    const commune = await pathOf(`tier = 'grassroots'`);
    const roots = [
      { name: 'national (312k units)', path: '1/', id: 1, wholeTree: true },
      { name: 'province (~5,000 units)', path: province.path, id: province.id, wholeTree: false },
      { name: 'district (~450 units)', path: district.path, id: district.id, wholeTree: false },
    ];
    const rows: (string | number)[][] = [];
    const add = async (what: string, fn: () => Promise<unknown>) => {
      const m = await measure(fn);
      rows.push([what, m.p50.toFixed(1), m.max.toFixed(1)]);
      results[what] = m;
    };
    for (const r of roots) {
      const q = { scopePath: r.path, today: TODAY, soon: SOON, mayApprove: true, callerUnitId: 1, limit: 20, offset: 0 };
      await add(`work, ${r.name}`, () => work.workPage({ ...q, wholeTree: r.wholeTree }));
      await add(`approvals, ${r.name}`, () => work.approvalsPage({ scopePath: r.path, callerUnitId: 1, limit: 20, offset: 0 }));
      await add(`search "vu hoi", ${r.name}`, () => unitsRepo.list({ scopePath: r.path, q: 'vu hoi', limit: 20, offset: 0 }));
    }
    await add(`search "vu", national`, () => unitsRepo.list({ scopePath: '1/', q: 'vu', limit: 20, offset: 0 }));
    await add(`search "p5-3", national`, () => unitsRepo.list({ scopePath: '1/', q: 'p5-3', limit: 20, offset: 0 }));
    const kids = { status: null, search: null, today: TODAY, limit: 500, offset: 0 };
    await add(`children of a district, step 7`, () => children.page({ ...kids, parentId: district.id, stepNo: 7 }));
    await add(`children of a commune, step 1 not_started`, () =>
      children.page({ ...kids, parentId: commune.id, stepNo: 1, status: 'not_started' }),
    );
    printTable(['query (p50 / max of ' + RUNS + ' runs)', 'p50 ms', 'max ms'], rows);

    // The search plans: the trigram index, never a sequential scan of units.
    for (const q of ['vu hoi', 'vu', 'p5-3']) {
      const plan = (await ds.query(`EXPLAIN SELECT count(*) FROM units u WHERE u.path LIKE '1/%' AND ${unitSearchCondition('$1')}`, [q]))
        .map((r: { 'QUERY PLAN': string }) => r['QUERY PLAN'])
        .join('\n');
      const ok = plan.includes('units_search_trgm_idx') && !/Seq Scan on units/.test(plan);
      console.log(`search plan for "${q}": ${ok ? 'units_search_trgm_idx, no sequential scan' : `UNEXPECTED\n${plan}`}`);
      results[`plan "${q}"`] = ok ? 'trigram index' : plan;
    }
    results.loadavg = loadavg();
    console.log(
      `load average during the run: ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
    mkdirSync(resolve(__dirname, 'results'), { recursive: true });
    writeFileSync(resolve(__dirname, 'results', 'web-queries-latest.json'), `${JSON.stringify(results, null, 2)}\n`);
  } finally {
    await ds.destroy().catch(() => undefined);
    if (process.env.BENCH_KEEP_DB !== '1') await db.drop();
    else console.log(`kept database ${db.name}`);
    clearTimeout(timer);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
