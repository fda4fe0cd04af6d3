import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '@app/core';
import { isCalendarDate } from './deadline-rules';
import { HolidayDto } from './dto/plan.dto';
import { PlansRepository } from './plans.repository';

// Only steps whose rule counts working days move when the calendar changes.
const WORKING_DAY_RULES = `coalesce((ps.deadlines -> u.tier ->> 'workingDays')::boolean, false)`;

/** The public-holiday calendar that working-day deadlines skip. */
@Injectable()
export class HolidaysService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly plans: PlansRepository,
  ) {}

  list(year?: string): Promise<HolidayDto[]> {
    return this.db.query(
      `SELECT to_char(date, 'YYYY-MM-DD') AS date, name FROM holidays
        WHERE $1::int IS NULL OR extract(year FROM date) = $1::int ORDER BY date`,
      [year ?? null],
    );
  }

  async put(date: string, name: string): Promise<HolidayDto> {
    assertDate(date);
    await this.changeCalendar((tx) =>
      tx.query(`INSERT INTO holidays (date, name) VALUES ($1, $2) ON CONFLICT (date) DO UPDATE SET name = EXCLUDED.name`, [date, name]),
    );
    return { date, name };
  }

  async remove(date: string): Promise<void> {
    assertDate(date);
    await this.changeCalendar(async (tx) => {
      // A CTE: TypeORM answers a bare DELETE with [rows, rowCount], whose length is always 2.
      const rows: unknown[] = await tx.query(`WITH gone AS (DELETE FROM holidays WHERE date = $1 RETURNING 1) SELECT 1 FROM gone`, [date]);
      if (rows.length === 0) throw DomainError.notFound('Holiday', date);
    });
  }

  private async changeCalendar(change: (tx: EntityManager) => Promise<unknown>): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(7351026)`);
      await change(tx);
      await tx.query(`SELECT refresh_calendar()`);
      await this.plans.recompute(WORKING_DAY_RULES, [], tx);
    });
  }
}

function assertDate(date: string): void {
  if (!isCalendarDate(date)) throw DomainError.validation([{ field: 'date', reason: 'must be a calendar date YYYY-MM-DD' }]);
}
