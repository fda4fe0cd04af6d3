import { startTestApp, TestApp } from '../setup/test-app';
import { generateTree, ImportRow } from '../factories/tree';
import { childCodes, importJson, unitByCode, unitCount } from '../factories/import';
import { rowErrors } from '../setup/errors';

describe('unit import: re-import, ordering, moves, all-or-nothing', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(async () => t?.close());

  describe('re-import', () => {
    const rows = generateTree({ provinces: 1, districts: 3, communes: 4, cells: 3 }, 'R');

    it('a second import of the same file changes nothing', async () => {
      expect((await importJson(t, rows)).body).toEqual({ created: rows.length, updated: 0, unchanged: 0 });
      const { rows: before } = await t.db.query(`SELECT id, code, path, updated_at FROM units WHERE code LIKE 'R%' ORDER BY code`);
      const again = await importJson(t, rows);
      expect(again.status).toBe(200);
      expect(again.body).toEqual({ created: 0, updated: 0, unchanged: rows.length });
      const { rows: after } = await t.db.query(`SELECT id, code, path, updated_at FROM units WHERE code LIKE 'R%' ORDER BY code`);
      expect(after).toEqual(before);
    });

    it('a changed name updates exactly that unit', async () => {
      const changed = rows.map((r) => (r.code === 'R1-2-3' ? { ...r, name: 'Đảng ủy xã Tân Mỹ' } : r));
      const res = await importJson(t, changed);
      expect(res.body).toEqual({ created: 0, updated: 1, unchanged: rows.length - 1 });
      const unit = await unitByCode(t, 'R1-2-3');
      expect((await t.request('GET', `/api/units/${unit.id}`, { token: t.adminToken })).body.name).toBe('Đảng ủy xã Tân Mỹ');
    });

    it('a changed contact email list counts as an update; added rows are created', async () => {
      const res = await importJson(t, [
        { code: 'R1-1', name: 'Huyện ủy 1.1', tier: 'district', parentCode: 'R1', contactEmails: 'huyen@test.vn' },
        { code: 'R1-1-9', name: 'Đảng ủy xã mới', tier: 'grassroots', parentCode: 'R1-1' },
      ]);
      expect(res.body).toEqual({ created: 1, updated: 1, unchanged: 0 });
      const district = await t.request('GET', `/api/units/${(await unitByCode(t, 'R1-1')).id}`, { token: t.adminToken });
      expect(district.body).toMatchObject({ contactEmails: ['huyen@test.vn'], childrenCount: 5 });
    });
  });

  it('accepts parents listed after their children', async () => {
    const rows: ImportRow[] = [
      { code: 'O-1-1-1', name: 'Chi bộ 1', tier: 'cell', parentCode: 'O-1-1' },
      { code: 'O-1-1', name: 'Đảng ủy xã 1', tier: 'grassroots', parentCode: 'O-1' },
      { code: 'O-1', name: 'Huyện ủy 1', tier: 'district', parentCode: 'O' },
      { code: 'O', name: 'Tỉnh ủy O', tier: 'province', parentCode: '' },
    ];
    expect((await importJson(t, rows)).body).toEqual({ created: 4, updated: 0, unchanged: 0 });
    const [o, o1, o11, o111] = await Promise.all(['O', 'O-1', 'O-1-1', 'O-1-1-1'].map((c) => unitByCode(t, c)));
    expect(o.parentId).toBe(t.rootUnitId);
    expect([o1.parentId, o11.parentId, o111.parentId]).toEqual([o.id, o1.id, o11.id]);
    expect(o111.path).toBe(`${t.rootUnitId}/${o.id}/${o1.id}/${o11.id}/${o111.id}/`);
    expect(o111.depth).toBe(4);
  });

  it('re-parenting a unit moves its whole subtree', async () => {
    const rows = generateTree({ provinces: 2, districts: 2, communes: 2, cells: 2 }, 'M');
    expect((await importJson(t, rows)).status).toBe(200);
    const [m1, m2, d] = await Promise.all(['M1', 'M2', 'M1-2'].map((c) => unitByCode(t, c)));
    expect(await childCodes(t, m1.id)).toEqual(['M1-1', 'M1-2']);

    // Move district M1-2 (with 2 communes and 4 cells) from province M1 to province M2.
    const res = await importJson(t, [{ code: 'M1-2', name: 'Huyện ủy 1.2', tier: 'district', parentCode: 'M2' }]);
    expect(res.body).toEqual({ created: 0, updated: 1, unchanged: 0 });

    expect(await childCodes(t, m1.id)).toEqual(['M1-1']);
    expect(await childCodes(t, m2.id)).toEqual(['M1-2', 'M2-1', 'M2-2']);
    expect(await childCodes(t, d.id)).toEqual(['M1-2-1', 'M1-2-2']);
    const moved = await t.request('GET', `/api/units/${d.id}`, { token: t.adminToken });
    expect(moved.body).toMatchObject({ parentId: m2.id, childrenCount: 2 });

    const { rows: subtree } = await t.db.query(`SELECT code, path, depth FROM units WHERE code LIKE 'M1-2%' ORDER BY code`);
    expect(subtree).toHaveLength(7);
    for (const u of subtree) {
      expect(u.path.startsWith(`${t.rootUnitId}/${m2.id}/${d.id}/`)).toBe(true);
      expect(u.path.split('/').filter(Boolean)).toHaveLength(u.depth + 1);
    }
    const { rows: underOld } = await t.db.query(`SELECT code FROM units WHERE path LIKE $1 ORDER BY code`, [`${m1.path}%`]);
    expect(underOld.map((u) => u.code)).toEqual(['M1', 'M1-1', 'M1-1-1', 'M1-1-1-1', 'M1-1-1-2', 'M1-1-2', 'M1-1-2-1', 'M1-1-2-2']);
    // Every stored path agrees with the parent links.
    const { rows: broken } = await t.db.query(
      `SELECT c.code FROM units c JOIN units p ON p.id = c.parent_id WHERE c.path <> p.path || c.id || '/' OR c.depth <> p.depth + 1`,
    );
    expect(broken).toEqual([]);
  });

  it('moves a subtree under a unit created in the same file', async () => {
    const res = await importJson(t, [
      { code: 'M1-1', name: 'Huyện ủy 1.1', tier: 'district', parentCode: 'M3' },
      { code: 'M3', name: 'Tỉnh ủy 3', tier: 'province', parentCode: '' },
    ]);
    expect(res.body).toEqual({ created: 1, updated: 1, unchanged: 0 });
    const [m3, cell] = await Promise.all(['M3', 'M1-1-2-2'].map((c) => unitByCode(t, c)));
    expect(cell.path.startsWith(`${m3.path}`)).toBe(true);
    expect(cell.depth).toBe(4);
  });

  describe('all or nothing', () => {
    it('999 good rows and 1 bad row: 400, nothing written', async () => {
      const good = generateTree({ provinces: 1, districts: 9, communes: 10, cells: 10 }, 'Z').slice(0, 999);
      expect(good).toHaveLength(999);
      const rows: ImportRow[] = [
        ...good.slice(0, 500),
        { code: 'Z-BAD', name: 'Xã lỗi', tier: 'grassroots', parentCode: 'NOPE' },
        ...good.slice(500),
      ];
      const before = await unitCount(t);
      const { rows: snapshot } = await t.db.query(`SELECT id, name, parent_id, path FROM units ORDER BY id`);

      const res = await importJson(t, rows);
      expect(rowErrors(res)).toEqual([{ row: 501, field: 'parentCode', reason: expect.stringContaining('NOPE') }]);
      expect(res.body.message).toMatch(/1 invalid row.*nothing was imported/);

      expect(await unitCount(t)).toBe(before);
      const { rows: now } = await t.db.query(`SELECT id, name, parent_id, path FROM units ORDER BY id`);
      expect(now).toEqual(snapshot);
      const { rows: z } = await t.db.query(`SELECT count(*)::int AS n FROM units WHERE code LIKE 'Z%'`);
      expect(z[0].n).toBe(0);

      // The same file without the bad row goes through.
      expect((await importJson(t, good)).body).toEqual({ created: 999, updated: 0, unchanged: 0 });
    });

    it('a refused import does not apply the good updates in it either', async () => {
      const res = await importJson(t, [
        { code: 'R1', name: 'Tên mới không được lưu', tier: 'province', parentCode: '' },
        { code: 'R1-3', name: 'Huyện ủy 1.3', tier: 'district', parentCode: 'M2' },
        { code: 'BAD', name: 'Bad', tier: 'cell', parentCode: 'R1', contactEmails: 'x' },
      ]);
      expect(res.status).toBe(400);
      expect((await unitByCode(t, 'R1')).name).toBe('Tỉnh ủy 1');
      expect((await unitByCode(t, 'R1-3')).parentId).toBe((await unitByCode(t, 'R1')).id);
    });
  });
});
