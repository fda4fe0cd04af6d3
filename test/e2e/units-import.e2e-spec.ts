import { startTestApp, TestApp } from '../setup/test-app';
import { generateTree, ImportRow } from '../factories/tree';
import { childCodes, importFile, importJson, toCsv, toXlsx, unitByCode, unitCount } from '../factories/import';

describe('unit import: happy path (JSON, CSV, XLSX)', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(async () => t?.close());

  describe('JSON array of ~1,000 units', () => {
    // 2 provinces × (1 + 5 districts × (1 + 10 communes × (1 + 9 cells))) = 1,012 units.
    const rows = generateTree({ provinces: 2, districts: 5, communes: 10, cells: 9 }, 'J');

    it('creates every unit', async () => {
      expect(rows.length).toBe(1012);
      const before = await unitCount(t);
      const res = await importJson(t, rows);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ created: 1012, updated: 0, unchanged: 0 });
      expect(await unitCount(t)).toBe(before + 1012);
    });

    it('GET /api/units/:id returns the parent and the number of children', async () => {
      const district = await unitByCode(t, 'J1-3');
      const province = await unitByCode(t, 'J1');
      const res = await t.request('GET', `/api/units/${district.id}`, { token: t.adminToken });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        id: district.id,
        code: 'J1-3',
        name: 'Huyện ủy 1.3',
        tier: 'district',
        parentId: province.id,
        contactEmails: [],
        congressDate: null,
        congressType: 'full',
        pilot: false,
        committeeName: null,
        status: 'active',
        closedOn: null,
        successorId: null,
        childrenCount: 10,
        parentName: 'Tỉnh ủy 1',
      });

      const top = await t.request('GET', `/api/units/${province.id}`, { token: t.adminToken });
      expect(top.body).toMatchObject({ parentId: t.rootUnitId, childrenCount: 5, contactEmails: ['tinh1@test.vn'] });

      const commune = await unitByCode(t, 'J2-5-10');
      const leaf = await t.request('GET', `/api/units/${(await unitByCode(t, 'J2-5-10-9')).id}`, { token: t.adminToken });
      expect(leaf.body).toMatchObject({ code: 'J2-5-10-9', tier: 'cell', parentId: commune.id, childrenCount: 0 });
    });

    it('lists the children of a unit with GET /api/units?parentId=', async () => {
      const district = await unitByCode(t, 'J2-4');
      const res = await t.request('GET', `/api/units?parentId=${district.id}`, { token: t.adminToken });
      expect(res.status).toBe(200);
      expect(res.body.total).toBe(10);
      expect(res.body.items.map((u: any) => u.code).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `J2-4-${i + 1}`).sort());
      for (const item of res.body.items) expect(item).toMatchObject({ parentId: district.id, tier: 'grassroots', childrenCount: 9 });

      const provinces = await childCodes(t, t.rootUnitId);
      expect(provinces).toEqual(expect.arrayContaining(['J1', 'J2']));
    });

    it('filters by tier and text and pages the list', async () => {
      const byTier = await t.request('GET', '/api/units?tier=district&pageSize=3&page=2', { token: t.adminToken });
      expect(byTier.status).toBe(200);
      expect(byTier.body.total).toBe(10);
      expect(byTier.body.items).toHaveLength(3);
      for (const item of byTier.body.items) expect(item.tier).toBe('district');

      const byText = await t.request('GET', `/api/units?q=${encodeURIComponent('Huyện ủy 2.')}`, { token: t.adminToken });
      expect(byText.body.total).toBe(5);
    });
  });

  describe('CSV upload', () => {
    const rows: ImportRow[] = [
      { code: 'HN', name: 'Thành ủy Hà Nội', tier: 'province', parentCode: '', contactEmails: 'vanphong@hanoi.vn; Thuky@HaNoi.vn' },
      { code: 'HN-BD', name: 'Quận ủy Ba Đình', tier: 'district', parentCode: 'HN' },
      { code: 'HN-BD-PX', name: 'Đảng ủy phường Phúc Xá, "điểm"', tier: 'grassroots', parentCode: 'HN-BD' },
      { code: 'HN-BD-PX-1', name: 'Chi bộ khu dân cư số 1 – Ngõ Hàng Bún', tier: 'cell', parentCode: 'HN-BD-PX' },
    ];

    it('imports a UTF-8 file with a byte-order mark and keeps the Vietnamese diacritics', async () => {
      const res = await importFile(t, toCsv(rows, { bom: true }), 'don-vi.csv');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ created: 4, updated: 0, unchanged: 0 });

      const hn = await unitByCode(t, 'HN');
      expect(hn).toMatchObject({ name: 'Thành ủy Hà Nội', tier: 'province', parentId: t.rootUnitId });
      const px = await unitByCode(t, 'HN-BD-PX');
      const got = await t.request('GET', `/api/units/${px.id}`, { token: t.adminToken });
      expect(got.body).toMatchObject({
        name: 'Đảng ủy phường Phúc Xá, "điểm"',
        parentId: (await unitByCode(t, 'HN-BD')).id,
        childrenCount: 1,
      });
      const cell = await t.request('GET', `/api/units/${(await unitByCode(t, 'HN-BD-PX-1')).id}`, { token: t.adminToken });
      expect(cell.body.name).toBe('Chi bộ khu dân cư số 1 – Ngõ Hàng Bún');
      const top = await t.request('GET', `/api/units/${hn.id}`, { token: t.adminToken });
      expect(top.body.contactEmails).toEqual(['vanphong@hanoi.vn', 'thuky@hanoi.vn']);
    });

    it('is idempotent when the same file is uploaded again', async () => {
      const res = await importFile(t, toCsv(rows, { bom: true }), 'don-vi.csv');
      expect(res.body).toEqual({ created: 0, updated: 0, unchanged: 4 });
    });

    it('reports bad CSV rows by data row number', async () => {
      const bad = [...rows, { code: 'HN-X', name: '', tier: 'district', parentCode: 'HN' }];
      const res = await importFile(t, toCsv(bad), 'bad.csv');
      expect(res.status).toBe(400);
      expect(res.body.details).toEqual([{ row: 5, field: 'name', reason: expect.any(String) }]);
    });

    it('refuses a file that is neither CSV nor XLSX', async () => {
      const res = await importFile(t, new Blob(['{}'], { type: 'application/pdf' }), 'units.pdf');
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.details).toEqual([expect.objectContaining({ field: 'file' })]);
    });
  });

  describe('XLSX upload', () => {
    const rows: ImportRow[] = [
      { code: 'HCM', name: 'Thành ủy Thành phố Hồ Chí Minh', tier: 'province', parentCode: '', contactEmails: 'vp@hcm.vn' },
      { code: 'HCM-Q1', name: 'Quận ủy Quận 1', tier: 'district', parentCode: 'HCM' },
      { code: 'HCM-Q1-BN', name: 'Đảng ủy phường Bến Nghé', tier: 'grassroots', parentCode: 'HCM-Q1' },
      { code: 'HCM-Q1-DK', name: 'Đảng ủy phường Đa Kao', tier: 'grassroots', parentCode: 'HCM-Q1' },
    ];

    it('imports the first worksheet of a workbook built with exceljs', async () => {
      const res = await importFile(t, await toXlsx(rows), 'don-vi.xlsx');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ created: 4, updated: 0, unchanged: 0 });

      const q1 = await unitByCode(t, 'HCM-Q1');
      expect(await childCodes(t, q1.id)).toEqual(['HCM-Q1-BN', 'HCM-Q1-DK']);
      const dk = await t.request('GET', `/api/units/${(await unitByCode(t, 'HCM-Q1-DK')).id}`, { token: t.adminToken });
      expect(dk.body).toMatchObject({ name: 'Đảng ủy phường Đa Kao', tier: 'grassroots', parentId: q1.id });
      const hcm = await t.request('GET', `/api/units/${(await unitByCode(t, 'HCM')).id}`, { token: t.adminToken });
      expect(hcm.body).toMatchObject({ contactEmails: ['vp@hcm.vn'], childrenCount: 1, parentId: t.rootUnitId });
    });

    it('updates a renamed unit on the next upload', async () => {
      const renamed = rows.map((r) => (r.code === 'HCM-Q1-BN' ? { ...r, name: 'Đảng ủy phường Sài Gòn' } : r));
      const res = await importFile(t, await toXlsx(renamed), 'don-vi.xlsx');
      expect(res.body).toEqual({ created: 0, updated: 1, unchanged: 3 });
      expect((await unitByCode(t, 'HCM-Q1-BN')).name).toBe('Đảng ủy phường Sài Gòn');
    });
  });
});
