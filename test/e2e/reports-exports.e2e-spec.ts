import { startTestApp, TestApp } from '../setup/test-app';
import { generateTree } from '../factories/tree';
import { plannedTree } from '../factories/workflow';
import { allPages, download, Download, parseCsv, readXlsxReport, seeded, TIER_NAMES, vietnamToday } from '../factories/reports';
import { congressDay, provinceActors, randomTransitions } from '../factories/reports-drive';

/**
 * format=csv (UTF-8 with a byte-order mark; sep=semicolon for Excel in a Vietnamese locale) and
 * format=xlsx of the three reports, read back with csv-parse and exceljs: Vietnamese headers, every
 * row equal to the JSON report, and the XLSX ready to hand upward: a title row (report, subtree,
 * as-of date), a frozen header with an autofilter, real dates shown dd/mm/yyyy, numbers as numbers,
 * a totals row, the parent unit beside each unit, the 4 contents by name with the reason when one
 * did not apply, and progress also wide (one row per unit, one column per step). The overdue list
 * has more than one export page (5,000 rows), with ties on the due date across the boundary.
 */
const STATUS: Record<string, string> = {
  not_started: 'Chưa bắt đầu',
  in_progress: 'Đang thực hiện',
  awaiting_approval: 'Chờ phê duyệt',
  returned: 'Trả lại, đề nghị hoàn thiện',
  completed: 'Đã hoàn thành',
  skipped: 'Không thực hiện',
  closed: 'Đã đóng',
};
const CONTENT: Record<string, string> = { done: 'Đã thực hiện', not_done: 'Chưa thực hiện', not_applicable: 'Không áp dụng' };
const CONTENT_NAMES = ['Báo cáo chính trị', 'Góp ý văn kiện cấp trên', 'Bầu cấp ủy khóa mới', 'Bầu đại biểu dự đại hội cấp trên'];
const KIND: Record<string, string> = { delegates: 'Đại hội đại biểu', members: 'Đại hội đảng viên' };
const TYPE: Record<string, string> = {
  full: 'Đại hội 4 nội dung',
  three_contents: 'Đại hội 3 nội dung',
  two_contents: 'Đại hội 2 nội dung',
};
const vn = (date: string) => date.split('-').reverse().join('/');
const utc = (date: string) => new Date(`${date}T00:00:00Z`);

/** A date cell: a Date in XLSX, dd/mm/yyyy text in CSV. */
class Day {
  constructor(readonly iso: string) {}
}

const HEADERS = {
  progress: ['Mã', 'Tên', 'Số đơn vị', 'Hoàn thành tất cả các bước', 'Bước', ...Object.values(STATUS), 'Quá hạn'],
  progressWide: (child: boolean) => [
    'Mã',
    'Tên',
    ...(child ? ['Đơn vị cấp trên'] : []),
    'Số đơn vị',
    'Hoàn thành tất cả các bước',
    'Tỷ lệ hoàn thành tất cả các bước',
    ...Array.from({ length: 15 }, (_, i) => `Bước ${i + 1}: đã xong`),
    'Số bước quá hạn',
  ],
  contents: [
    'Mã đơn vị',
    'Tên đơn vị',
    'Đơn vị cấp trên',
    'Cấp',
    'Ngày đại hội',
    'Hình thức',
    'Loại đại hội',
    'Đại hội điểm',
    ...CONTENT_NAMES,
    'Lý do không thực hiện',
    'Số nội dung áp dụng',
    'Hoàn thành đủ nội dung',
    'Nội dung còn thiếu',
  ],
  overdue: [
    'Mã đơn vị',
    'Tên đơn vị',
    'Đơn vị cấp trên',
    'Cấp',
    'Bước',
    'Nội dung bước',
    'Hạn hoàn thành',
    'Số ngày quá hạn',
    'Trạng thái',
  ],
};

