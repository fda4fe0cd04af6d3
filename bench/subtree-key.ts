/**
 * The subtree key decision, measured: on the 300,000-unit national tree of bench/import-300k.ts,
 * (1) the materialized path `path text COLLATE "C"` + b-tree index, subtree = `path LIKE 'x%'`
 * against (2) PostgreSQL's ltree (same ids, '/' → '.') + GiST index, subtree = `lpath <@ 'x'`.
 * For each query: the plan, buffers and execution time of EXPLAIN (ANALYZE, BUFFERS), and the
 * median client round trip of repeated runs; then index sizes and build times.
 *
 *   npx ts-node -r tsconfig-paths/register --transpile-only bench/subtree-key.ts
 *
 * Env: BENCH_UNITS (300000), BENCH_RUNS (20), BENCH_EXPLAIN=1 prints every plan in full,
 * BENCH_TIMEOUT_S (900), BENCH_DATABASE_URL (maintenance db), DVHCVN_PATH.
 */
import 'reflect-metadata';
import { Client } from 'pg';
import { createMigratedBenchDatabase, median, printTable, watchdog, runMain } from './setup';
import { nationalTree } from './national-tree';

const TOTAL = Number(process.env.BENCH_UNITS ?? 300_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const SHOW_PLANS = process.env.BENCH_EXPLAIN === '1';
const TIMEOUT_S = Number(process.env.BENCH_TIMEOUT_S ?? 900);
const BATCH = 20_000;

/** Loads root + tree with ids and paths computed here (parents come before their children). */
async function load(client: Client, rows: ReturnType<typeof nationalTree>['rows']): Promise<Map<string, { id: number; path: string }>> {
  const rootId = 1;
  await client.query(
    `INSERT INTO units (id, code, name, tier, parent_id, path, depth) VALUES (1, 'TW', 'Ban Chấp hành Trung ương', 'central', NULL, '1/', 0)`,
  );
  const byCode = new Map<string, { id: number; path: string; depth: number }>([['TW', { id: rootId, path: `${rootId}/`, depth: 0 }]]);
  let nextId = rootId + 1;
  for (let i = 0; i < rows.length; i += BATCH) {
    const cols = { id: [] as number[], code: [] as string[], name: [] as string[], tier: [] as string[], parent: [] as number[] };
    const paths: string[] = [];
    const depths: number[] = [];
    for (const r of rows.slice(i, i + BATCH)) {
      const parent = byCode.get(r.parentCode);
      if (!parent) throw new Error(`parent ${r.parentCode} of ${r.code} comes later`);
      const id = nextId++;
      const unit = { id, path: `${parent.path}${id}/`, depth: parent.depth + 1 };
      byCode.set(r.code, unit);
      cols.id.push(id);
      cols.code.push(r.code);
      cols.name.push(r.name);
      cols.tier.push(r.tier);
      cols.parent.push(parent.id);
      paths.push(unit.path);
      depths.push(unit.depth);
    }
    await client.query(
      `INSERT INTO units (id, code, name, tier, parent_id, path, depth)
       SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::int[], $6::text[], $7::int[])`,
      [cols.id, cols.code, cols.name, cols.tier, cols.parent, paths, depths],
    );
  }
  await client.query(`SELECT setval(pg_get_serial_sequence('units', 'id'), $1)`, [nextId - 1]);
  return byCode;
}

interface PlanSummary {
  ms: number;
  plan: string;
  buffers: string;
  text: string;
}

async function explain(client: Client, sql: string): Promise<PlanSummary> {
  const lines: string[] = (await client.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`)).rows.map((r) => r['QUERY PLAN']);
  const text = lines.join('\n');
  const ms = Number(/Execution Time: ([\d.]+) ms/.exec(text)?.[1] ?? NaN);
  // The scan nodes, e.g. "Index Only Scan using units_path_idx", "Bitmap Index Scan on units_lpath_gist", "Seq Scan on units".
  const nodes = lines
    .map(
      (l) =>
        /^\s*(?:->\s*)?((?:Parallel )?(?:Index Only Scan|Index Scan|Bitmap Index Scan|Bitmap Heap Scan|Seq Scan|Sort|Incremental Sort)\b[^(]*)\(/.exec(
          l,
        )?.[1],
    )
    .filter((n): n is string => !!n)
    .map((n) => n.trim().replace(/ on units( u)?$/, ''));
  const top = /Buffers: (shared [^\n]+)/.exec(text)?.[1] ?? '';
  return { ms, plan: [...new Set(nodes)].join(' + '), buffers: top.replace('shared ', ''), text };
}

/** The median server-side Execution Time of RUNS × EXPLAIN (ANALYZE, TIMING OFF): no network, no row transfer. */
async function execMedian(client: Client, sql: string): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const text = (await client.query(`EXPLAIN (ANALYZE, TIMING OFF) ${sql}`)).rows.map((r) => r['QUERY PLAN']).join('\n');
    times.push(Number(/Execution Time: ([\d.]+) ms/.exec(text)?.[1] ?? NaN));
  }
  return median(times);
}

async function timeRuns(client: Client, sql: string, params: unknown[]): Promise<{ median: number; rows: number }> {
  let rows = 0;
  for (let i = 0; i < 3; i++) rows = (await client.query(sql, params)).rowCount ?? 0; // warm-up
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await client.query(sql, params);
    times.push(performance.now() - t0);
  }
  return { median: median(times), rows };
}

async function main(): Promise<void> {
  const db = await createMigratedBenchDatabase('ct_bench_subtree');
  let client: Client | undefined;
  const cleanup = async () => {
    await client?.end().catch(() => undefined);
    await db.drop();
  };
  watchdog(TIMEOUT_S, cleanup);
  try {
    client = new Client({ connectionString: db.url });
    await client.connect();
    await client.query(`SET statement_timeout = '120s'`);
    const tree = nationalTree(TOTAL);
    let t0 = performance.now();
    const byCode = await load(client, tree.rows);
    console.log(
      `Loaded the root and ${tree.rows.length.toLocaleString('en')} units from ${tree.source} in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );

    const ltreeVersion = (await client.query(
      `CREATE EXTENSION IF NOT EXISTS ltree; SELECT extversion FROM pg_extension WHERE extname = 'ltree'`,
    )) as unknown as {
      rows: { extversion: string }[];
    }[];
    console.log(`CREATE EXTENSION ltree: ok (version ${ltreeVersion[1].rows[0].extversion})`);
    await client.query(`ALTER TABLE units ADD COLUMN lpath ltree`);
    t0 = performance.now();
    await client.query(`UPDATE units SET lpath = text2ltree(rtrim(replace(path, '/', '.'), '.'))`);
    const fillS = (performance.now() - t0) / 1000;
    await client.query(`VACUUM FULL units`); // the UPDATE left a dead copy of every row: start both keys from a compact table
    // Build (rebuild) both indexes the same way, and time them.
    await client.query(`DROP INDEX units_path_idx`);
    t0 = performance.now();
    await client.query(`CREATE INDEX units_path_idx ON units (path)`);
    const btreeBuildS = (performance.now() - t0) / 1000;
    t0 = performance.now();
    await client.query(`CREATE INDEX units_lpath_gist ON units USING gist (lpath)`);
    const gistBuildS = (performance.now() - t0) / 1000;
    await client.query(`VACUUM ANALYZE units`);
    console.log(`ltree column filled in ${fillS.toFixed(1)} s`);

    const unit = (code: string) => {
      const u = byCode.get(code);
      if (!u) throw new Error(`no unit ${code}`);
      return { like: `${u.path}%`, ltree: u.path.replace(/\/$/, '').replace(/\//g, '.') };
    };
    const province = unit(tree.samples.province);
    const largest = unit(tree.samples.largestProvince);
    const district = unit(tree.samples.district);
    const root = unit('TW');
    const COLS = `id, code, name, tier, parent_id, path, depth, contact_emails`;
    const cases: { name: string; path: string; ltree: string; key: { like: string; ltree: string } }[] = [];
    const count = (name: string, k: { like: string; ltree: string }) =>
      cases.push({
        name,
        path: `SELECT count(*) FROM units WHERE path LIKE $1`,
        ltree: `SELECT count(*) FROM units WHERE lpath <@ $1::ltree`,
        key: k,
      });
    count(`count: province ${tree.samples.province} (Thái Bình)`, province);
    count(`count: largest province ${tree.samples.largestProvince}`, largest);
    count(`count: district ${tree.samples.district}`, district);
    count('count: national root TW', root);
    cases.push({
      name: `rows: district ${tree.samples.district}, ORDER BY path`,
      path: `SELECT ${COLS} FROM units WHERE path LIKE $1 ORDER BY path`,
      ltree: `SELECT ${COLS} FROM units WHERE lpath <@ $1::ltree ORDER BY path`,
      key: district,
    });
    cases.push({
      name: `rows: district ${tree.samples.district}, unordered`,
      path: `SELECT ${COLS} FROM units WHERE path LIKE $1`,
      ltree: `SELECT ${COLS} FROM units WHERE lpath <@ $1::ltree`,
      key: district,
    });
    cases.push({
      name: `rows: province ${tree.samples.province}, ORDER BY path`,
      path: `SELECT ${COLS} FROM units WHERE path LIKE $1 ORDER BY path`,
      ltree: `SELECT ${COLS} FROM units WHERE lpath <@ $1::ltree ORDER BY path`,
      key: province,
    });
    cases.push({
      name: 'page: root subtree, first 50 by path',
      path: `SELECT ${COLS} FROM units WHERE path LIKE $1 ORDER BY path LIMIT 50`,
      ltree: `SELECT ${COLS} FROM units WHERE lpath <@ $1::ltree ORDER BY path LIMIT 50`,
      key: root,
    });

    const table: (string | number)[][] = [];
    const plans: string[] = [];
    for (const c of cases) {
      const { like: likeArg, ltree: ltreeArg } = c.key;
      const literal = (sql: string, v: string) => sql.replace('$1::ltree', `'${v}'::ltree`).replace('$1', `'${v}'`);
      // Timed runs first (they warm the cache), then one EXPLAIN (ANALYZE, BUFFERS) each.
      const tp = await timeRuns(client, c.path, [likeArg]);
      const tl = await timeRuns(client, c.ltree, [ltreeArg]);
      const ep = await explain(client, literal(c.path, likeArg));
      const el = await explain(client, literal(c.ltree, ltreeArg));
      const execP = await execMedian(client, literal(c.path, likeArg));
      const execL = await execMedian(client, literal(c.ltree, ltreeArg));
      const resultOf = async (sql: string, v: string) => {
        const r = await client!.query(sql, [v]);
        return sql.startsWith('SELECT count') ? Number(r.rows[0].count) : r.rowCount;
      };
      const np = await resultOf(c.path, likeArg);
      const nl = await resultOf(c.ltree, ltreeArg);
      if (np !== nl) throw new Error(`${c.name}: path gives ${np}, ltree gives ${nl}`);
      table.push([
        c.name,
        np ?? 0,
        tp.median.toFixed(2),
        tl.median.toFixed(2),
        execP.toFixed(2),
        execL.toFixed(2),
        (execL / execP).toFixed(1) + '×',
        ep.buffers,
        el.buffers,
      ]);
      plans.push(`${c.name}\n  path : ${ep.plan}\n  ltree: ${el.plan}`);
      if (SHOW_PLANS) plans.push(`--- path LIKE ---\n${ep.text}\n--- ltree <@ ---\n${el.text}`);
    }

    const sizes = (
      await client.query(`
      SELECT pg_size_pretty(pg_relation_size('units_path_idx')) AS btree, pg_relation_size('units_path_idx') AS btree_b,
             pg_size_pretty(pg_relation_size('units_lpath_gist')) AS gist, pg_relation_size('units_lpath_gist') AS gist_b,
             (SELECT avg(pg_column_size(path))::numeric(6,1) FROM units) AS path_bytes,
             (SELECT avg(pg_column_size(lpath))::numeric(6,1) FROM units) AS lpath_bytes,
             pg_size_pretty(pg_table_size('units')) AS table_size`)
    ).rows[0];

    console.log(
      `\nSubtree queries on ${(tree.rows.length + 1).toLocaleString('en')} units (warm cache; median of ${RUNS} runs: "ms" = client round trip incl. rows, "exec ms" = server Execution Time)\n`,
    );
    printTable(
      ['query', 'rows/count', 'LIKE ms', 'ltree ms', 'LIKE exec ms', 'ltree exec ms', 'ltree/LIKE exec', 'LIKE buffers', 'ltree buffers'],
      table,
    );
    console.log('\nPlans (EXPLAIN (ANALYZE, BUFFERS); buffers above are from it)\n');
    console.log(plans.join('\n'));
    console.log('');
    printTable(
      ['key', 'index', 'index size', 'build s', 'avg key bytes'],
      [
        ['path text COLLATE "C"', 'b-tree units_path_idx', sizes.btree, btreeBuildS.toFixed(2), sizes.path_bytes],
        ['lpath ltree', 'GiST units_lpath_gist', sizes.gist, gistBuildS.toFixed(2), sizes.lpath_bytes],
      ],
    );
    console.log(
      `\nGiST / b-tree index size: ${(Number(sizes.gist_b) / Number(sizes.btree_b)).toFixed(1)}×; table with both columns: ${sizes.table_size}`,
    );
  } finally {
    await cleanup();
  }
}

runMain(main);
