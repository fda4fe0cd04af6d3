import { startTestApp, TestApp } from '../setup/test-app';
import { ImportRow } from '../factories/tree';
import { importJson, unitByCode } from '../factories/import';
import { expectError } from '../setup/errors';

/**
 * Province P with districts D1 and D2, each with two communes; D1-1 has a cell.
 * The district editor is bound to D1: D1 and below are in scope, D2 and its communes are not.
 */
const TREE: ImportRow[] = [
  { code: 'P', name: 'Tỉnh ủy P', tier: 'province', parentCode: '' },
  { code: 'D1', name: 'Huyện ủy D1', tier: 'district', parentCode: 'P' },
  { code: 'D1-1', name: 'Đảng ủy xã D1-1', tier: 'grassroots', parentCode: 'D1' },
  { code: 'D1-2', name: 'Đảng ủy xã D1-2', tier: 'grassroots', parentCode: 'D1' },
  { code: 'D1-1-1', name: 'Chi bộ D1-1-1', tier: 'cell', parentCode: 'D1-1' },
  { code: 'D2', name: 'Huyện ủy D2', tier: 'district', parentCode: 'P' },
  { code: 'D2-1', name: 'Đảng ủy xã D2-1', tier: 'grassroots', parentCode: 'D2' },
  { code: 'D2-2', name: 'Đảng ủy xã D2-2', tier: 'grassroots', parentCode: 'D2' },
];

