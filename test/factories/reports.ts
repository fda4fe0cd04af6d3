import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { mulberry32 } from '@app/core';
import type { TestApp } from '../setup/test-app';

/**
 * Independent recounts for the reports: plain SQL over units (walked by parent_id, never by the
 * stored path) and unit_steps, built into the shape the API answers with.
 */
export const TIER_ORDER = ['central', 'province', 'district', 'grassroots', 'cell'];
export const TIER_NAMES: Record<string, string> = {
  central: 'Trung ương',
  province: 'Tỉnh, thành phố',
  district: 'Cấp trên trực tiếp cơ sở',
  grassroots: 'Tổ chức cơ sở đảng',
  cell: 'Chi bộ trực thuộc',
};
const FIELDS: Record<string, string> = {
  not_started: 'notStarted',
  in_progress: 'inProgress',
  awaiting_approval: 'awaitingApproval',
  returned: 'returned',
  completed: 'completed',
  skipped: 'skipped',
  closed: 'closed',
};
const OPEN = `us.status NOT IN ('completed', 'skipped', 'closed')`;
/** On the unit's clock (the unit's overdue): open and not submitted; an awaiting step is the approver's (approval_due). */
const UNITS_CLOCK = `us.status NOT IN ('completed', 'skipped', 'closed', 'awaiting_approval')`;

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32). */
export const seeded = mulberry32;
export const pick = <T>(rng: () => number, items: readonly T[]): T => items[Math.floor(rng() * items.length)];

/** The units of the subtree of `rootId` (root included), each with its group: the child of the root it lies under, or its tier. */
function members(groupBy: 'child' | 'tier'): string {
  const start =
    groupBy === 'child' ? `SELECT id, id AS grp FROM units WHERE parent_id = $1` : `SELECT id, id AS grp FROM units WHERE id = $1`;
  return `WITH RECURSIVE sub (id, grp) AS (${start} UNION ALL SELECT u.id, s.grp FROM units u JOIN sub s ON u.parent_id = s.id),
    m AS (SELECT s.id, ${groupBy === 'child' ? 's.grp::text' : 'u.tier'} AS grp FROM sub s JOIN units u ON u.id = s.id WHERE u.status = 'active')`;
}

const emptySteps = () =>
  Array.from({ length: 15 }, (_, i) => ({
    no: i + 1,
    notStarted: 0,
    inProgress: 0,
    awaitingApproval: 0,
    returned: 0,
    completed: 0,
    skipped: 0,
    closed: 0,
    overdue: 0,
    awaitingApprovalOverdue: 0,
  }));

/** What GET /api/reports/progress should answer for this root, grouping and day. */
export async function recountProgress(t: TestApp, rootId: number, groupBy: 'child' | 'tier', today: string): Promise<any> {
  const { rows: counts } = await t.db.query(
    `${members(groupBy)}
     SELECT m.grp, us.step_no AS no, us.status, count(*)::int AS n,
            (count(*) FILTER (WHERE ${UNITS_CLOCK} AND us.due_date < $2::date))::int AS late,
            (count(*) FILTER (WHERE us.status = 'awaiting_approval' AND us.approval_due < $2::date))::int AS "approvalLate"
       FROM m JOIN unit_steps us ON us.unit_id = m.id GROUP BY 1, 2, 3`,
    [rootId, today],
  );
  const { rows: units } = await t.db.query(
    `${members(groupBy)}
     SELECT m.grp, count(*)::int AS units,
            (count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM unit_steps us WHERE us.unit_id = m.id AND ${OPEN})))::int AS done
       FROM m WHERE EXISTS (SELECT 1 FROM unit_steps x WHERE x.unit_id = m.id) GROUP BY 1`,
    [rootId],
  );
  const heads =
    groupBy === 'child'
      ? (await t.db.query(`SELECT id, code, name FROM units WHERE parent_id = $1 AND status = 'active' ORDER BY code`, [rootId])).rows.map(
          (c) => ({
            grp: String(c.id),
            key: c.code,
            unitId: c.id,
            name: c.name,
          }),
        )
      : TIER_ORDER.filter((tier) => units.some((u) => u.grp === tier)).map((tier) => ({
          grp: tier,
          key: tier,
          unitId: null,
          name: TIER_NAMES[tier],
        }));
  const rows = heads.map(({ grp, ...head }) => {
    const u = units.find((x) => x.grp === grp);
    const steps: any[] = emptySteps();
    for (const c of counts.filter((x) => x.grp === grp)) {
      steps[c.no - 1][FIELDS[c.status]] += c.n;
      steps[c.no - 1].overdue += c.late;
      steps[c.no - 1].awaitingApprovalOverdue += c.approvalLate;
    }
    return { ...head, units: u?.units ?? 0, completedAllSteps: u?.done ?? 0, steps };
  });
  return { rootId, asOf: today, groupBy, rows };
}

