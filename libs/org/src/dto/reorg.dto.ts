import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsString, Length, Matches, ValidateIf, ValidateNested } from 'class-validator';
import { IsCalendarDate, IsDbInt, IsOmittable, TIERS, Tier } from '@app/core';

/**
 * The target of a merge: an existing unit (`id`), or a new one created by the merge
 * (`code`, `name`, `tier`, `parentId`, optionally `committeeName`). Exactly one of the two forms.
 */
export class MergeIntoDto {
  /** An existing active unit that absorbs the sources. */
  @IsOmittable()
  @IsDbInt()
  id?: number;

  @ValidateIf((o: MergeIntoDto) => o.id === undefined)
  @Matches(/^[A-Za-z0-9._-]{1,64}$/, { message: 'code must be 1-64 letters, digits, ".", "_" or "-"' })
  code?: string;

  @ValidateIf((o: MergeIntoDto) => o.id === undefined)
  @IsString()
  @Length(1, 300)
  name?: string;

  @IsOmittable()
  @IsString()
  @Length(1, 300)
  committeeName?: string;

  @ValidateIf((o: MergeIntoDto) => o.id === undefined)
  @IsIn(TIERS)
  tier?: Tier;

  @ValidateIf((o: MergeIntoDto) => o.id === undefined)
  @IsDbInt()
  parentId?: number;
}

export class MergeUnitsDto {
  /** The units merged (closed as `merged`); at most 1,000 in one decision. */
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @IsDbInt({}, { each: true })
  sourceIds: number[];

  @ValidateNested()
  @Type(() => MergeIntoDto)
  into: MergeIntoDto;

  /** The day the merge takes effect (YYYY-MM-DD). */
  @IsCalendarDate()
  effectiveOn: string;

  /** The decision, e.g. "Quyết định số 1234-QĐ/TU". */
  @IsString()
  @Length(1, 200)
  decisionRef: string;

  @IsOmittable()
  @IsString()
  @Length(1, 2000)
  note?: string;
}

export class MergeResultDto {
  target: { id: number; code: string };
  /** Units closed as merged. */
  closedUnits: number;
  /** Open steps of those units that became `closed`. */
  closedSteps: number;
  /** Active children moved under the target (with their whole subtrees). */
  movedChildren: number;
}

export class DissolveUnitDto {
  @IsCalendarDate()
  effectiveOn: string;

  @IsString()
  @Length(1, 200)
  decisionRef: string;

  @IsOmittable()
  @IsString()
  @Length(1, 2000)
  note?: string;

  /** Where the unit's active children go; required when it has any. */
  @IsOmittable()
  @IsDbInt()
  moveChildrenTo?: number;
}

export class DissolveResultDto {
  unitId: number;
  closedSteps: number;
  movedChildren: number;
  /** The unit that took the children, if any. */
  childrenMovedTo: number | null;
}

export class LineageUnitDto {
  id: number;
  code: string;
  name: string;
  /** `merged` or `dissolved`: how the link was made. */
  kind: string;
  effectiveOn: string;
  decisionRef: string;
  note: string | null;
}

export class LineageDto {
  unitId: number;
  status: string;
  closedOn: string | null;
  /** The units that were merged into this one. */
  predecessors: LineageUnitDto[];
  /** The unit this one was merged into (null while active, and for a dissolved unit). */
  successor: LineageUnitDto | null;
}
