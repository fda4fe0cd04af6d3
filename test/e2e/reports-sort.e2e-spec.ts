import { setDue } from '../factories/notifications';
import { parseCsv, vietnamToday } from '../factories/reports';
import type { ImportRow } from '../factories/tree';
import { plannedTree } from '../factories/workflow';
import { startTestApp, TestApp } from '../setup/test-app';

/**
 * The report tables sort on the server: `sort` (a whitelisted column) and `order` (asc|desc) order
 * every page of GET /api/reports/contents and /api/reports/overdue, not just the page loaded; ties
 * keep the default order; an unknown column or order is a 400. Table-driven over every column.
 */
const TREE: ImportRow[] = [
  { code: 'TB', name: 'Tỉnh ủy Thái Bình', tier: 'province', parentCode: '' },
  { code: 'TB-1', name: 'Huyện ủy Vũ Thư', tier: 'district', parentCode: 'TB' },
  { code: 'TB-2', name: 'Huyện ủy Đông Hưng', tier: 'district', parentCode: 'TB' },
  { code: 'TB-1-1', name: 'Đảng ủy xã Đông Hòa', tier: 'grassroots', parentCode: 'TB-1' },
  { code: 'TB-1-2', name: 'Đảng ủy xã An Bài', tier: 'grassroots', parentCode: 'TB-1' },
  { code: 'TB-1-3', name: 'Đảng ủy xã Dũng Tiến', tier: 'grassroots', parentCode: 'TB-1' },
  { code: 'TB-2-1', name: 'Đảng ủy xã Yên Lạc', tier: 'grassroots', parentCode: 'TB-2' },
  { code: 'TB-2-2', name: 'Đảng ủy xã Ân Tình', tier: 'grassroots', parentCode: 'TB-2' },
  { code: 'TB-2-3', name: 'Đảng ủy xã Bình Minh', tier: 'grassroots', parentCode: 'TB-2' },
];
const vi = new Intl.Collator('vi');
type Item = Record<string, any>;

/** Compares two values of a column: names in Vietnamese order (D before Đ), others as they are. */
const compare = (a: unknown, b: unknown, names: boolean): number =>
  names ? vi.compare(String(a), String(b)) : a === b ? 0 : (a as any) < (b as any) ? -1 : 1;

/** The default list sorted by `key` (stable: ties keep the default order). */
const expected = (all: Item[], key: (i: Item) => unknown, desc: boolean, names = false): Item[] =>
  all
    .map((item, index) => ({ item, index }))
    .sort((x, y) => (desc ? -1 : 1) * compare(key(x.item), key(y.item), names) || x.index - y.index)
    .map((x) => x.item);

