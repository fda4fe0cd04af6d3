import { Injectable } from '@nestjs/common';
import { DomainError, Transactions, Tx } from '@app/core';
import { isCalendarDate } from './deadline-rules';
import { HolidayDto, HolidayKind } from './dto/plan.dto';
import { HolidaysRepository } from './holidays.repository';
import { PlansRepository } from './plans.repository';

/**
 * The calendar due dates are computed on: public holidays (days off) and make-up working days (a
 * Saturday or Sunday that is worked). It covers the years it has entries for, 1 January of the first
 * to 31 December of the last; a due date that needs a day outside is refused (409
 * CALENDAR_NOT_COVERED), never guessed. Every change recomputes the open due dates that have a rule,
 * in the same transaction: a change that would leave one of them uncovered is refused whole.
 */
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

  async put(date: string, name: string, kind: HolidayKind = 'holiday'): Promise<HolidayDto> {
    assertDate(date);
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
    if (kind === 'workday' && weekday !== 0 && weekday !== 6) {
      throw DomainError.validation([{ field: 'kind', reason: 'workday (a make-up working day) must be a Saturday or Sunday' }]);
    }
    await this.changeCalendar((tx) => this.holidays.upsert(date, name, kind, tx));
    return { date, name, kind };
  }

  /** The years the calendar covers: due dates outside them are refused. */
  coveredYears(): Promise<{ first: number; last: number } | null> {
    return this.holidays.coveredYears();
  }

  async remove(date: string): Promise<void> {
    assertDate(date);
    await this.changeCalendar(async (tx) => {
      if (!(await this.holidays.delete(date, tx))) throw DomainError.notFound('Holiday', date);
    });
  }

  /** One calendar change at a time: the change, the rebuilt calendar, the open due dates (all depend on it). */
  private async changeCalendar(change: (tx: Tx) => Promise<void>): Promise<void> {
    await this.transactions.run(async (tx) => {
      await this.transactions.lock(tx, 'calendar');
      await change(tx);
      await this.holidays.refreshCalendar(tx);
      await this.plans.recomputeCalendarRules(tx);
    });
  }
}

function assertDate(date: string): void {
  if (!isCalendarDate(date)) throw DomainError.validation([{ field: 'date', reason: 'must be a calendar date YYYY-MM-DD' }]);
}
