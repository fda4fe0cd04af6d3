import { Injectable } from '@nestjs/common';
import { Sql, type Tx } from '@app/core';
import type { HolidayDto, HolidayKind } from './dto/plan.dto';

/**
 * The SQL of the holiday calendar (days off and make-up working days) and of calendar_days, which due
 * dates are computed from. The calendar covers the years it has entries for (refresh_calendar()).
 */
@Injectable()
export class HolidaysRepository {
  constructor(private readonly sql: Sql) {}

  list(year?: string): Promise<HolidayDto[]> {
    return this.sql.query(
      `SELECT to_char(date, 'YYYY-MM-DD') AS date, name, kind FROM holidays
        WHERE $1::int IS NULL OR extract(year FROM date) = $1::int ORDER BY date`,
      [year ?? null],
    );
  }

  async upsert(date: string, name: string, kind: HolidayKind, tx: Tx): Promise<void> {
    await tx.query(
      `INSERT INTO holidays (date, name, kind) VALUES ($1, $2, $3) ON CONFLICT (date) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind`,
      [date, name, kind],
    );
  }

  /** The first and last year the calendar covers (null: no entries). */
  async coveredYears(): Promise<{ first: number; last: number } | null> {
    const [row]: { first: number | null; last: number | null }[] = await this.sql.query(
      `SELECT extract(year FROM min(day))::int AS first, extract(year FROM max(day))::int AS last FROM calendar_days`,
    );
    return row?.first == null || row.last == null ? null : { first: row.first, last: row.last };
  }

  /** False when there was no holiday on that date. */
  async delete(date: string, tx: Tx): Promise<boolean> {
    // A CTE: TypeORM answers a bare DELETE with [rows, rowCount], whose length is always 2.
    const rows: unknown[] = await tx.query(`WITH gone AS (DELETE FROM holidays WHERE date = $1 RETURNING 1) SELECT 1 FROM gone`, [date]);
    return rows.length > 0;
  }

  /** Rebuilds calendar_days (working days and their running index) from the weekends and the holidays. */
  async refreshCalendar(tx: Tx): Promise<void> {
    await tx.query(`SELECT refresh_calendar()`);
  }
}
