import { ApiProperty } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateBy,
  ValidateIf,
} from 'class-validator';
import { IsDbInt, IsOmittable, MAX_YEAR, MIN_YEAR, TIERS, type Tier } from '@app/core';

export class CreatePlanDto {
  @Matches(/^[A-Za-z0-9._-]{1,64}$/, { message: 'code must be 1-64 letters, digits, ".", "_" or "-"' })
  code: string;

  @IsString()
  @Length(1, 300)
  name: string;

  /**
   * Optional congress windows per tier {from?, to}: `to` is the "complete before" date (inclusive),
   * `from` an optional start (enforced when set). The template's (Directive 45-CT/TW) otherwise.
   */
  @IsOmittable()
  @IsObject()
  congressWindows?: Record<string, unknown>;
}

export class UpdatePlanStepDto {
  /** tier → {date: "YYYY-MM-DD"} or {daysFromCongress, workingDays}; tiers not named keep their rule. */
  @IsOmittable()
  @IsObject()
  deadlines?: Record<string, unknown>;

  /**
   * The approver's clock: working days from a submission for the superior to decide (15 for step 13,
   * the ratification); null removes it. Only for steps that need approval. Applies to later submissions.
   */
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsInt()
  @Min(1)
  @Max(120)
  approvalWorkingDays?: number | null;

  /**
   * The tiers whose units get this step: a non-empty set of tiers. On an active plan, units of an
   * added tier get the step at once; units of a removed tier lose it while it is not started (409 if
   * one of them has already worked on it).
   */
  @IsOmittable()
  @IsArray()
  @ArrayMinSize(1, { message: 'appliesTo must name at least one tier' })
  @ArrayMaxSize(TIERS.length)
  @ArrayUnique({ message: 'appliesTo must not repeat a tier' })
  @IsIn(TIERS, { each: true, message: `each tier in appliesTo must be one of ${TIERS.join(', ')}` })
  @ApiProperty({ required: false, enum: TIERS, isArray: true })
  appliesTo?: Tier[];
}

export class UpdatePlanDto {
  @IsOmittable()
  @IsString()
  @Length(1, 300)
  name?: string;

  /** tier → {from?, to} ("complete before" to; a start only when given); tiers not named keep their window. */
  @IsOmittable()
  @IsObject()
  congressWindows?: Record<string, unknown>;
}

export class ActivatePlanDto {
  @IsDbInt()
  rootUnitId: number;
}

/** A dated milestone inside a step: its own due date per tier (tiers without a rule have none), marked done by the unit. */
export class MilestoneDto {
  titleVi: string;
  titleEn: string;
  /** tier → {date} or {daysFromCongress, workingDays}, like a step's deadlines. */
  deadlines: Record<string, unknown>;
}

export class PlanStepDto {
  no: number;
  code: string;
  /** Vietnamese title. */
  title: string;
  titleEn: string;
  requiresApproval: boolean;
  dependsOn: number[];
  deadlines: Record<string, unknown>;
  /** The approver's clock in working days from submission (null: none). */
  @ApiProperty({ type: Number, nullable: true })
  approvalWorkingDays: number | null;
  /** The tiers whose units get this step; units of other tiers do not have it. */
  @ApiProperty({ enum: TIERS, isArray: true })
  appliesTo: Tier[];
  /** A dated point inside the step (step 11: delegate allocation), or null. */
  @ApiProperty({ type: () => MilestoneDto, nullable: true })
  milestone: MilestoneDto | null;
}

export class PlanDto {
  id: number;
  code: string;
  name: string;
  status: 'draft' | 'active';
  rootUnitId: number | null;
  /** tier → {from?, to}: complete before `to`; `from` only when the plan sets a start. */
  congressWindows: Partial<Record<Tier, { from?: string; to: string }>>;
  steps: PlanStepDto[];
}

export class DueDateMoveDto {
  unitId: number;
  code: string;
  name: string;
  /** The due date now (null: none). */
  from: string | null;
  /** The due date with the new rules. */
  to: string | null;
}

/** The effect of new deadline rules on a step's open steps, before saving them. */
export class DeadlinePreviewDto {
  /** Open steps (not completed, skipped or closed) of this plan step. */
  openSteps: number;
  /** Of those, how many would get another due date. */
  moved: number;
  earlier: number;
  later: number;
  /** Up to 10 of the steps that move, by unit. */
  examples: DueDateMoveDto[];
}

export class ActivationResultDto {
  units: number;
  steps: number;
}

/** A day off (`holiday`), or a make-up working day (`workday`: a Saturday or Sunday that is worked). */
export const HOLIDAY_KINDS = ['holiday', 'workday'] as const;
export type HolidayKind = (typeof HOLIDAY_KINDS)[number];

export class HolidayDto {
  date: string;
  name: string;
  @ApiProperty({ enum: HOLIDAY_KINDS })
  kind: HolidayKind;
}

/** The years the calendar covers, 1 January of the first to 31 December of the last. */
export class CalendarCoverageDto {
  @ApiProperty({ type: Number, nullable: true })
  firstYear: number | null;
  @ApiProperty({ type: Number, nullable: true })
  lastYear: number | null;
}

export class PutHolidayDto {
  @IsString()
  @Length(1, 200)
  name: string;

  /** `holiday` (default): a day off; `workday`: a make-up working day, only on a Saturday or Sunday. */
  @ApiProperty({ enum: HOLIDAY_KINDS, required: false, default: 'holiday' })
  @IsOmittable()
  @IsIn(HOLIDAY_KINDS)
  kind?: HolidayKind;
}

export class HolidaysQuery {
  @IsOmittable()
  @Matches(/^\d{4}$/, { message: 'year must be YYYY' })
  @ValidateBy({
    name: 'yearInRange',
    validator: {
      validate: (v) => Number(v) >= MIN_YEAR && Number(v) <= MAX_YEAR,
      defaultMessage: () => `year must be from ${MIN_YEAR} to ${MAX_YEAR}`,
    },
  })
  year?: string;
}
