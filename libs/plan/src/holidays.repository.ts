import { Injectable } from '@nestjs/common';
import { Sql, type Tx } from '@app/core';
import type { HolidayDto } from './dto/plan.dto';

/** The SQL of the holiday calendar and of calendar_days, which working-day deadlines are computed from. */
@Injectable()
export class HolidaysRepository {
  constructor(private readonly sql: Sql) {}

  list(year?: string): Promise<HolidayDto[]> {
    return this.sql.query(
      `SELECT to_char(date, 'YYYY-MM-DD') AS date, name FROM holidays
        WHERE $1::int IS NULL OR extract(year FROM date) = $1::int ORDER BY date`,
      [year ?? null],
    );
  }

  async upsert(date: string, name: string, tx: Tx): Promise<void> {
    await tx.query(`INSERT INTO holidays (date, name) VALUES ($1, $2) ON CONFLICT (date) DO UPDATE SET name = EXCLUDED.name`, [date, name]);
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
