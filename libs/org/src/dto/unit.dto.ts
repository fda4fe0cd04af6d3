import { ApiProperty } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsEmail, IsIn, IsOptional, IsString, Length, Matches, ValidateIf } from 'class-validator';
import { UNIT_STATUSES, type UnitStatus } from '../units.repository';
import { CONGRESS_TYPES, type CongressType, IsCalendarDate, IsDbInt, IsOmittable, PageQuery, TIERS, Tier } from '@app/core';

export class CreateUnitDto {
  /** Stable code, e.g. the GSO code of the administrative unit. */
  @Matches(/^[A-Za-z0-9._-]{1,64}$/, { message: 'code must be 1-64 letters, digits, ".", "_" or "-"' })
  code: string;

  @IsString()
  @Length(1, 300)
  name: string;

  @IsIn(TIERS)
  tier: Tier;

  @IsDbInt()
  parentId: number;

  /** The committee that acts for the unit and is addressed in emails, e.g. "Huyện ủy Vũ Thư". */
  @IsOptional()
  @IsString()
  @Length(1, 300)
  committeeName?: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsEmail({}, { each: true })
  contactEmails?: string[];
}

export class UpdateUnitDto {
  @IsOmittable()
  @IsString()
  @Length(1, 300)
  name?: string;

  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(20)
  @IsEmail({}, { each: true })
  contactEmails?: string[];

  /**
   * Re-parents the unit (with its whole subtree) under this unit: an admin whose subtree holds the
   * unit strictly and the new parent; the new parent's tier must be above the unit's, and not inside
   * the unit's own subtree.
   */
  @IsOmittable()
  @IsDbInt()
  parentId?: number;
  /** The committee's name (emails address it); null clears it. */
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @Length(1, 300)
  committeeName?: string | null;

  /** YYYY-MM-DD, inside the tier's congress window; null clears it. */
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsCalendarDate()
  congressDate?: string | null;

  /**
   * The congress format (which of the 4 contents it holds): set by a supervisor or admin of a strict
   * ancestor only (the superior decides; the unit cannot exempt itself from a content).
   */
  @IsOmittable()
  @IsIn(CONGRESS_TYPES)
  congressType?: CongressType;

  /** A pilot congress (đại hội điểm): set by a supervisor or admin of a strict ancestor only. */
  @IsOmittable()
  @IsBoolean()
  pilot?: boolean;
}

export class ListUnitsQuery extends PageQuery {
  @IsOptional()
  @Type(() => Number)
  @IsDbInt()
  parentId?: number;

  @IsOptional()
  @IsIn(TIERS)
  tier?: Tier;

  /** Name or code, accents and case ignored, from the start of a word ("vu hoi" finds "Xã Vũ Hội"). */
  @IsOptional()
  @IsString()
  @Length(1, 100)
  q?: string;

  /** Only units in this status (default: active). */
  @IsOptional()
  @IsIn(UNIT_STATUSES)
  status?: UnitStatus;

  /** Every unit whatever its status (merged and dissolved ones too). */
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'includeClosed must be true or false' })
  includeClosed?: boolean;
}

export class UnitDto {
  id: number;
  code: string;
  name: string;
  tier: Tier;
  parentId: number | null;
  contactEmails: string[];
  congressDate: string | null;
  /** full | three_contents (no committee election) | two_contents (no committee, no delegation): set by the superior. */
  @ApiProperty({ enum: CONGRESS_TYPES })
  congressType: CongressType;
  /** A pilot congress (đại hội điểm). */
  pilot: boolean;
  /** The committee that acts and is addressed ("Huyện ủy Vũ Thư"), beside the organisation's name. */
  committeeName: string | null;
  status: UnitStatus;
  /** The day the unit was merged or dissolved. */
  closedOn: string | null;
  /** The unit a merged unit became part of. */
  successorId: number | null;
  /** Active children. */
  childrenCount: number;
  /** Name of the parent unit (null for the root). */
  parentName: string | null;
}

export class UnitPageDto {
  items: UnitDto[];
  total: number;
}

export class ImportResultDto {
  created: number;
  updated: number;
  /** Rows identical to the unit already stored. */
  unchanged: number;
}
