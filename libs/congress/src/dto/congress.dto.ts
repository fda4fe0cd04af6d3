import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsDefined,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
  ValidateBy,
  ValidateNested,
} from 'class-validator';
import { CONGRESS_TYPES, type CongressType, IsCalendarDate, IsDbInt, IsOmittable } from '@app/core';
import { ApiProperty } from '@nestjs/swagger';

export const CONTENT_STATUSES = ['done', 'not_done', 'not_applicable'] as const;
export type ContentStatus = (typeof CONTENT_STATUSES)[number];
export const CONGRESS_KINDS = ['delegates', 'members'] as const;

export class ContentDto {
  /** 1 political report, 2 comments on higher documents, 3 elect the committee, 4 elect the delegates. */
  @IsInt()
  @Min(1)
  @Max(4)
  no: number;

  @IsIn(CONTENT_STATUSES)
  status: ContentStatus;

  /** Required for not_applicable: why the content did not apply (e.g. chỉ định cấp ủy after a merger). */
  @IsOptional()
  @IsString()
  @Length(1, 1000)
  note?: string;
}

const REQUIRED = { message: '$property is required' };

export class CommitteeDto {
  @IsDefined(REQUIRED)
  @IsInt()
  @Min(1)
  @Max(500)
  size: number;

  @IsDefined(REQUIRED)
  @IsDbInt({ min: 0 })
  women: number;

  @IsDefined(REQUIRED)
  @IsDbInt({ min: 0 })
  young: number;

  @IsDefined(REQUIRED)
  @IsDbInt({ min: 0 })
  ethnicMinority: number;

  @IsDefined(REQUIRED)
  @IsDbInt({ min: 0 })
  newlyElected: number;

  /**
   * The lowest vote share of an elected member, in percent: required when the committee is elected
   * at this congress (content 3 done), not given when it is appointed (content 3 not applicable).
   */
  @IsOmittable()
  @IsNumber()
  @Min(0)
  @Max(100)
  @ValidateBy({
    name: 'atMostTwoDecimals',
    validator: {
      validate: (v) => typeof v === 'number' && Math.abs(v * 100 - Math.round(v * 100)) < 1e-9,
      defaultMessage: () => 'minVotePct has at most 2 decimals',
    },
  })
  minVotePct?: number;
}

export class DelegatesDto {
  @IsDefined(REQUIRED)
  @IsDbInt({ min: 0 })
  allocated: number;

  @IsDefined(REQUIRED)
  @IsDbInt({ min: 0 })
  elected: number;
}

export class PutCongressDto {
  @IsCalendarDate()
  heldOn: string;

  @IsIn(CONGRESS_KINDS)
  kind: 'delegates' | 'members';

  @IsArray()
  @ValidateNested({ each: true })
  @ArrayMaxSize(4)
  @Type(() => ContentDto)
  contents: ContentDto[];

  @IsOptional()
  @ValidateNested()
  @Type(() => CommitteeDto)
  committee?: CommitteeDto;

  @IsOptional()
  @ValidateNested()
  @Type(() => DelegatesDto)
  delegates?: DelegatesDto;
}

export class CongressRecordDto {
  unitId: number;
  heldOn: string;
  kind: 'delegates' | 'members';
  /** The unit's congress format (decided by the superior) that the contents follow. */
  @ApiProperty({ enum: CONGRESS_TYPES })
  congressType: CongressType;
  contents: { no: number; status: ContentStatus | null; note: string | null }[];
  committee: CommitteeDto | null;
  delegates: DelegatesDto | null;
  /** How many of the 4 contents applied to this congress. */
  applicableContents: number;
  /** Every applicable content is done. */
  completedAll: boolean;
  /** Applicable contents not done (or not recorded). */
  missing: number[];
}