describe('unit scope: the caller sees and edits only its own subtree', () => {
  let t: TestApp;
  const id: Record<string, number> = {};
  let editor: string;
  let viewer: string;

  beforeAll(async () => {
    t = await startTestApp();
    expect((await importJson(t, TREE)).status).toBe(200);
    for (const row of TREE) id[row.code] = (await unitByCode(t, row.code)).id;
    editor = await t.loginAs('editor', id.D1);
    viewer = await t.loginAs('viewer', id.D1);
  });
  afterAll(async () => t?.close());

  const get = (unit: string, token: string) => t.request('GET', `/api/units/${id[unit]}`, { token });
  const rename = (unit: string, token: string, name: string) => t.request('PATCH', `/api/units/${id[unit]}`, { token, body: { name } });

  describe('district editor', () => {
    it('reads its own district and the units below it', async () => {
      for (const code of ['D1', 'D1-1', 'D1-2', 'D1-1-1']) {
        const res = await get(code, editor);
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ id: id[code], code });
      }
    });

    it('renames its own district and a commune below it', async () => {
      const own = await rename('D1', editor, 'Huyện ủy Đông Anh');
      expect(own.status).toBe(200);
      expect(own.body).toMatchObject({ id: id.D1, name: 'Huyện ủy Đông Anh' });
      const below = await rename('D1-2', editor, 'Đảng ủy xã Việt Hùng');
      expect(below.status).toBe(200);
      expect((await unitByCode(t, 'D1-2')).name).toBe('Đảng ủy xã Việt Hùng');
    });

    it('gets 403 FORBIDDEN_SCOPE on the sibling district and its communes', async () => {
      for (const code of ['D2', 'D2-1', 'D2-2']) {
        expectError(await get(code, editor), 403, 'FORBIDDEN_SCOPE');
        expectError(await rename(code, editor, 'Hacked'), 403, 'FORBIDDEN_SCOPE');
      }
      const { rows } = await t.db.query(`SELECT name FROM units WHERE code IN ('D2', 'D2-1', 'D2-2')`);
      expect(rows.map((r) => r.name)).not.toContain('Hacked');
    });

    it('gets 403 on the province above and on the root', async () => {
      expectError(await get('P', editor), 403, 'FORBIDDEN_SCOPE');
      expectError(await rename('P', editor, 'Hacked'), 403, 'FORBIDDEN_SCOPE');
      expectError(await t.request('GET', `/api/units/${t.rootUnitId}`, { token: editor }), 403, 'FORBIDDEN_SCOPE');
      expect((await unitByCode(t, 'P')).name).toBe('Tỉnh ủy P');
    });

    it('GET /api/units lists only its subtree', async () => {
      const res = await t.request('GET', '/api/units?pageSize=500', { token: editor });
      expect(res.status).toBe(200);
      expect(res.body.total).toBe(4);
      expect(res.body.items.map((u: any) => u.code).sort()).toEqual(['D1', 'D1-1', 'D1-1-1', 'D1-2']);

      const search = await t.request('GET', `/api/units?q=${encodeURIComponent('Đảng ủy xã')}`, { token: editor });
      expect(search.body.items.map((u: any) => u.code).sort()).toEqual(['D1-1', 'D1-2']);
      const cells = await t.request('GET', '/api/units?tier=cell', { token: editor });
      expect(cells.body.items.map((u: any) => u.code)).toEqual(['D1-1-1']);
    });

    it('lists the children of its units, but not of a sibling district', async () => {
      const children = await t.request('GET', `/api/units?parentId=${id.D1}`, { token: editor });
      expect(children.status).toBe(200);
      expect(children.body.items.map((u: any) => u.code).sort()).toEqual(['D1-1', 'D1-2']);
      expectError(await t.request('GET', `/api/units?parentId=${id.D2}`, { token: editor }), 403, 'FORBIDDEN_SCOPE');
      expectError(await t.request('GET', `/api/units?parentId=${id.P}`, { token: editor }), 403, 'FORBIDDEN_SCOPE');
    });

    it('gets 403 on import', async () => {
      const res = await importJson(t, [{ code: 'D1-3', name: 'Xã mới', tier: 'grassroots', parentCode: 'D1' }], editor);
      expectError(res, 403, 'FORBIDDEN_SCOPE');
      expect(await t.db.query(`SELECT 1 FROM units WHERE code = 'D1-3'`).then((r) => r.rowCount)).toBe(0);
    });

    it('gets 403 on creating a unit, even below its own district', async () => {
      const res = await t.request('POST', '/api/units', {
        token: editor,
        body: { code: 'D1-9', name: 'Xã mới', tier: 'grassroots', parentId: id.D1 },
      });
      expectError(res, 403, 'FORBIDDEN_SCOPE');
    });
  });

  describe('viewer', () => {
    it('reads in scope but gets 403 on PATCH, even inside its subtree', async () => {
      expect((await get('D1-1', viewer)).status).toBe(200);
      expectError(await rename('D1-1', viewer, 'Viewer edit'), 403, 'FORBIDDEN_SCOPE');
      expectError(await rename('D1', viewer, 'Viewer edit'), 403, 'FORBIDDEN_SCOPE');
      expect((await unitByCode(t, 'D1-1')).name).toBe('Đảng ủy xã D1-1');
      expectError(await get('D2', viewer), 403, 'FORBIDDEN_SCOPE');
    });

    it('gets 403 on import', async () => {
      expectError(await importJson(t, TREE, viewer), 403, 'FORBIDDEN_SCOPE');
    });
  });

  describe('non-admin roles above the district', () => {
    it('a province supervisor reads and edits both districts but still cannot import', async () => {
      const supervisor = await t.loginAs('supervisor', id.P);
      expect((await get('D2-2', supervisor)).status).toBe(200);
      expect((await rename('D2-2', supervisor, 'Đảng ủy xã Xuân Nộn')).status).toBe(200);
      expectError(await importJson(t, TREE, supervisor), 403, 'FORBIDDEN_SCOPE');
      const all = await t.request('GET', '/api/units?pageSize=500', { token: supervisor });
      expect(all.body.total).toBe(TREE.length);
    });

    it('an admin bound to a district is confined to it as well', async () => {
      const districtAdmin = await t.loginAs('admin', id.D2);
      expect((await get('D2-1', districtAdmin)).status).toBe(200);
      expectError(await get('D1', districtAdmin), 403, 'FORBIDDEN_SCOPE');
      // An import that would place a unit outside its subtree is refused as a whole, as a matter of scope.
      const res = await importJson(t, [{ code: 'D1-5', name: 'Xã ngoài', tier: 'grassroots', parentCode: 'D1' }], districtAdmin);
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('FORBIDDEN_SCOPE');
      expect(res.body.details).toEqual([expect.objectContaining({ row: 1, field: 'parentCode' })]);
      const inside = await importJson(t, [{ code: 'D2-3', name: 'Xã trong', tier: 'grassroots', parentCode: 'D2' }], districtAdmin);
      expect(inside.body).toEqual({ created: 1, updated: 0, unchanged: 0 });
    });
  });

  it('a unit that does not exist is 404 NOT_FOUND, not 403', async () => {
    expectError(await t.request('GET', '/api/units/99999999', { token: editor }), 404, 'NOT_FOUND');
  });
});
