import { Injectable } from '@nestjs/common';
import { Sql } from '../database/transactions';

/** The days each daily job of the schedule queue has run (table schedule_runs): what lets a missed run be caught up once. */
@Injectable()
export class ScheduleRunsRepository {
  constructor(private readonly sql: Sql) {}

  async record(job: string, day: string): Promise<void> {
    await this.sql.query(
      `INSERT INTO schedule_runs (job, day) VALUES ($1, $2::date) ON CONFLICT (job, day) DO UPDATE SET finished_at = now()`,
      [job, day],
    );
  }

  /** Of `jobs`, those that have run on `day`. */
  async ranOn(jobs: string[], day: string): Promise<string[]> {
    const rows: { job: string }[] = await this.sql.query(`SELECT job FROM schedule_runs WHERE job = ANY($1::text[]) AND day = $2::date`, [
      jobs,
      day,
    ]);
    return rows.map((r) => r.job);
  }
}
