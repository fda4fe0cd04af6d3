import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
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
import { IsCalendarDate, IsDbInt } from '@app/core';

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

export class CommitteeDto {
  @IsInt()
  @Min(1)
  @Max(500)
  size: number;

  @IsDbInt({ min: 0 })
  women: number;

  @IsDbInt({ min: 0 })
  young: number;

  @IsDbInt({ min: 0 })
  ethnicMinority: number;

  @IsDbInt({ min: 0 })
  newlyElected: number;

  /** The lowest vote share of an elected member, in percent. */
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
  minVotePct: number;
}

export class DelegatesDto {
  @IsDbInt({ min: 0 })
  allocated: number;

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
