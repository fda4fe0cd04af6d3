import { MigrationInterface, QueryRunner } from 'typeorm';
import { FINISHED_SQL } from '../../steps';

/**
 * Entries added to the calendar: 2024 (plans started in 2024: Plan 301-KH/TU is of 12/9/2024, and
 * step 2's −100 days reaches back into 2024) and the make-up working days (ngày làm bù) of 2024–2025.
 * Sources (the yearly notices of the Ministry of Labour, Invalids and Social Affairs / Ministry of
 * Home Affairs on the days off of civil servants, under Labour Code 2019 art. 112 and Decree
 * 145/2020/NĐ-CP), as the press reported them:
 * - Tết Giáp Thìn 2024: off Thu 8/2 – Wed 14/2/2024 (7 days, the weekend 10–11/2 inside), no make-up day.
 * - Giỗ Tổ Hùng Vương 2024: Thu 18/4/2024 (10/3 âm lịch).
 * - 30/4–1/5/2024: Mon 29/4 swapped with Sat 4/5/2024 (off 27/4 – 1/5, Saturday 4/5 worked).
 * - Quốc khánh 2024: Mon 2/9 and Tue 3/9/2024 (off 31/8 – 3/9).
 * - Tết Ất Tỵ 2025: off Sat 25/1 – Sun 2/2/2025, Mon 27/1 swapped with Sat 8/2/2025 (worked).
 * - 30/4–1/5/2025: Fri 2/5 swapped with Sat 26/4/2025 (off 30/4 – 4/5, Saturday 26/4 worked).
 * The 2025–2026 holidays already seeded (1764000001000) stay as they are. These dates were not
 * re-checked against the official notices themselves: an admin corrects a day with
 * PUT /api/holidays/:date, and the open due dates follow.
 */
const ENTRIES: [string, string, 'holiday' | 'workday'][] = [
  ['2024-01-01', 'Tết Dương lịch', 'holiday'],
  ['2024-02-08', 'Tết Nguyên đán Giáp Thìn', 'holiday'],
  ['2024-02-09', 'Tết Nguyên đán Giáp Thìn', 'holiday'],
  ['2024-02-12', 'Tết Nguyên đán Giáp Thìn', 'holiday'],
  ['2024-02-13', 'Tết Nguyên đán Giáp Thìn (nghỉ bù)', 'holiday'],
  ['2024-02-14', 'Tết Nguyên đán Giáp Thìn (nghỉ bù)', 'holiday'],
  ['2024-04-18', 'Giỗ Tổ Hùng Vương', 'holiday'],
  ['2024-04-29', 'Nghỉ hoán đổi (làm bù thứ Bảy 04/5/2024)', 'holiday'],
  ['2024-04-30', 'Ngày Giải phóng miền Nam, thống nhất đất nước', 'holiday'],
  ['2024-05-01', 'Ngày Quốc tế Lao động', 'holiday'],
  ['2024-05-04', 'Làm bù cho ngày 29/4/2024', 'workday'],
  ['2024-09-02', 'Quốc khánh', 'holiday'],
  ['2024-09-03', 'Quốc khánh', 'holiday'],
  ['2025-02-08', 'Làm bù cho ngày 27/01/2025 (Tết Ất Tỵ)', 'workday'],
  ['2025-04-26', 'Làm bù cho ngày 02/5/2025', 'workday'],
  ['2025-05-02', 'Nghỉ hoán đổi (làm bù thứ Bảy 26/4/2025)', 'holiday'],
];

/** The due-date rules of @app/plan's plans.repository.ts as of this migration, never raising. */
const RULE = `(ps.deadlines -> u.tier)`;
const DAYS = `(${RULE} ->> 'daysFromCongress')::int`;
const ABSOLUTE = `(${RULE} ->> 'date')`;
const COUNTS_WORKING_DAYS = `(${ABSOLUTE} IS NULL AND coalesce((${RULE} ->> 'workingDays')::boolean, false))`;
const ANCHOR = `CASE WHEN ${ABSOLUTE} IS NOT NULL THEN ${ABSOLUTE}::date WHEN ${COUNTS_WORKING_DAYS} THEN u.congress_date
                     ELSE u.congress_date + ${DAYS} END`;
const RECOMPUTE_OPEN_DUE_DATES = `
  WITH target AS (
    SELECT us.unit_id, us.step_no,
           CASE WHEN ${ABSOLUTE} IS NULL AND (u.congress_date IS NULL OR ${DAYS} IS NULL) THEN NULL
                ELSE coalesce(c1.day, us.due_date) END AS due
      FROM unit_steps us
      JOIN units u ON u.id = us.unit_id
      JOIN plan_steps ps ON ps.plan_id = us.plan_id AND ps.no = us.step_no
      LEFT JOIN calendar_days c0 ON c0.day = ${ANCHOR}
      LEFT JOIN calendar_days c1 ON c1.is_working AND c1.work_index =
        CASE WHEN NOT ${COUNTS_WORKING_DAYS} THEN c0.work_index - c0.is_working::int + 1
             WHEN ${DAYS} >= 0 THEN c0.work_index + ${DAYS}
             ELSE c0.work_index - c0.is_working::int + ${DAYS} + 1 END
     WHERE us.status NOT IN ${FINISHED_SQL} AND ${RULE} IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM unit_deadlines ud WHERE ud.unit_id = us.unit_id AND ud.step_no = us.step_no)
  )
  UPDATE unit_steps us SET due_date = t.due
    FROM target t
   WHERE us.unit_id = t.unit_id AND us.step_no = t.step_no AND us.due_date IS DISTINCT FROM t.due`;