/** Each unit's counting bucket (its depth-2 ancestor, or itself above depth 2), found by walking parent ids. */
const BUCKETS = `WITH RECURSIVE walk (id, depth, bucket) AS (
    SELECT id, 0, id FROM units WHERE parent_id IS NULL
    UNION ALL SELECT u.id, w.depth + 1, CASE WHEN w.depth + 1 <= 2 THEN u.id ELSE w.bucket END FROM units u JOIN walk w ON u.parent_id = w.id)`;

/** The counters tables (nonzero rows) next to a recount from unit_steps, overdue as of report_state. */
export async function countersAndRecount(t: TestApp): Promise<{ stored: unknown[]; recounted: unknown[] }> {
  const q = async (sql: string) => (await t.db.query(sql)).rows;
  const stored = [
    ...(await q(`SELECT 'step' AS kind, bucket_id AS bucket, tier, step_no AS no, status, n, overdue FROM step_counts
                  WHERE n <> 0 OR overdue <> 0 ORDER BY 2, 3, 4, 5`)),
    ...(await q(`SELECT 'unit' AS kind, bucket_id AS bucket, tier, units, units_done AS done FROM unit_counts
                  WHERE units <> 0 OR units_done <> 0 ORDER BY 2, 3`)),
  ];
  const recounted = [
    ...(await q(`${BUCKETS}
      SELECT 'step' AS kind, w.bucket, u.tier, us.step_no AS no, us.status, count(*)::int AS n,
             (count(*) FILTER (WHERE ${OPEN} AND us.due_date < (SELECT overdue_as_of FROM report_state)))::int AS overdue
        FROM unit_steps us JOIN walk w ON w.id = us.unit_id JOIN units u ON u.id = us.unit_id
       WHERE u.status = 'active'
       GROUP BY 2, 3, 4, 5 ORDER BY 2, 3, 4, 5`)),
    ...(await q(`${BUCKETS}
      SELECT 'unit' AS kind, w.bucket, u.tier, count(*)::int AS units, (count(*) FILTER (WHERE s.fin = s.total))::int AS done
        FROM (SELECT unit_id, count(*) AS total, count(*) FILTER (WHERE status IN ('completed', 'skipped', 'closed')) AS fin
                FROM unit_steps GROUP BY 1) s
        JOIN walk w ON w.id = s.unit_id JOIN units u ON u.id = s.unit_id
       WHERE u.status = 'active'
       GROUP BY 2, 3 ORDER BY 2, 3`)),
  ];
  return { stored, recounted };
}

/** Per tier, step and status: the sum over step_counts and the count over unit_steps. */
export async function tierTotals(t: TestApp): Promise<{ stored: unknown[]; counted: unknown[] }> {
  const stored = await t.db.query(
    `SELECT tier, step_no AS no, status, sum(n)::int AS n FROM step_counts GROUP BY 1, 2, 3 HAVING sum(n) <> 0 ORDER BY 1, 2, 3`,
  );
  const counted = await t.db.query(
    `SELECT u.tier, us.step_no AS no, us.status, count(*)::int AS n FROM unit_steps us JOIN units u ON u.id = us.unit_id
      WHERE u.status = 'active' GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
  );
  return { stored: stored.rows, counted: counted.rows };
}

/** The overdue list of a subtree as of `today`: steps on the unit's clock due before it, by due date, unit, step. */
export async function recountOverdue(t: TestApp, rootId: number, today: string): Promise<any[]> {
  const { rows } = await t.db.query(
    `WITH RECURSIVE sub (id) AS (SELECT id FROM units WHERE id = $1 UNION ALL SELECT u.id FROM units u JOIN sub s ON u.parent_id = s.id)
     SELECT u.id AS "unitId", u.code, u.name, us.step_no AS "stepNo", to_char(us.due_date, 'YYYY-MM-DD') AS "dueDate",
            ($2::date - us.due_date) AS "daysOverdue", us.status
       FROM sub JOIN units u ON u.id = sub.id JOIN unit_steps us ON us.unit_id = u.id
      WHERE ${UNITS_CLOCK} AND us.due_date < $2::date
      ORDER BY us.due_date, u.id, us.step_no`,
    [rootId, today],
  );
  return rows;
}

/** Reads every page of a paginated report. */
export async function allPages(t: TestApp, path: string, token: string, pageSize: number): Promise<{ total: number; items: any[] }> {
  const items: any[] = [];
  let total = -1;
  for (let page = 1; ; page++) {
    const res = await t.request('GET', `${path}${path.includes('?') ? '&' : '?'}page=${page}&pageSize=${pageSize}`, { token });
    if (res.status !== 200) throw new Error(`${path} page ${page}: ${res.status} ${JSON.stringify(res.body)}`);
    total = res.body.total;
    items.push(...res.body.items);
    if (res.body.items.length < pageSize) return { total, items };
  }
}

export interface Download {
  status: number;
  headers: Headers;
  bytes: Buffer;
}

/** GET as raw bytes (exports). */
export async function download(t: TestApp, path: string, token: string): Promise<Download> {
  const res = await fetch(`${t.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

/** A CSV export parsed back: the header row and the data rows, all strings. */
export function parseCsv(bytes: Buffer, delimiter = ','): { header: string[]; rows: string[][] } {
  const records: string[][] = parse(bytes.subarray(3).toString('utf8'), { relax_column_count: false, delimiter });
  return { header: records[0], rows: records.slice(1) };
}

/** An XLSX export opened back with exceljs: the first sheet's rows as arrays of cell values. */
export async function readXlsx(bytes: Buffer): Promise<{ name: string; header: unknown[]; rows: unknown[][]; bold: boolean }> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as any);
  const sheet = workbook.worksheets[0];
  const values: unknown[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row) => values.push((row.values as unknown[]).slice(1)));
  return { name: sheet.name, header: values[0], rows: values.slice(1), bold: sheet.getRow(1).font?.bold === true };
}