/** The rows an export should hold, typed as in the XLSX cells, from the JSON report. */
const LINES = {
  progress: (body: any) =>
    body.rows.flatMap((r: any) =>
      r.steps.map((s: any) => [
        r.key,
        r.name,
        r.units,
        r.completedAllSteps,
        s.no,
        s.notStarted,
        s.inProgress,
        s.awaitingApproval,
        s.returned,
        s.completed,
        s.skipped,
        s.closed,
        s.overdue,
      ]),
    ),
  progressWide: (body: any, parent: string | null) =>
    body.rows.map((r: any) => [
      r.key,
      r.name,
      ...(parent === null ? [] : [parent]),
      r.units,
      r.completedAllSteps,
      r.units > 0 ? Math.round((r.completedAllSteps * 10_000) / r.units) / 100 / 100 : null,
      ...r.steps.map((s: any) => s.completed + s.skipped),
      r.steps.reduce((n: number, s: any) => n + s.overdue, 0),
    ]),
  contents: (items: any[]) =>
    items.map((i) => [
      i.code,
      i.name,
      i.parentName,
      TIER_NAMES[i.tier],
      new Day(i.heldOn),
      KIND[i.kind],
      TYPE[i.congressType],
      i.pilot ? 'Có' : '',
      ...i.contents.map((c: string | null) => (c ? CONTENT[c] : 'Chưa ghi nhận')),
      i.contents
        .map((c: string | null, k: number) => (c === 'not_applicable' ? `${CONTENT_NAMES[k]}: ${i.notes[String(k + 1)]}` : null))
        .filter((x: string | null) => x !== null)
        .join('; '),
      i.applicableContents,
      i.completedAll ? 'Có' : 'Không',
      i.missing.map((no: number) => CONTENT_NAMES[no - 1]).join(', '),
    ]),
  overdue: (items: any[]) =>
    items.map((i) => [
      i.code,
      i.name,
      i.parentName,
      TIER_NAMES[i.tier],
      i.stepNo,
      i.title,
      new Day(i.dueDate),
      i.daysOverdue,
      STATUS[i.status],
    ]),
};

/** The column of a contents export header. */
const contentsAt = (header: string) => HEADERS.contents.indexOf(header);

const asCsv = (v: unknown) => (v instanceof Day ? vn(v.iso) : String(v ?? ''));
const asXlsx = (v: unknown) => (v instanceof Day ? utc(v.iso) : v === null || v === '' ? '' : v);

function expectAttachment(file: Download, name: string, format: 'csv' | 'xlsx') {
  expect(file.status).toBe(200);
  expect(file.headers.get('content-type')).toBe(
    format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  );
  expect(file.headers.get('content-disposition')).toBe(`attachment; filename="${name}.${format}"; filename*=UTF-8''${name}.${format}`);
}

