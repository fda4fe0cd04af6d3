import { startTestApp, TestApp } from '../setup/test-app';
import { importFile, importJson, unitByCode } from '../factories/import';
import { plannedTree } from '../factories/workflow';
import { countersAndRecount, topCountersAndRecount } from '../factories/reports';
import { rowErrors } from '../setup/errors';
import type { ImportRow } from '../factories/tree';

/**
 * Re-import: a column left out keeps the stored value, an empty one clears it; a tier or parent
 * changed by import recomputes the unit's open due dates for its tier and re-checks its congress date.
 */
describe('unit re-import: columns left out, tier and parent changes', () => {
  let t: TestApp;
  let ids: Record<string, number>;
  const rows: ImportRow[] = [
    { code: 'P', name: 'Tỉnh ủy P', tier: 'province', parentCode: '', contactEmails: 'tinh@test.vn' },
    { code: 'D1', name: 'Huyện ủy D1', tier: 'district', parentCode: 'P', contactEmails: 'd1@test.vn' },
    { code: 'D2', name: 'Huyện ủy D2', tier: 'district', parentCode: 'P', contactEmails: 'd2@test.vn' },
    { code: 'C1', name: 'Đảng ủy xã C1', tier: 'grassroots', parentCode: 'D1', contactEmails: 'c1@test.vn' },
    { code: 'C2', name: 'Đảng ủy xã C2', tier: 'grassroots', parentCode: 'D1' },
    { code: 'K1', name: 'Chi bộ K1', tier: 'cell', parentCode: 'C1' },
    { code: 'K2', name: 'Chi bộ K2', tier: 'cell', parentCode: 'C1' },
  ];
  const emailsOf = async (code: string) =>
    (await t.db.query(`SELECT contact_emails AS e FROM units WHERE code = $1`, [code])).rows[0].e as string[];
  const csv = (header: string, lines: string[]) => new Blob([[header, ...lines].join('\r\n') + '\r\n'], { type: 'text/csv' });
  const dueDates = async (code: string) =>
    (
      await t.db.query(
        `SELECT step_no AS no, to_char(due_date, 'YYYY-MM-DD') AS due FROM unit_steps us JOIN units u ON u.id = us.unit_id
          WHERE u.code = $1 AND us.status NOT IN ('completed', 'skipped') ORDER BY 1`,
        [code],
      )
    ).rows;

  beforeAll(async () => {
    t = await startTestApp({ ROOT_UNIT_CODE: 'TW', ROOT_UNIT_NAME: 'Ban Chấp hành Trung ương', ROOT_UNIT_TIER: 'central' });
    t.setClock('2025-04-10');
    let planId: number;
    ({ ids, planId } = await plannedTree(t, rows));
    // Step 1 has a different absolute deadline per tier.
    const res = await t.request('PATCH', `/api/plans/${planId}/steps/1`, {
      token: t.adminToken,
      body: { deadlines: { cell: { date: '2025-02-15' }, grassroots: { date: '2025-04-20' } } },
    });
    expect(res.status).toBe(200);
  });
  afterAll(async () => t?.close());

  it('JSON rows without the contactEmails key keep the stored emails; an empty value clears them', async () => {
    const res = await importJson(t, [
      { code: 'D1', name: 'Huyện ủy D1 (đổi tên)', tier: 'district', parentCode: 'P' },
      { code: 'D2', name: 'Huyện ủy D2', tier: 'district', parentCode: 'P', contactEmails: '' },
    ]);
    expect(res.body).toEqual({ created: 0, updated: 2, unchanged: 0 });
    expect(await emailsOf('D1')).toEqual(['d1@test.vn']);
    expect((await unitByCode(t, 'D1')).name).toBe('Huyện ủy D1 (đổi tên)');
    expect(await emailsOf('D2')).toEqual([]);
    // The same row again, still without the key: nothing to change.
    expect((await importJson(t, [{ code: 'D1', name: 'Huyện ủy D1 (đổi tên)', tier: 'district', parentCode: 'P' }])).body).toEqual({
      created: 0,
      updated: 0,
      unchanged: 1,
    });
  });

  it('a CSV without the contactEmails column keeps them; a CSV with the column and an empty cell clears them', async () => {
    const kept = await importFile(
      t,
      csv('code,name,tier,parentCode', ['C1,Đảng ủy xã C1,grassroots,D1', 'P,Tỉnh ủy P,province,']),
      'a.csv',
    );
    expect(kept.body).toEqual({ created: 0, updated: 0, unchanged: 2 });
    expect(await emailsOf('C1')).toEqual(['c1@test.vn']);
    expect(await emailsOf('P')).toEqual(['tinh@test.vn']);
    const cleared = await importFile(t, csv('code,name,tier,parentCode,contactEmails', ['C1,Đảng ủy xã C1,grassroots,D1,']), 'b.csv');
    expect(cleared.body).toEqual({ created: 0, updated: 1, unchanged: 0 });
    expect(await emailsOf('C1')).toEqual([]);
  });

  it('a row without parentCode keeps an existing unit under its parent; a new unit without it goes under the root', async () => {
    const res = await importJson(t, [
      { code: 'K1', name: 'Chi bộ K1 (đổi tên)', tier: 'cell' },
      { code: 'NEW', name: 'Tỉnh ủy mới', tier: 'province' },
    ]);
    expect(res.body).toEqual({ created: 1, updated: 1, unchanged: 0 });
    expect((await unitByCode(t, 'K1')).parentId).toBe(ids.C1);
    expect((await unitByCode(t, 'NEW')).parentId).toBe(t.rootUnitId);
  });

  it('a cell turned into a grassroots committee takes the due dates of its new tier', async () => {
    // C2 is a grassroots committee with the same (empty) congress date: the reference for the tier's dates.
    const before = await dueDates('K2');
    expect(before).not.toEqual(await dueDates('C2'));
    const res = await importJson(t, [{ code: 'K2', name: 'Đảng ủy cơ quan K2', tier: 'grassroots', parentCode: 'D1' }]);
    expect(res.status).toBe(200);
    expect(await dueDates('K2')).toEqual(await dueDates('C2'));
    const counters = await countersAndRecount(t);
    expect(counters.stored).toEqual(counters.recounted);
    const top = await topCountersAndRecount(t);
    expect(top.stored).toEqual(top.recounted);
  });

  it('a tier change that leaves the congress date outside the new tier’s window is refused, row by row; nothing is written', async () => {
    // K2, now a grassroots committee, holds its congress on 20/5/2025 (grassroots complete before 30/6/2025);
    // re-tiered a cell again (cells: 1/1 – 31/3/2025) the date no longer fits.
    expect((await t.request('PATCH', `/api/units/${ids.K2}`, { token: t.adminToken, body: { congressDate: '2025-05-20' } })).status).toBe(
      200,
    );
    const before = await dueDates('K2');
    const res = await importJson(t, [
      { code: 'C2', name: 'Đảng ủy xã C2', tier: 'grassroots', parentCode: 'D2' },
      { code: 'K2', name: 'Chi bộ K2', tier: 'cell', parentCode: 'C1' },
    ]);
    expect(rowErrors(res)).toEqual([
      { row: 2, field: 'tier', reason: expect.stringMatching(/ngày đại hội 20\/05\/2025 nằm ngoài .*01\/01\/2025 – 31\/03\/2025/) },
    ]);
    const k2 = await unitByCode(t, 'K2');
    expect([k2.tier, k2.parentId]).toEqual(['grassroots', ids.D1]);
    expect((await unitByCode(t, 'C2')).parentId).toBe(ids.D1);
    expect(await dueDates('K2')).toEqual(before);

    // A date in the new window first, then the same import goes through.
    expect((await t.request('PATCH', `/api/units/${ids.K2}`, { token: t.adminToken, body: { congressDate: null } })).status).toBe(200);
    expect((await importJson(t, [{ code: 'K2', name: 'Chi bộ K2', tier: 'cell', parentCode: 'C1' }])).status).toBe(200);
    expect(await dueDates('K2')).toEqual(await dueDates('K1'));
  });
});
