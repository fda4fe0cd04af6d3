import { Injectable } from '@nestjs/common';
import { DomainError, Transactions, Tx } from '@app/core';
import { isCalendarDate } from './deadline-rules';
import { HolidayDto } from './dto/plan.dto';
import { HolidaysRepository } from './holidays.repository';
import { PlansRepository } from './plans.repository';

/** The public-holiday calendar that working-day deadlines skip. */
@Injectable()
export class HolidaysService {
  constructor(
    private readonly transactions: Transactions,
    private readonly holidays: HolidaysRepository,
    private readonly plans: PlansRepository,
  ) {}

  list(year?: string): Promise<HolidayDto[]> {
    return this.holidays.list(year);
  }

  async put(date: string, name: string): Promise<HolidayDto> {
    assertDate(date);
    await this.changeCalendar((tx) => this.holidays.upsert(date, name, tx));
    return { date, name };
  }

  async remove(date: string): Promise<void> {
    assertDate(date);
    await this.changeCalendar(async (tx) => {
      if (!(await this.holidays.delete(date, tx))) throw DomainError.notFound('Holiday', date);
    });
  }

  /** One calendar change at a time: the change, the rebuilt calendar, the due dates that count working days. */
  private async changeCalendar(change: (tx: Tx) => Promise<void>): Promise<void> {
    await this.transactions.run(async (tx) => {
      await this.transactions.lock(tx, 'calendar');
      await change(tx);
      await this.holidays.refreshCalendar(tx);
      await this.plans.recomputeWorkingDayRules(tx);
    });
  }
}

function assertDate(date: string): void {
  if (!isCalendarDate(date)) throw DomainError.validation([{ field: 'date', reason: 'must be a calendar date YYYY-MM-DD' }]);
}
