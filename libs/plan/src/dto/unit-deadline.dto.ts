import { IsString, Length } from 'class-validator';
import { IsCalendarDate } from '@app/core';

export class UnitDeadlineDto {
  /** The unit's own due date for the step (YYYY-MM-DD). */
  @IsCalendarDate()
  dueDate: string;

  /** Why (a new commune's compressed schedule, a pilot congress…). */
  @IsString()
  @Length(1, 500)
  reason: string;
}

export class UnitDeadlineResultDto {
  unitId: number;
  stepNo: number;
  dueDate: string | null;
  /** `unit`: the unit's own deadline; `plan`: the plan's rule for its tier. */
  dueDateSource: 'plan' | 'unit';
  reason: string | null;
}
