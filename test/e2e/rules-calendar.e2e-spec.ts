import type { QueryRunner } from 'typeorm';
// The migration itself, run down and up on a test database (it is not part of any library's API).
// eslint-disable-next-line no-restricted-imports
import { CalendarDetails1764000012000 } from '../../libs/core/src/database/migrations/1764000012000-CalendarDetails';
import { startTestApp, TestApp } from '../setup/test-app';
import { expectError } from '../setup/errors';
import type { ImportRow } from '../factories/tree';
import { dueDates, plannedTree, setCongressDate } from '../factories/workflow';

/**
 * The calendar's details (issue 11, item 6): make-up working days beside holidays, calendar-day and
 * absolute deadlines moved off days off, the calendar's covered years and its end as an error.
 * Every date is counted by hand on the shipped 2024–2026 calendar (Tết Ất Tỵ off 27–31/1/2025 with
 * Saturday 8/2/2025 worked; 30/4–2/5/2025 off with Saturday 26/4/2025 worked; Giỗ Tổ Mon 7/4/2025).
 */
const TREE: ImportRow[] = [
  { code: 'P', name: 'Tỉnh ủy P', tier: 'province', parentCode: '' },
  { code: 'D', name: 'Huyện ủy D', tier: 'district', parentCode: 'P' },
  { code: 'G', name: 'Đảng ủy xã G', tier: 'grassroots', parentCode: 'D' },
  { code: 'K', name: 'Chi bộ K', tier: 'cell', parentCode: 'G' },
];

