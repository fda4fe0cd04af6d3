import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { TIERS, Tier } from '@app/core';
import { STEP_STATUSES, type StepStatus } from '../transition-table';

export class ChildrenQuery {
  /** Show this step of each child (and filter on its status with `status`). */
  @ApiPropertyOptional({ type: Number, minimum: 1, maximum: 15 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(15)
  stepNo?: number;

  /** Only children whose step `stepNo` has this status (needs stepNo). */
  @ApiPropertyOptional({ enum: STEP_STATUSES, enumName: 'StepStatus' })
  @IsOptional()
  @IsIn(STEP_STATUSES)
  status?: StepStatus;

  /** Merged and dissolved children too (default: active children only). */
  @ApiPropertyOptional({ type: Boolean })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'includeClosed must be true or false' })
  includeClosed?: boolean;

  /** Name or code, accents and case ignored, from the start of a word. */
  @ApiPropertyOptional({ minLength: 1, maxLength: 100 })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  q?: string;

  @ApiPropertyOptional({ type: Number, minimum: 1, default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100000)
  page = 1;

  @ApiPropertyOptional({ type: Number, minimum: 1, maximum: 500, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  pageSize = 20;
}

export class ChildProgressDto {
  /** Steps completed or skipped. */
  @ApiProperty()
  completed: number;
  @ApiProperty()
  total: number;
  @ApiProperty()
  overdue: number;
}

export class ChildStepDto {
  @ApiProperty({ minimum: 1, maximum: 15 })
  no: number;
  @ApiProperty({ enum: STEP_STATUSES, enumName: 'StepStatus' })
  status: StepStatus;
  @ApiProperty()
  version: number;
  @ApiProperty({ type: String, nullable: true, description: 'YYYY-MM-DD' })
  dueDate: string | null;
  @ApiProperty()
  overdue: boolean;
}

export class ChildUnitDto {
  @ApiProperty()
  id: number;
  @ApiProperty()
  code: string;
  @ApiProperty()
  name: string;
  @ApiProperty({ enum: TIERS, enumName: 'Tier' })
  tier: Tier;
  @ApiProperty()
  childrenCount: number;
  @ApiProperty({ type: () => ChildProgressDto })
  progress: ChildProgressDto;
  /** The step `stepNo` of the query; null without stepNo or when the child has no such step (no plan). */
  @ApiProperty({ type: () => ChildStepDto, nullable: true })
  step: ChildStepDto | null;
}

export class ChildrenPageDto {
  @ApiProperty({ type: () => [ChildUnitDto] })
  items: ChildUnitDto[];
  @ApiProperty()
  total: number;
}
