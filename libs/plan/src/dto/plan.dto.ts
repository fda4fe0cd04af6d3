import { IsDefined, IsInt, IsObject, IsOptional, IsString, Length, Matches } from 'class-validator';
import type { Tier } from '@app/core';

export class CreatePlanDto {
  @Matches(/^[A-Za-z0-9._-]{1,64}$/, { message: 'code must be 1-64 letters, digits, ".", "_" or "-"' })
  code: string;

  @IsString()
  @Length(1, 300)
  name: string;

  /** Optional congress windows per tier {from, to}; the template's (Directive 45-CT/TW) otherwise. */
  @IsOptional()
  @IsObject()
  congressWindows?: Record<string, unknown>;
}

export class UpdatePlanStepDto {
  /** tier → {date: "YYYY-MM-DD"} or {daysFromCongress, workingDays}; tiers not named keep their rule. */
  @IsDefined()
  @IsObject()
  deadlines: Record<string, unknown>;
}

export class UpdatePlanDto {
  @IsOptional()
  @IsString()
  @Length(1, 300)
  name?: string;

  /** tier → {from, to}; tiers not named keep their window. */
  @IsOptional()
  @IsObject()
  congressWindows?: Record<string, unknown>;
}

export class ActivatePlanDto {
  @IsInt()
  rootUnitId: number;
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
}

export class PlanDto {
  id: number;
  code: string;
  name: string;
  status: 'draft' | 'active';
  rootUnitId: number | null;
  congressWindows: Partial<Record<Tier, { from: string; to: string }>>;
  steps: PlanStepDto[];
}

export class ActivationResultDto {
  units: number;
  steps: number;
}

export class HolidayDto {
  date: string;
  name: string;
}

export class PutHolidayDto {
  @IsString()
  @Length(1, 200)
  name: string;
}

export class HolidaysQuery {
  @IsOptional()
  @Matches(/^\d{4}$/, { message: 'year must be YYYY' })
  year?: string;
}
