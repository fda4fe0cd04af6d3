import { startTestApp, TestApp } from '../setup/test-app';
import { expectError } from '../setup/errors';
import type { ImportRow } from '../factories/tree';
import { dueDates, plannedTree, setCongressDate, setStatus } from '../factories/workflow';

/**
 * Due dates follow their inputs: a rule change, the holiday calendar, the congress date.
 * Finished steps (completed, skipped) keep the due date they had.
 * Cells O1 and O2 keep everything open; F has steps 3, 5 and 13 completed and 4, 14 skipped.
 * (Cells have no step 2 nor 6: the template's appliesTo.)
 */
const TREE: ImportRow[] = [
  { code: 'P', name: 'Tỉnh ủy P', tier: 'province', parentCode: '' },
  { code: 'D', name: 'Huyện ủy D', tier: 'district', parentCode: 'P' },
  { code: 'G', name: 'Đảng ủy xã G', tier: 'grassroots', parentCode: 'D' },
  ...['O1', 'O2', 'F'].map((code): ImportRow => ({ code, name: `Chi bộ ${code}`, tier: 'cell', parentCode: 'G' })),
];
const CONGRESS = '2025-02-05';

describe('due dates are recomputed', () => {
  let t: TestApp;
  let ids: Record<string, number>;
  let planId: number;
  let finishedDates: Record<number, string | null>;

  beforeAll(async () => {
    t = await startTestApp();
    ({ ids, planId } = await plannedTree(t, TREE));
    for (const code of ['O1', 'O2', 'F']) expect((await setCongressDate(t, ids[code], CONGRESS)).status).toBe(200);
    await setStatus(t, ids.F, [3, 5, 13], 'completed');
    await setStatus(t, ids.F, [4, 14], 'skipped');
    finishedDates = await dueDates(t, ids.F);
    expect(finishedDates).toMatchObject({ 3: '2024-11-12', 4: '2024-11-12', 5: '2024-11-27', 13: '2025-02-13', 14: '2025-02-25' });
  });
  afterAll(async () => t?.close());

  /** The finished steps of F still carry their original dates. */
  const expectFinishedKept = async () => {
    const now = await dueDates(t, ids.F);
    for (const no of [3, 4, 5, 13, 14]) expect({ no, due: now[no] }).toEqual({ no, due: finishedDates[no] });
  };
  const patchStep = (no: number, deadlines: unknown) =>
    t.request('PATCH', `/api/plans/${planId}/steps/${no}`, { token: t.adminToken, body: { deadlines } });

  it('after a rule change, for open steps only', async () => {
    expect((await patchStep(3, { cell: { daysFromCongress: -10, workingDays: false } })).status).toBe(200);
    expect((await patchStep(4, { cell: { daysFromCongress: -10, workingDays: false } })).status).toBe(200);
    // 5/2 − 10 days is Sun 26/1/2025, then Tết (27–31/1) and a weekend: moved to Mon 3/2/2025.
    for (const code of ['O1', 'O2']) expect(await dueDates(t, ids[code])).toMatchObject({ 3: '2025-02-03', 4: '2025-02-03' });
    // F: step 3 completed and 4 skipped keep 12/11/2024; its open step 7 is not governed by these rules.
    await expectFinishedKept();
    expect((await dueDates(t, ids.F))[7]).toBe('2024-11-22');
    // The grassroots rule was not named, so G's step 3 still counts -85 days (G has no congress date: null).
    expect((await dueDates(t, ids.G))[3]).toBeNull();
  });

  it('after adding and removing a holiday, for working-day rules of open steps', async () => {
    const before = await dueDates(t, ids.O1);
    expect(before).toMatchObject({ 13: '2025-02-13', 14: '2025-02-25', 15: '2025-03-07' });

    const put = await t.request('PUT', '/api/holidays/2025-02-12', { token: t.adminToken, body: { name: 'Nghỉ bù' } });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ date: '2025-02-12', name: 'Nghỉ bù', kind: 'holiday' });
    const listed = await t.request('GET', '/api/holidays?year=2025', { token: t.adminToken });
    expect(listed.body).toContainEqual({ date: '2025-02-12', name: 'Nghỉ bù', kind: 'holiday' });
    expect(listed.body.filter((h: any) => h.date >= '2025-01-27' && h.date <= '2025-01-31')).toHaveLength(5);

    // +7 working days from Wed 5/2 (the make-up Saturday 8/2 counts) was Thu 13/2; with Wed 12/2 off
    // it is Fri 14/2. +15: 25/2 → 26/2.
    const during = await dueDates(t, ids.O1);
    expect(during).toMatchObject({ 13: '2025-02-14', 14: '2025-02-26' });
    // Calendar-day and absolute dates do not land on 12/2; -35/-30 working days lie before the holiday.
    for (const no of [1, 5, 10, 11, 12, 15]) expect({ no, due: during[no] }).toEqual({ no, due: before[no] });
    await expectFinishedKept();

    const del = await t.request('DELETE', '/api/holidays/2025-02-12', { token: t.adminToken });
    expect(del.status).toBe(204);
    expect(await dueDates(t, ids.O1)).toEqual(before);
    await expectFinishedKept();
    expectError(await t.request('DELETE', '/api/holidays/2025-02-12', { token: t.adminToken }), 404, 'NOT_FOUND');
  });

  it('holiday edits are admin-only and validated', async () => {
    const supervisor = await t.loginAs('supervisor', t.rootUnitId);
    expectError(await t.request('PUT', '/api/holidays/2025-02-13', { token: supervisor, body: { name: 'x' } }), 403, 'FORBIDDEN_SCOPE');
    expectError(await t.request('DELETE', '/api/holidays/2025-01-27', { token: supervisor }), 403, 'FORBIDDEN_SCOPE');
    expectError(await t.request('PUT', '/api/holidays/2025-02-30', { token: t.adminToken, body: { name: 'x' } }), 400, 'VALIDATION_FAILED');
    expectError(await t.request('PUT', '/api/holidays/2025-02-13', { token: t.adminToken, body: {} }), 400, 'VALIDATION_FAILED');
    const { rows } = await t.db.query(`SELECT count(*)::int AS n FROM holidays WHERE date = '2025-02-13'`);
    expect(rows[0].n).toBe(0);
    expect((await dueDates(t, ids.O1))[13]).toBe('2025-02-13');
  });

  it('after a congress date change, for open steps only', async () => {
    const res = await setCongressDate(t, ids.F, '2025-03-05');
    expect(res.status).toBe(200);
    const now = await dueDates(t, ids.F);
    // Step 1: 30/11/2024 is a Saturday, moved to Mon 2/12. Step 10: −35 working days counting the make-up Saturday 8/2.
    expect(now).toMatchObject({ 1: '2024-12-02', 10: '2025-01-09', 12: '2025-03-05', 13: '2025-02-13', 15: '2025-04-04' });
    await expectFinishedKept();
    // O2 is untouched by F's change.
    expect((await dueDates(t, ids.O2))[12]).toBe(CONGRESS);
  });

  it('clearing the congress date unschedules the open offset steps', async () => {
    const res = await setCongressDate(t, ids.O2, null);
    expect(res.status).toBe(200);
    expect(res.body.congressDate).toBeNull();
    const now = await dueDates(t, ids.O2);
    expect(now[1]).toBe('2024-12-02');
    const offsetSteps = Object.keys(now)
      .map(Number)
      .filter((no) => no !== 1);
    expect(offsetSteps).toEqual([3, 4, 5, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    for (const no of offsetSteps) expect({ no, due: now[no] }).toEqual({ no, due: null });
  });

  it.each([
    ['cell', 'O1', '2024-12-31'],
    ['cell', 'O1', '2025-04-01'],
    ['grassroots', 'G', '2025-07-01'],
  ])('a %s congress date outside the window (%s on %s) → 400 VALIDATION_FAILED, nothing changes', async (_tier, code, date) => {
    const before = await dueDates(t, ids[code]);
    const { rows } = await t.db.query(`SELECT to_char(congress_date, 'YYYY-MM-DD') AS d FROM units WHERE id = $1`, [ids[code]]);
    const res = await setCongressDate(t, ids[code], date);
    expectError(res, 400, 'VALIDATION_FAILED');
    expect(res.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'congressDate' })]));
    const after = await t.db.query(`SELECT to_char(congress_date, 'YYYY-MM-DD') AS d FROM units WHERE id = $1`, [ids[code]]);
    expect(after.rows[0].d).toBe(rows[0].d);
    expect(await dueDates(t, ids[code])).toEqual(before);
  });

  it('the window bounds themselves are accepted', async () => {
    for (const [code, date] of [
      ['G', '2025-04-01'],
      ['G', '2025-06-30'],
      ['O1', '2025-01-01'],
      ['O1', '2025-03-31'],
    ]) {
      const res = await setCongressDate(t, ids[code], date);
      expect({ code, date, status: res.status, stored: res.body.congressDate }).toEqual({ code, date, status: 200, stored: date });
    }
    expect((await dueDates(t, ids.G))[12]).toBe('2025-06-30');
  });
});