describe('report tables sorted on the server (sort, order)', () => {
  let t: TestApp;
  let ids: Record<string, number>;
  const today = vietnamToday();

  beforeAll(async () => {
    t = await startTestApp();
    ({ ids } = await plannedTree(t, TREE));
    await t.db.query(`UPDATE unit_steps SET due_date = NULL WHERE due_date IS NOT NULL`);
    const late: [string, Record<number, number>][] = [
      ['TB-1-1', { 1: -9, 2: -3 }],
      ['TB-1-2', { 1: -3, 4: -20 }],
      ['TB-1-3', { 2: -1 }],
      ['TB-2-1', { 1: -9, 3: -5 }],
      ['TB-2-2', { 5: -2 }],
      ['TB-2-3', { 1: -7, 2: -7 }],
    ];
    for (const [code, offsets] of late) await setDue(t, ids[code], today, offsets);
    const congresses: [string, string, string][] = [
      ['TB-1-1', '2025-05-12', 'done'],
      ['TB-1-2', '2025-05-10', 'not_done'],
      ['TB-1-3', '2025-05-14', 'done'],
      ['TB-2-1', '2025-05-10', 'done'],
      ['TB-2-2', '2025-05-11', 'not_done'],
      ['TB-2-3', '2025-05-09', 'done'],
    ];
    for (const [code, heldOn, second] of congresses) {
      const res = await t.request('PUT', `/api/units/${ids[code]}/congress`, {
        token: t.adminToken,
        body: { heldOn, kind: 'members', contents: [1, 2, 3, 4].map((no) => ({ no, status: no === 2 ? second : 'done' })) },
      });
      expect([code, res.status, res.status === 200 ? null : res.body]).toEqual([code, 200, null]);
    }
  });
  afterAll(async () => t?.close());

  /** Every page of a report (pages of 2), concatenated. */
  async function allItems(report: 'contents' | 'overdue', query: string): Promise<Item[]> {
    const out: Item[] = [];
    for (let page = 1; ; page++) {
      const res = await t.request('GET', `/api/reports/${report}?rootId=${ids.TB}&pageSize=2&page=${page}${query}`, {
        token: t.adminToken,
      });
      expect(res.status).toBe(200);
      out.push(...res.body.items);
      if (res.body.items.length < 2) return out;
    }
  }

  const CONTENTS: [string, (i: Item) => unknown, boolean?][] = [
    ['code', (i) => i.code],
    ['name', (i) => i.name, true],
    ['parentName', (i) => i.parentName, true],
    ['heldOn', (i) => i.heldOn],
    ['completedAll', (i) => i.completedAll],
  ];
  it.each(CONTENTS.flatMap(([column, key, names]) => (['asc', 'desc'] as const).map((order) => [column, order, key, names] as const)))(
    'contents sorted by %s %s over all pages',
    async (column, order, key, names) => {
      const all = await allItems('contents', '');
      expect(all).toHaveLength(6);
      const sorted = await allItems('contents', `&sort=${column}&order=${order}`);
      expect(sorted.map((i) => i.code)).toEqual(expected(all, key, order === 'desc', names).map((i) => i.code));
    },
  );

  const OVERDUE: [string, (i: Item) => unknown, boolean?][] = [
    ['code', (i) => i.code],
    ['name', (i) => i.name, true],
    ['parentName', (i) => i.parentName, true],
    ['stepNo', (i) => i.stepNo],
    ['dueDate', (i) => i.dueDate],
    ['daysOverdue', (i) => i.daysOverdue],
  ];
  it.each(OVERDUE.flatMap(([column, key, names]) => (['asc', 'desc'] as const).map((order) => [column, order, key, names] as const)))(
    'overdue sorted by %s %s over all pages',
    async (column, order, key, names) => {
      const all = await allItems('overdue', '');
      expect(all).toHaveLength(10);
      const line = (i: Item) => `${i.code}#${i.stepNo}`;
      const sorted = await allItems('overdue', `&sort=${column}&order=${order}`);
      expect(sorted.map(line)).toEqual(expected(all, key, order === 'desc', names).map(line));
    },
  );

  it('names sort in Vietnamese order: D before Đ, A before Ă before Â', async () => {
    const sorted = await allItems('contents', '&sort=name');
    expect(sorted.map((i) => i.name.replace('Đảng ủy xã ', ''))).toEqual([
      'An Bài',
      'Ân Tình',
      'Bình Minh',
      'Dũng Tiến',
      'Đông Hòa',
      'Yên Lạc',
    ]);
  });

  it('without sort the default order stays (tree order; oldest due date first); order alone changes nothing', async () => {
    const overdue = await allItems('overdue', '');
    expect(overdue.map((i) => i.dueDate)).toEqual([...overdue.map((i) => i.dueDate)].sort());
    expect(await allItems('overdue', '&order=desc')).toEqual(overdue);
  });

  it("stepNo keeps one step's overdue units: pages, total (counters and recount) and the export alike", async () => {
    const all = await allItems('overdue', '');
    for (const stepNo of [1, 2, 4, 15]) {
      const want = all.filter((i) => i.stepNo === stepNo);
      const got = await allItems('overdue', `&stepNo=${stepNo}&sort=name&order=desc`);
      expect(got.map((i) => i.code).sort()).toEqual(want.map((i) => i.code).sort());
      expect(got.every((i) => i.stepNo === stepNo)).toBe(true);
      // The total from the province's counters, and from a direct count under a district.
      const res = await t.request('GET', `/api/reports/overdue?rootId=${ids.TB}&stepNo=${stepNo}`, { token: t.adminToken });
      expect(res.body.total).toBe(want.length);
      const district = await t.request('GET', `/api/reports/overdue?rootId=${ids['TB-1']}&stepNo=${stepNo}`, { token: t.adminToken });
      expect(district.body.total).toBe(want.filter((i) => i.code.startsWith('TB-1-')).length);
      const csv = await t.request('GET', `/api/reports/overdue?rootId=${ids.TB}&stepNo=${stepNo}&format=csv`, { token: t.adminToken });
      expect(csv.status).toBe(200);
      expect(
        parseCsv(Buffer.from(csv.body as string, 'utf8'))
          .rows.map((r) => r[0])
          .sort(),
      ).toEqual(want.map((i) => i.code).sort());
    }
  });

  it.each([
    ['overdue', 'stepNo=0'],
    ['overdue', 'stepNo=16'],
    ['overdue', 'stepNo=abc'],
    ['contents', 'sort=unitId'],
    ['contents', 'sort=stepNo'],
    ['contents', 'sort=name;DROP TABLE units'],
    ['contents', 'sort=name&order=sideways'],
    ['overdue', 'sort=heldOn'],
    ['overdue', 'sort=due_date'],
    ['overdue', 'sort=name&order=DESC'],
  ])('an unknown sort column or order, or a step outside 1..15, is a 400: %s?%s', async (report, query) => {
    const res = await t.request('GET', `/api/reports/${report}?rootId=${ids.TB}&${query}`, { token: t.adminToken });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(JSON.stringify(res.body.details)).toMatch(/sort|order|stepNo/);
  });
});