async function expectCsv(file: Download, header: string[], lines: unknown[][], delimiter = ',') {
  expect([...file.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  expect(file.bytes.subarray(3, 3 + Buffer.byteLength(header[0])).toString('utf8')).toBe(header[0]);
  expect(file.bytes.subarray(3).toString('utf8').startsWith(`${header[0]}${delimiter}${header[1]}${delimiter}`)).toBe(true);
  const csv = parseCsv(file.bytes, delimiter);
  expect(csv.header).toEqual(header);
  expect(csv.rows).toEqual(lines.map((l) => l.map(asCsv)));
}

interface Expected {
  sheet: string;
  title: string;
  subtree: string;
  asOf: string;
  header: string[];
  lines: unknown[][];
  /** Column header → number format of its cells. */
  formats: Record<string, string>;
  /** Column header → the totals row's value: a sum or a count of the rows (SUBTOTAL formulas with their results). */
  totals: Record<string, { fn: 109 | 103; result: number }>;
}

async function expectXlsx(file: Download, e: Expected) {
  expect([...file.bytes.subarray(0, 2)]).toEqual([0x50, 0x4b]); // a zip
  const book = await readXlsxReport(file.bytes);
  const last = String.fromCharCode(64 + e.header.length);
  expect(book.name).toBe(e.sheet);
  expect(book.title).toBe(e.title);
  expect(book.subtitle).toBe(`Đơn vị: ${e.subtree}. Số liệu tính đến ngày ${vn(e.asOf)}`);
  expect(book.header).toEqual(e.header);
  expect(book.headerBold).toBe(true);
  expect(book.frozen).toMatchObject({ state: 'frozen', ySplit: 3 });
  expect(book.autoFilter).toBe(`A3:${last}3`);
  const cells = (row: unknown[]) => Array.from({ length: e.header.length }, (_, i) => asXlsx(row[i] ?? ''));
  expect(book.rows.map(cells)).toEqual(e.lines.map(cells));
  // Types: numbers are numbers, dates are dates, both formatted.
  for (const [header, format] of Object.entries(e.formats)) {
    const col = e.header.indexOf(header);
    expect(book.formats[col]).toBe(format);
    for (const row of book.rows) if (row[col] !== undefined) expect(typeof row[col] === 'number' || row[col] instanceof Date).toBe(true);
  }
  expect(book.totals[0]).toBe('Tổng cộng');
  const first = 4;
  const lastRow = 3 + Math.max(e.lines.length, 1);
  for (const [header, { fn, result }] of Object.entries(e.totals)) {
    const col = String.fromCharCode(65 + e.header.indexOf(header));
    const cell = book.totals[e.header.indexOf(header)] as { formula: string; result?: number };
    // exceljs leaves a cached 0 out of the file (<f> without <v>): spreadsheet programs compute it on opening.
    expect({ formula: cell.formula, result: cell.result ?? 0 }).toEqual({
      formula: `SUBTOTAL(${fn},${col}${first}:${col}${lastRow})`,
      result,
    });
  }
}

const sum = (lines: unknown[][], col: number) => lines.reduce((n, l) => n + (l[col] as number), 0);

describe('report exports: CSV and XLSX read back equal the JSON', () => {
  let t: TestApp;
  let ids: Record<string, number>;

  beforeAll(async () => {
    t = await startTestApp();
    const rows = generateTree({ provinces: 3, districts: 4, communes: 6, cells: 4 }, 'T');
    let planId: number;
    ({ ids, planId } = await plannedTree(t, rows));
    // Every step gets an absolute due date per tier in 2025: with the real clock, every open step is overdue.
    for (let no = 2; no <= 15; no++) {
      const deadlines = Object.fromEntries(
        ['central', 'province', 'district', 'grassroots', 'cell'].map((tier, k) => [
          tier,
          { date: `2025-${String(1 + k * 2).padStart(2, '0')}-${String(no).padStart(2, '0')}` },
        ]),
      );
      expect((await t.request('PATCH', `/api/plans/${planId}/steps/${no}`, { token: t.adminToken, body: { deadlines } })).status).toBe(200);
    }
    const rng = seeded(11);
    await randomTransitions(
      t,
      provinceActors(t),
      rows.slice(0, 40).map((r) => ids[r.code]),
      80,
      rng,
    );
    const record = (no: number, status: string) => ({ no, status, ...(status === 'not_applicable' ? { note: 'Sáp nhập' } : {}) });
    const mixes = [
      ['done', 'done', 'done', 'done'],
      ['done', 'done', 'not_applicable', 'done'],
      ['done', 'done', 'not_applicable', 'not_applicable'],
      ['done', 'not_done', 'done', 'done'],
      ['done', 'done', 'done'],
    ];
    // The superior decides the format of the units whose mix leaves contents out; the congress is held in its tier's window.
    const formats = ['full', 'three_contents', 'two_contents', 'full', 'full'];
    for (const [i, row] of rows.slice(0, 30).entries()) {
      const congressType = formats[i % formats.length];
      if (congressType !== 'full') {
        const res = await t.request('PATCH', `/api/units/${ids[row.code]}`, { token: t.adminToken, body: { congressType } });
        expect(res.status).toBe(200);
      }
      const contents = mixes[i % mixes.length].map((s, n) => record(n + 1, s));
      const body = { heldOn: congressDay(rng, row.tier), kind: i % 2 ? 'members' : 'delegates', contents };
      expect((await t.request('PUT', `/api/units/${ids[row.code]}/congress`, { token: t.adminToken, body })).status).toBe(200);
    }
  }, 300_000);
  afterAll(async () => t?.close());
  const unit = async (id: number): Promise<{ name: string; code: string }> =>
    (await t.db.query(`SELECT name, code FROM units WHERE id = $1`, [id])).rows[0];

  it.each([
    ['TW', 'child'],
    ['T2', 'tier'],
    ['T1-3', 'child'],
  ])('progress of %s by %s', async (code, groupBy) => {
    const rootId = code === 'TW' ? t.rootUnitId : ids[code];
    const json = await t.request('GET', `/api/reports/progress?rootId=${rootId}&groupBy=${groupBy}`, { token: t.adminToken });
    const lines = LINES.progress(json.body);
    expect(lines.length).toBe(json.body.rows.length * 15);
    const root = await unit(rootId);
    const common = {
      title: `Tiến độ chuẩn bị đại hội ${groupBy === 'tier' ? 'theo cấp' : 'theo đơn vị trực thuộc'}`,
      subtree: `${root.name} (${code})`,
      asOf: json.body.asOf,
    };
    for (const format of ['csv', 'xlsx'] as const) {
      const file = await download(t, `/api/reports/progress?rootId=${rootId}&groupBy=${groupBy}&format=${format}`, t.adminToken);
      expectAttachment(file, `tien-do-${code}`, format);
      if (format === 'csv') await expectCsv(file, HEADERS.progress, lines);
      else
        await expectXlsx(file, {
          ...common,
          sheet: `tien-do-${code}`,
          header: HEADERS.progress,
          lines,
          formats: { 'Số đơn vị': '#,##0', Bước: '#,##0', 'Quá hạn': '#,##0' },
          totals: Object.fromEntries(HEADERS.progress.slice(5).map((h, k) => [h, { fn: 109, result: sum(lines, 5 + k) }])),
        });
    }

    // Wide: one row per group, one column per step; the parent beside each child unit.
    const parent = groupBy === 'child' ? root.name : null;
    const wide = LINES.progressWide(json.body, parent);
    const header = HEADERS.progressWide(groupBy === 'child');
    const at = (h: string) => header.indexOf(h);
    const name = `tien-do-${code}-bang-ngang`;
    const xlsx = await download(t, `/api/reports/progress?rootId=${rootId}&groupBy=${groupBy}&layout=wide&format=xlsx`, t.adminToken);
    expectAttachment(xlsx, name, 'xlsx');
    await expectXlsx(xlsx, {
      ...common,
      sheet: name,
      header,
      lines: wide,
      formats: { 'Số đơn vị': '#,##0', 'Tỷ lệ hoàn thành tất cả các bước': '0.00%', 'Bước 15: đã xong': '#,##0' },
      totals: Object.fromEntries(
        ['Số đơn vị', 'Hoàn thành tất cả các bước', 'Bước 1: đã xong', 'Bước 12: đã xong', 'Số bước quá hạn'].map((h) => [
          h,
          { fn: 109, result: sum(wide, at(h)) },
        ]),
      ),
    });
    // The wide totals equal the long file's: units that finished a step are completed + skipped of that step.
    expect(sum(wide, at('Số bước quá hạn'))).toBe(sum(lines, HEADERS.progress.indexOf('Quá hạn')));
    const csv = await download(
      t,
      `/api/reports/progress?rootId=${rootId}&groupBy=${groupBy}&layout=wide&format=csv&sep=semicolon`,
      t.adminToken,
    );
    expectAttachment(csv, name, 'csv');
    await expectCsv(csv, header, wide, ';');
  });

  it.each([
    ['TW', ''],
    ['TW', '&completedAll=false'],
    ['T1', '&tier=cell'],
  ])('contents of %s%s', async (code, query) => {
    const rootId = code === 'TW' ? t.rootUnitId : ids[code];
    const { items } = await allPages(t, `/api/reports/contents?rootId=${rootId}${query}`, t.adminToken, 1000);
    expect(items.length).toBeGreaterThan(0);
    const lines = LINES.contents(items);
    if (query === '') {
      expect(lines.filter((l) => l.includes('Chưa ghi nhận'))).toHaveLength(6);
      // The reasons are what was recorded, by content name; every unit has its parent beside it.
      expect(lines.map((l) => l[contentsAt('Lý do không thực hiện')])).toContain(
        'Bầu cấp ủy khóa mới: Sáp nhập; Bầu đại biểu dự đại hội cấp trên: Sáp nhập',
      );
      expect(lines.map((l) => l[contentsAt('Nội dung còn thiếu')])).toContain('Góp ý văn kiện cấp trên');
      expect(lines.every((l) => typeof l[2] === 'string' && l[2] !== '')).toBe(true);
    }
    const root = await unit(rootId);
    for (const format of ['csv', 'xlsx'] as const) {
      const file = await download(t, `/api/reports/contents?rootId=${rootId}${query}&format=${format}`, t.adminToken);
      expectAttachment(file, `bao-cao-4-noi-dung-${code}`, format);
      if (format === 'csv') await expectCsv(file, HEADERS.contents, lines);
      else
        await expectXlsx(file, {
          sheet: `bao-cao-4-noi-dung-${code}`,
          title: 'Báo cáo kết quả thực hiện 4 nội dung đại hội',
          subtree: `${root.name} (${code})`,
          asOf: vietnamToday(),
          header: HEADERS.contents,
          lines,
          formats: { 'Ngày đại hội': 'dd/mm/yyyy', 'Số nội dung áp dụng': '#,##0' },
          totals: {
            'Tên đơn vị': { fn: 103, result: lines.length },
            'Số nội dung áp dụng': { fn: 109, result: sum(lines, contentsAt('Số nội dung áp dụng')) },
          },
        });
    }
    const semicolon = await download(t, `/api/reports/contents?rootId=${rootId}${query}&format=csv&sep=%3B`, t.adminToken);
    await expectCsv(semicolon, HEADERS.contents, lines, ';');
  });

  it.each(['TW', 'T3-4'])('overdue list of %s (beyond one 5,000-row export page for TW)', async (code) => {
    const rootId = code === 'TW' ? t.rootUnitId : ids[code];
    const { total, items } = await allPages(t, `/api/reports/overdue?rootId=${rootId}`, t.adminToken, 1000);
    expect(items).toHaveLength(total);
    if (code === 'TW') expect(total).toBeGreaterThan(5000);
    const lines = LINES.overdue(items);
    // The parent beside each unit is its parent in the tree.
    const parents = await t.db.query(`SELECT u.id, p.name FROM units u JOIN units p ON p.id = u.parent_id`);
    const parentOf = new Map(parents.rows.map((r) => [r.id, r.name]));
    expect(items.filter((i) => i.parentName !== (parentOf.get(i.unitId) ?? null))).toEqual([]);
    const root = await unit(rootId);
    for (const format of ['csv', 'xlsx'] as const) {
      const file = await download(t, `/api/reports/overdue?rootId=${rootId}&format=${format}`, t.adminToken);
      expectAttachment(file, `danh-sach-qua-han-${code}`, format);
      if (format === 'csv') await expectCsv(file, HEADERS.overdue, lines);
      else
        await expectXlsx(file, {
          sheet: `danh-sach-qua-han-${code}`,
          title: 'Danh sách đơn vị quá hạn',
          subtree: `${root.name} (${code})`,
          asOf: vietnamToday(),
          header: HEADERS.overdue,
          lines,
          formats: { 'Hạn hoàn thành': 'dd/mm/yyyy', 'Số ngày quá hạn': '#,##0', Bước: '#,##0' },
          totals: { 'Tên đơn vị': { fn: 103, result: total } },
        });
    }
  });

  it('rejects an unknown separator or layout with a 400 naming the field', async () => {
    for (const query of ['sep=tab', 'layout=tall']) {
      const res = await t.request('GET', `/api/reports/progress?format=csv&${query}`, { token: t.adminToken });
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body)).toContain(query.split('=')[0]);
    }
  });
});