describe('calendar rules: holidays, make-up working days, moved dates, the calendar’s end', () => {
  let t: TestApp;
  let ids: Record<string, number>;
  let planId: number;

  beforeAll(async () => {
    t = await startTestApp();
    ({ ids, planId } = await plannedTree(t, TREE));
  });
  afterAll(async () => t?.close());

  const patchStep = (no: number, deadlines: unknown) =>
    t.request('PATCH', `/api/plans/${planId}/steps/${no}`, { token: t.adminToken, body: { deadlines } });
  const putDay = (date: string, body: unknown) => t.request('PUT', `/api/holidays/${date}`, { token: t.adminToken, body });
  const deleteDay = (date: string) => t.request('DELETE', `/api/holidays/${date}`, { token: t.adminToken });

  it('the shipped calendar covers 2024–2026 with the make-up days: GET lists both kinds', async () => {
    const coverage = await t.request('GET', '/api/holidays/coverage', { token: t.adminToken });
    expect(coverage.body).toEqual({ firstYear: 2024, lastYear: 2026 });
    const y2024 = (await t.request('GET', '/api/holidays?year=2024', { token: t.adminToken })).body;
    const byDate = Object.fromEntries(y2024.map((h: any) => [h.date, h.kind]));
    // Tết Giáp Thìn 8–14/2/2024 (the weekend inside), 30/4–1/5/2024 with Mon 29/4 off and Sat 4/5 worked.
    for (const d of ['2024-02-08', '2024-02-09', '2024-02-12', '2024-02-13', '2024-02-14', '2024-04-29', '2024-04-30', '2024-05-01'])
      expect({ d, kind: byDate[d] }).toEqual({ d, kind: 'holiday' });
    expect(byDate['2024-05-04']).toBe('workday');
    const y2025 = (await t.request('GET', '/api/holidays?year=2025', { token: t.adminToken })).body;
    expect(y2025).toContainEqual(expect.objectContaining({ date: '2025-02-08', kind: 'workday' }));
    expect(y2025).toContainEqual(expect.objectContaining({ date: '2025-01-30', kind: 'holiday' }));
  });

  // [rule name, tier, step, rule, congress date (null: none needed), expected due date]
  const TABLE: [string, 'cell' | 'grassroots', number, object, string | null, string][] = [
    ['working days: a make-up Saturday counts', 'cell', 13, { daysFromCongress: 7, workingDays: true }, '2025-02-05', '2025-02-13'],
    ['working days: holidays are skipped (Tết)', 'cell', 13, { daysFromCongress: 3, workingDays: true }, '2025-01-24', '2025-02-05'],
    [
      'working days: back over the 30/4–2/5 holidays',
      'grassroots',
      11,
      { daysFromCongress: -3, workingDays: true },
      '2025-05-07',
      '2025-04-29',
    ],
    [
      'calendar days: a Sunday before Tết moves past Tết',
      'cell',
      3,
      { daysFromCongress: -10, workingDays: false },
      '2025-02-05',
      '2025-02-03',
    ],
    [
      'calendar days: a make-up Saturday is a working day, not moved',
      'cell',
      3,
      { daysFromCongress: 3, workingDays: false },
      '2025-02-05',
      '2025-02-08',
    ],
    [
      'calendar days: a holiday (Giỗ Tổ 7/4/2025) moves to the next day',
      'cell',
      15,
      { daysFromCongress: 30, workingDays: false },
      '2025-03-08',
      '2025-04-08',
    ],
    ['calendar days: a working day stays', 'cell', 15, { daysFromCongress: 30, workingDays: false }, '2025-02-05', '2025-03-07'],
    ['absolute date: a Saturday moves to Monday', 'cell', 1, { date: '2025-03-01' }, null, '2025-03-03'],
    ['absolute date: 30/4/2025 moves past 30/4–2/5 and the weekend', 'cell', 1, { date: '2025-04-30' }, null, '2025-05-05'],
    ['absolute date: the make-up Saturday 26/4/2025 stays', 'cell', 1, { date: '2025-04-26' }, null, '2025-04-26'],
    ['absolute date: Tết Giáp Thìn 2024 (10/2/2024) moves to 15/2/2024', 'cell', 1, { date: '2024-02-10' }, null, '2024-02-15'],
  ];
  it.each(TABLE)('%s', async (_name, tier, no, rule, congress, expected) => {
    const unit = tier === 'cell' ? ids.K : ids.G;
    if (congress) expect((await setCongressDate(t, unit, congress)).status).toBe(200);
    expect((await patchStep(no, { [tier]: rule })).status).toBe(200);
    expect((await dueDates(t, unit))[no]).toBe(expected);
  });

  it('step 2’s −100 calendar days landing on mùng 2 Tết Ất Tỵ (30/1/2025) moves to Mon 3/2/2025', async () => {
    // The template's rule, restored for grassroots: 10/5/2025 − 100 days = Thu 30/1/2025, mùng 2 Tết.
    expect((await patchStep(2, { grassroots: { daysFromCongress: -100, workingDays: false } })).status).toBe(200);
    expect((await setCongressDate(t, ids.G, '2025-05-10')).status).toBe(200);
    expect((await dueDates(t, ids.G))[2]).toBe('2025-02-03');
  });

  describe('holiday × workday: a calendar change moves the open due dates of every rule', () => {
    // Cell K: congress Wed 5/2/2025; step 13 +7 working days, step 3 +3 calendar days (Sat 8/2), step 1 absolute Sat 15/2.
    beforeAll(async () => {
      expect((await setCongressDate(t, ids.K, '2025-02-05')).status).toBe(200);
      expect((await patchStep(13, { cell: { daysFromCongress: 7, workingDays: true } })).status).toBe(200);
      expect((await patchStep(3, { cell: { daysFromCongress: 3, workingDays: false } })).status).toBe(200);
      expect((await patchStep(1, { cell: { date: '2025-02-15' } })).status).toBe(200);
    });

    // [change, then due dates of steps 13, 3, 1]
    const CHANGES: [string, () => Promise<unknown>, Record<number, string>][] = [
      ['as shipped (8/2 worked, 15/2 a Saturday off)', async () => undefined, { 13: '2025-02-13', 3: '2025-02-08', 1: '2025-02-17' }],
      [
        'Sat 15/2 made a workday: the absolute date stays on it',
        () => putDay('2025-02-15', { name: 'Làm bù', kind: 'workday' }),
        { 13: '2025-02-13', 3: '2025-02-08', 1: '2025-02-15' },
      ],
      [
        'Sat 8/2 no longer worked: working days and the calendar-day date move',
        () => deleteDay('2025-02-08'),
        { 13: '2025-02-14', 3: '2025-02-10', 1: '2025-02-15' },
      ],
      [
        'Mon 10/2 a holiday: both move once more',
        () => putDay('2025-02-10', { name: 'Nghỉ thử' }),
        { 13: '2025-02-15', 3: '2025-02-11', 1: '2025-02-15' },
      ],
      [
        'Sat 15/2 turned into a holiday (kind changed): off again',
        () => putDay('2025-02-15', { name: 'Nghỉ', kind: 'holiday' }),
        { 13: '2025-02-17', 3: '2025-02-11', 1: '2025-02-17' },
      ],
      [
        'back as shipped',
        async () => {
          await deleteDay('2025-02-15');
          await deleteDay('2025-02-10');
          await putDay('2025-02-08', { name: 'Làm bù cho ngày 27/01/2025 (Tết Ất Tỵ)', kind: 'workday' });
        },
        { 13: '2025-02-13', 3: '2025-02-08', 1: '2025-02-17' },
      ],
    ];
    it.each(CHANGES)('%s', async (_name, change, expected) => {
      await change();
      const due = await dueDates(t, ids.K);
      expect({ 13: due[13], 3: due[3], 1: due[1] }).toEqual(expected);
    });
  });

  it('PUT /api/holidays/:date takes kind holiday (default) or workday, a workday only on a weekend', async () => {
    const res = await putDay('2025-03-15', { name: 'Làm bù thử', kind: 'workday' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ date: '2025-03-15', name: 'Làm bù thử', kind: 'workday' });
    expect((await putDay('2025-03-15', { name: 'Nghỉ thử' })).body).toEqual({ date: '2025-03-15', name: 'Nghỉ thử', kind: 'holiday' });
    expect((await deleteDay('2025-03-15')).status).toBe(204);
    const weekday = await putDay('2025-03-12', { name: 'x', kind: 'workday' });
    expectError(weekday, 400, 'VALIDATION_FAILED');
    expect(weekday.body.details).toEqual([expect.objectContaining({ field: 'kind' })]);
    expectError(await putDay('2025-03-15', { name: 'x', kind: 'makeup' }), 400, 'VALIDATION_FAILED');
    const { rows } = await t.db.query(`SELECT count(*)::int AS n FROM holidays WHERE date IN ('2025-03-12', '2025-03-15')`);
    expect(rows[0].n).toBe(0);
  });

  describe('the calendar’s end is an error, not a wrong day', () => {
    const expectNotCovered = (res: any, year: number) => {
      expectError(res, 409, 'CALENDAR_NOT_COVERED');
      expect(res.body.message).toContain(`Lịch ngày nghỉ chưa có năm ${year}`);
      expect(res.body.details).toEqual({ year });
    };

    it.each([
      ['working days past 2026', { daysFromCongress: 700, workingDays: true }, 2027],
      ['working days before 2024', { daysFromCongress: -400, workingDays: true }, 2023],
      ['calendar days before 2024', { daysFromCongress: -500, workingDays: false }, 2023],
      ['an absolute date in 2027', { date: '2027-01-04' }, 2027],
    ])('%s → 409 CALENDAR_NOT_COVERED, the rule not saved', async (_name, rule, year) => {
      expect((await setCongressDate(t, ids.K, '2025-02-05')).status).toBe(200);
      const before = await dueDates(t, ids.K);
      const plan = (await t.request('GET', `/api/plans/${planId}`, { token: t.adminToken })).body;
      expectNotCovered(await patchStep(15, { cell: rule }), year);
      expect(await dueDates(t, ids.K)).toEqual(before);
      const after = (await t.request('GET', `/api/plans/${planId}`, { token: t.adminToken })).body;
      expect(after.steps[14].deadlines.cell).toEqual(plan.steps[14].deadlines.cell);
    });

    it('a congress date whose working-day deadline falls past the calendar is refused, the date kept', async () => {
      expect((await patchStep(15, { grassroots: { daysFromCongress: 400, workingDays: true } })).status).toBe(200);
      expect((await setCongressDate(t, ids.G, '2025-03-20')).status).toBe(200);
      expect((await dueDates(t, ids.G))[15]).toBe('2026-10-23');
      expectNotCovered(await setCongressDate(t, ids.G, '2025-06-30'), 2027);
      const { rows } = await t.db.query(`SELECT to_char(congress_date, 'YYYY-MM-DD') AS d FROM units WHERE id = $1`, [ids.G]);
      expect(rows[0].d).toBe('2025-03-20');
      expect((await patchStep(15, { grassroots: { daysFromCongress: 30, workingDays: false } })).status).toBe(200);
    });

    it('a holiday that would move a date past the last covered day is refused, nothing stored', async () => {
      expect((await patchStep(15, { cell: { date: '2026-12-31' } })).status).toBe(200);
      expect((await dueDates(t, ids.K))[15]).toBe('2026-12-31');
      expectNotCovered(await putDay('2026-12-31', { name: 'Nghỉ thử' }), 2027);
      const { rows } = await t.db.query(`SELECT count(*)::int AS n FROM holidays WHERE date = '2026-12-31'`);
      expect(rows[0].n).toBe(0);
    });

    it('entering 2027 covers it: the same rules are then computed; removing it again is refused while a date needs it', async () => {
      expect((await putDay('2027-01-01', { name: 'Tết Dương lịch' })).status).toBe(200);
      expect((await t.request('GET', '/api/holidays/coverage', { token: t.adminToken })).body).toEqual({ firstYear: 2024, lastYear: 2027 });
      expect((await patchStep(15, { cell: { date: '2027-01-01' } })).status).toBe(200);
      expect((await dueDates(t, ids.K))[15]).toBe('2027-01-04'); // Fri 1/1/2027 off, then the weekend
      expectNotCovered(await deleteDay('2027-01-01'), 2027);
      expect((await patchStep(15, { cell: { daysFromCongress: 30, workingDays: false } })).status).toBe(200);
      expect((await deleteDay('2027-01-01')).status).toBe(204);
      expect((await t.request('GET', '/api/holidays/coverage', { token: t.adminToken })).body).toEqual({ firstYear: 2024, lastYear: 2026 });
    });
  });
});