/** The congress window starts the template used to set, which refuse pilots (Directive 45-CT/TW gives only ends). */
const OLD_DEFAULT_STARTS: [string, string][] = [
  ['grassroots', '2025-04-01'],
  ['district', '2025-07-01'],
  ['province', '2025-09-01'],
];

/**
 * Calendar details and "complete before" windows:
 * - holidays get a kind: `holiday` (a day off) or `workday` (a make-up working day, e.g. a Saturday);
 * - refresh_calendar() (redefined; first defined in 1764000001000) builds calendar_days only over the
 *   years the calendar has entries for (1 January of the first to 31 December of the last), with
 *   workday entries as working days: a date outside is not silently a weekday-only guess;
 * - calendar_not_covered(anchor, days) raises SQLSTATE 'VC001' naming the year the calendar lacks,
 *   for due-date statements whose lookup fell outside calendar_days (the API answers 409
 *   CALENDAR_NOT_COVERED);
 * - plans whose windows still carry the old default starts lose them (a pilot may come earlier);
 * - the stored due dates of open steps follow the new calendar once (make-up days counted, dates on a
 *   day off moved), with the rules of this migration frozen below; where the calendar cannot answer,
 *   the stored date stays (a migration does not fail on data: the next recomputation reports it).
 */
export class CalendarDetails1764000012000 implements MigrationInterface {
  name = 'CalendarDetails1764000012000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE holidays ADD COLUMN kind text NOT NULL DEFAULT 'holiday'
        CONSTRAINT holidays_kind_known CHECK (kind IN ('holiday', 'workday'))`);
    for (const [date, name, kind] of ENTRIES) {
      await q.query(`INSERT INTO holidays (date, name, kind) VALUES ($1, $2, $3) ON CONFLICT (date) DO NOTHING`, [date, name, kind]);
    }
    await q.query(`
      CREATE OR REPLACE FUNCTION refresh_calendar() RETURNS void LANGUAGE sql AS $$
        DELETE FROM calendar_days;
        INSERT INTO calendar_days (day, is_working, work_index)
        SELECT d, w, sum(w::int) OVER (ORDER BY d)::int
          FROM (SELECT g.d::date AS d,
                       CASE h.kind WHEN 'workday' THEN true WHEN 'holiday' THEN false ELSE extract(isodow FROM g.d) < 6 END AS w
                  FROM generate_series((SELECT make_date(min(extract(year FROM date))::int, 1, 1) FROM holidays),
                                       (SELECT make_date(max(extract(year FROM date))::int, 12, 31) FROM holidays),
                                       interval '1 day') AS g(d)
                  LEFT JOIN holidays h ON h.date = g.d::date) days;
      $$`);
    // Called only where a due date's calendar lookup found nothing: `anchor` is the date counted from
    // (or the date to move), `days` the working days counted (0 for a move forward).
    await q.query(`
      CREATE FUNCTION calendar_not_covered(anchor date, days integer) RETURNS date LANGUAGE plpgsql VOLATILE AS $$
      DECLARE
        first_day date;
        last_day date;
        missing integer;
      BEGIN
        SELECT min(day), max(day) INTO first_day, last_day FROM calendar_days;
        missing := CASE
          WHEN first_day IS NULL OR anchor < first_day OR anchor > last_day THEN extract(year FROM anchor)
          WHEN days >= 0 THEN extract(year FROM last_day) + 1
          ELSE extract(year FROM first_day) - 1 END;
        RAISE EXCEPTION 'the holiday calendar does not cover %', missing USING ERRCODE = 'VC001', DETAIL = missing::text;
      END $$`);
    await q.query(`SELECT refresh_calendar()`);
    for (const [tier, from] of OLD_DEFAULT_STARTS) {
      await q.query(
        `UPDATE plans SET congress_windows = jsonb_set(congress_windows, ARRAY[$1::text], (congress_windows -> $1::text) - 'from')
          WHERE congress_windows -> $1::text ->> 'from' = $2`,
        [tier, from],
      );
    }
    await q.query(RECOMPUTE_OPEN_DUE_DATES);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION calendar_not_covered(date, integer)`);
    await q.query(`DELETE FROM holidays WHERE kind = 'workday'`);
    await q.query(`ALTER TABLE holidays DROP COLUMN kind`);
    await q.query(`
      CREATE OR REPLACE FUNCTION refresh_calendar() RETURNS void LANGUAGE sql AS $$
        DELETE FROM calendar_days;
        INSERT INTO calendar_days (day, is_working, work_index)
        SELECT d::date, w, sum(w::int) OVER (ORDER BY d)::int
          FROM (SELECT d, extract(isodow FROM d) < 6 AND NOT EXISTS (SELECT 1 FROM holidays h WHERE h.date = d::date) AS w
                  FROM generate_series(date '2020-01-01', date '2035-12-31', interval '1 day') AS d) days;
      $$`);
    await q.query(`SELECT refresh_calendar()`);
  }
}