/** An XLSX report export opened back: its title rows, header, data rows, totals row and how the sheet is set up. */
export interface XlsxReport {
  name: string;
  title: unknown;
  subtitle: unknown;
  header: unknown[];
  headerBold: boolean;
  rows: unknown[][];
  totals: unknown[];
  /** The number format of each column's cells in the first data row. */
  formats: (string | undefined)[];
  frozen: { state?: string; ySplit?: number } | undefined;
  autoFilter: unknown;
}

export async function readXlsxReport(bytes: Buffer): Promise<XlsxReport> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as any);
  const sheet = workbook.worksheets[0];
  const values: unknown[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row) => values.push((row.values as unknown[]).slice(1)));
  const header = values[2];
  return {
    name: sheet.name,
    title: values[0][0],
    subtitle: values[1][0],
    header,
    headerBold: sheet.getRow(3).font?.bold === true,
    rows: values.slice(3, -1),
    totals: values[values.length - 1],
    formats: header.map((_, i) => (values.length > 4 ? sheet.getRow(4).getCell(i + 1).numFmt : undefined)),
    frozen: sheet.views[0] as XlsxReport['frozen'],
    autoFilter: sheet.autoFilter,
  };
}

/** Today in Vietnam, computed here (not by the product's Clock). */
export const vietnamToday = (at = new Date()): string =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);

/** GET /api/reports/progress and its recount for the same day. */
export async function progressAndRecount(t: TestApp, rootId: number, groupBy: 'child' | 'tier', token = t.adminToken) {
  const res = await t.request('GET', `/api/reports/progress?rootId=${rootId}&groupBy=${groupBy}`, { token });
  if (res.status !== 200) throw new Error(`progress ${rootId} ${groupBy}: ${res.status} ${JSON.stringify(res.body)}`);
  return { actual: res.body, expected: await recountProgress(t, rootId, groupBy, res.body.asOf) };
}

/** step_counts_top (nonzero rows) next to a recount of the active units per depth-1 ancestor (walked by parent ids), overdue as of report_state. */
export async function topCountersAndRecount(t: TestApp): Promise<{ stored: unknown[]; recounted: unknown[] }> {
  const stored = await t.db.query(
    `SELECT anchor_id AS anchor, step_no AS no, status, n, overdue FROM step_counts_top WHERE n <> 0 OR overdue <> 0 ORDER BY 1, 2, 3`,
  );
  const recounted = await t.db.query(
    `WITH RECURSIVE walk (id, depth, anchor) AS (
       SELECT id, 0, id FROM units WHERE parent_id IS NULL
       UNION ALL SELECT u.id, w.depth + 1, CASE WHEN w.depth = 0 THEN u.id ELSE w.anchor END FROM units u JOIN walk w ON u.parent_id = w.id)
     SELECT w.anchor, us.step_no AS no, us.status, count(*)::int AS n,
            (count(*) FILTER (WHERE ${OPEN} AND us.due_date < (SELECT overdue_as_of FROM report_state)))::int AS overdue
       FROM unit_steps us JOIN walk w ON w.id = us.unit_id JOIN units u ON u.id = us.unit_id
      WHERE u.status = 'active' GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
  );
  return { stored: stored.rows, recounted: recounted.rows };
}
