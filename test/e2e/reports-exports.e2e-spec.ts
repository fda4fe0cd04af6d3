import { startTestApp, TestApp } from '../setup/test-app';
import { generateTree } from '../factories/tree';
import { plannedTree } from '../factories/workflow';
import { allPages, download, Download, parseCsv, readXlsx, seeded, TIER_NAMES } from '../factories/reports';
import { provinceActors, randomTransitions } from '../factories/reports-drive';

/**
 * format=csv (UTF-8 with a byte-order mark) and format=xlsx of the three reports, read back with
 * csv-parse and exceljs: Vietnamese headers, and every row equal to the JSON report. The overdue
 * list has more than one export page (5,000 rows), with ties on the due date across the boundary.
 */
const STATUS: Record<string, string> = {
  not_started: 'Chưa bắt đầu',
  in_progress: 'Đang thực hiện',
  awaiting_approval: 'Chờ phê duyệt',
  returned: 'Bị trả lại',
  completed: 'Hoàn thành',
  skipped: 'Bỏ qua',
  closed: 'Đã đóng (đơn vị đã hợp nhất, giải thể)',
};
const CONTENT: Record<string, string> = { done: 'Đã thực hiện', not_done: 'Chưa thực hiện', not_applicable: 'Không áp dụng' };
const KIND: Record<string, string> = { delegates: 'Đại hội đại biểu', members: 'Đại hội đảng viên' };
const vn = (date: string) => date.split('-').reverse().join('/');

const HEADERS = {
  progress: ['Mã', 'Tên', 'Số đơn vị', 'Hoàn thành tất cả các bước', 'Bước', ...Object.values(STATUS), 'Quá hạn'],
  contents: [
    'Mã đơn vị',
    'Tên đơn vị',
    'Cấp',
    'Ngày đại hội',
    'Hình thức',
    'Nội dung 1',
    'Nội dung 2',
    'Nội dung 3',
    'Nội dung 4',
    'Số nội dung áp dụng',
    'Hoàn thành đủ nội dung',
    'Nội dung còn thiếu',
  ],
  overdue: ['Mã đơn vị', 'Tên đơn vị', 'Cấp', 'Bước', 'Nội dung bước', 'Hạn hoàn thành', 'Số ngày quá hạn', 'Trạng thái'],
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
  contents: (items: any[]) =>
    items.map((i) => [
      i.code,
      i.name,
      TIER_NAMES[i.tier],
      vn(i.heldOn),
      KIND[i.kind],
      ...i.contents.map((c: string | null) => (c ? CONTENT[c] : 'Chưa ghi nhận')),
      i.applicableContents,
      i.completedAll ? 'Có' : 'Không',
      i.missing.join(', '),
    ]),
  overdue: (items: any[]) =>
    items.map((i) => [i.code, i.name, TIER_NAMES[i.tier], i.stepNo, i.title, vn(i.dueDate), i.daysOverdue, STATUS[i.status]]),
};

function expectAttachment(file: Download, name: string, format: 'csv' | 'xlsx') {
  expect(file.status).toBe(200);
  expect(file.headers.get('content-type')).toBe(
    format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  );
  expect(file.headers.get('content-disposition')).toBe(`attachment; filename="${name}.${format}"; filename*=UTF-8''${name}.${format}`);
}

async function expectCsv(file: Download, header: string[], lines: unknown[][]) {
  expect([...file.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  expect(file.bytes.subarray(3, 3 + Buffer.byteLength(header[0])).toString('utf8')).toBe(header[0]);
  const csv = parseCsv(file.bytes);
  expect(csv.header).toEqual(header);
  expect(csv.rows).toEqual(lines.map((l) => l.map((v) => String(v ?? ''))));
}

async function expectXlsx(file: Download, sheet: string, header: string[], lines: unknown[][]) {
  expect([...file.bytes.subarray(0, 2)]).toEqual([0x50, 0x4b]); // a zip
  const book = await readXlsx(file.bytes);
  expect(book.name).toBe(sheet);
  expect(book.header).toEqual(header);
  expect(book.bold).toBe(true);
  const cells = (row: unknown[]) => Array.from({ length: header.length }, (_, i) => row[i] ?? '');
  expect(book.rows.map(cells)).toEqual(lines.map(cells));
}

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
    for (const [i, row] of rows.slice(0, 30).entries()) {
      const contents = mixes[i % mixes.length].map((s, n) => record(n + 1, s));
      const body = { heldOn: `2025-0${1 + (i % 9)}-1${i % 10}`, kind: i % 2 ? 'members' : 'delegates', contents };
      expect((await t.request('PUT', `/api/units/${ids[row.code]}/congress`, { token: t.adminToken, body })).status).toBe(200);
    }
  }, 300_000);
  afterAll(async () => t?.close());

  it.each([
    ['TW', 'child'],
    ['T2', 'tier'],
    ['T1-3', 'child'],
  ])('progress of %s by %s', async (code, groupBy) => {
    const rootId = code === 'TW' ? t.rootUnitId : ids[code];
    const json = await t.request('GET', `/api/reports/progress?rootId=${rootId}&groupBy=${groupBy}`, { token: t.adminToken });
    const lines = LINES.progress(json.body);
    expect(lines.length).toBe(json.body.rows.length * 15);
    for (const format of ['csv', 'xlsx'] as const) {
      const file = await download(t, `/api/reports/progress?rootId=${rootId}&groupBy=${groupBy}&format=${format}`, t.adminToken);
      expectAttachment(file, `tien-do-${code}`, format);
      if (format === 'csv') await expectCsv(file, HEADERS.progress, lines);
      else await expectXlsx(file, `tien-do-${code}`, HEADERS.progress, lines);
    }
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
    if (query === '') expect(lines.filter((l) => l.includes('Chưa ghi nhận'))).toHaveLength(6);
    for (const format of ['csv', 'xlsx'] as const) {
      const file = await download(t, `/api/reports/contents?rootId=${rootId}${query}&format=${format}`, t.adminToken);
      expectAttachment(file, `bao-cao-4-noi-dung-${code}`, format);
      if (format === 'csv') await expectCsv(file, HEADERS.contents, lines);
      else await expectXlsx(file, `bao-cao-4-noi-dung-${code}`, HEADERS.contents, lines);
    }
  });

  it.each(['TW', 'T3-4'])('overdue list of %s (beyond one 5,000-row export page for TW)', async (code) => {
    const rootId = code === 'TW' ? t.rootUnitId : ids[code];
    const { total, items } = await allPages(t, `/api/reports/overdue?rootId=${rootId}`, t.adminToken, 1000);
    expect(items).toHaveLength(total);
    if (code === 'TW') expect(total).toBeGreaterThan(5000);
    const lines = LINES.overdue(items);
    for (const format of ['csv', 'xlsx'] as const) {
      const file = await download(t, `/api/reports/overdue?rootId=${rootId}&format=${format}`, t.adminToken);
      expectAttachment(file, `danh-sach-qua-han-${code}`, format);
      if (format === 'csv') await expectCsv(file, HEADERS.overdue, lines);
      else await expectXlsx(file, `danh-sach-qua-han-${code}`, HEADERS.overdue, lines);
    }
  });
});