describe('migration 1764000012000: an existing deployment follows the new rules once', () => {
  let t: TestApp;
  let ids: Record<string, number>;
  let planId: number;

  beforeAll(async () => {
    t = await startTestApp();
    ({ ids, planId } = await plannedTree(t, TREE));
    expect((await setCongressDate(t, ids.K, '2025-02-05')).status).toBe(200);
  });
  afterAll(async () => t?.close());

  it('old default window starts are dropped and the stored open due dates are recomputed on the new calendar', async () => {
    const runner = { query: async (sql: string, params?: unknown[]) => (await t.db.query(sql, params)).rows } as unknown as QueryRunner;
    const migration = new CalendarDetails1764000012000();
    const now = await dueDates(t, ids.K);
    // Back to the calendar before the migration, with the due dates and windows it gave.
    await migration.down(runner);
    await t.db.query(`UPDATE unit_steps SET due_date = '2024-11-30' WHERE unit_id = $1 AND step_no = 1`, [ids.K]);
    await t.db.query(`UPDATE unit_steps SET due_date = '2025-02-14' WHERE unit_id = $1 AND step_no = 13`, [ids.K]);
    await t.db.query(
      `UPDATE plans SET congress_windows = congress_windows || '{"grassroots": {"from": "2025-04-01", "to": "2025-06-30"}}' WHERE id = $1`,
      [planId],
    );
    await migration.up(runner);
    expect(await dueDates(t, ids.K)).toEqual(now);
    expect(now).toMatchObject({ 1: '2024-12-02', 13: '2025-02-13' });
    const { rows } = await t.db.query(`SELECT congress_windows -> 'grassroots' AS w FROM plans WHERE id = $1`, [planId]);
    expect(rows[0].w).toEqual({ to: '2025-06-30' });
    expect((await setCongressDate(t, ids.G, '2025-03-20')).status).toBe(200);
  });
});
