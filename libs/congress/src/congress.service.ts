import { Injectable } from '@nestjs/common';
import { CONGRESS_TYPE_VI, CONTENTS_LEFT_OUT, type CongressType, DomainError, FieldError, leftOutReason, Tx } from '@app/core';
import { UnitHooks, UnitsRepository } from '@app/org';
import { CongressRepository, RecordRow } from './congress.repository';
import { contentsOutcome, unrecordedContents } from './contents';
import { CongressRecordDto, ContentStatus, PutCongressDto } from './dto/congress.dto';

/** The congress record: the 4 contents (done / not done / not applicable) and the election figures. */
@Injectable()
export class CongressService {
  constructor(
    private readonly records: CongressRepository,
    private readonly units: UnitsRepository,
    private readonly hooks: UnitHooks,
  ) {}

  async get(unitId: number): Promise<CongressRecordDto> {
    const row = await this.records.find(unitId);
    if (!row) throw new DomainError('NOT_FOUND', `Unit ${unitId} has no congress record yet`, { unitId });
    return toDto(row);
  }

  /**
   * The record's rules, one consistent set: the contents follow the format the superior decided
   * (`congressType`: a content is not applicable exactly where the format leaves it out, which is
   * then recorded with the format as its reason); a congress held records at least one of its
   * contents; `heldOn` lies in the tier's window like a congress date; the election figures are
   * given where they apply (vote share for an elected committee only, delegates only when the
   * congress elects a delegation).
   */
  async put(unitId: number, dto: PutCongressDto, actorId: number): Promise<CongressRecordDto> {
    const unit = await this.units.findById(unitId);
    if (!unit) throw DomainError.notFound('Unit', unitId);
    const contents = withFormat(dto, unit.congressType);
    validate({ ...dto, contents });
    await this.hooks.checkCongressDate(unit, dto.heldOn, 'heldOn');
    const status = (no: number) => contents.find((c) => c.no === no)?.status ?? null;
    const notes = Object.fromEntries(contents.filter((c) => c.note).map((c) => [String(c.no), c.note]));
    await this.records.upsert({
      unitId,
      heldOn: dto.heldOn,
      kind: dto.kind,
      contents: [status(1), status(2), status(3), status(4)],
      notes,
      committee: dto.committee ?? null,
      delegates: dto.delegates ?? null,
      actorId,
    });
    return this.get(unitId);
  }

  /** Contents not yet recorded (no status), for completing the congress step; all 4 when there is no record. */
  async unrecordedContents(unitId: number, manager?: Tx): Promise<number[]> {
    return unrecordedContents(await this.records.contents(unitId, manager));
  }
}

/**
 * The contents as the format has them. A content the format leaves out is recorded not applicable
 * with the format as its reason (unless the record gives one); a content the format holds cannot be
 * exempted by whoever records the congress (409 CONTENTS_MISSING: the superior decides the format).
 */
function withFormat(dto: PutCongressDto, type: CongressType): ContentInput[] {
  const leftOut = CONTENTS_LEFT_OUT[type];
  const exempted = dto.contents.filter((c) => c.status === 'not_applicable' && !leftOut.includes(c.no)).map((c) => c.no);
  if (exempted.length > 0) {
    throw new DomainError(
      'CONTENTS_MISSING',
      `Content(s) ${exempted.join(', ')} cannot be marked not applicable: the unit's congress format (${CONGRESS_TYPE_VI[type]}) holds them; the superior decides the format`,
      { missing: exempted, congressType: type },
    );
  }
  const errors: FieldError[] = [];
  dto.contents.forEach((c, i) => {
    if (leftOut.includes(c.no) && c.status !== 'not_applicable') {
      errors.push({ field: `contents.${i}.status`, reason: `content ${c.no} is not part of a ${type} congress: not_applicable only` });
    }
  });
  if (errors.length > 0) throw DomainError.validation(errors);
  const given = dto.contents.map((c) => ({ no: c.no, status: c.status, note: c.note }));
  for (const no of leftOut) {
    const c = given.find((x) => x.no === no);
    if (!c) given.push({ no, status: 'not_applicable', note: leftOutReason(type, no) });
    else if (!c.note) c.note = leftOutReason(type, no);
  }
  return given;
}

interface ContentInput {
  no: number;
  status: ContentStatus;
  note?: string;
}

function validate(dto: PutCongressDto): void {
  const errors: FieldError[] = [];
  const seen = new Set<number>();
  dto.contents.forEach((c, i) => {
    if (seen.has(c.no)) errors.push({ field: `contents.${i}.no`, reason: `content ${c.no} is listed twice` });
    seen.add(c.no);
    if (c.status === 'not_applicable' && !c.note) {
      errors.push({ field: `contents.${i}.note`, reason: 'a reason is required when a content is not applicable' });
    }
  });
  if (!dto.contents.some((c) => c.status !== 'not_applicable')) {
    errors.push({ field: 'contents', reason: 'a congress held records at least one of its contents (1, 2…): is required' });
  }
  const status = (no: number) => dto.contents.find((c) => c.no === no)?.status;
  const k = dto.committee;
  if (k) {
    for (const field of ['women', 'young', 'ethnicMinority', 'newlyElected'] as const) {
      if (k[field] > k.size) errors.push({ field: `committee.${field}`, reason: `must not exceed the committee size (${k.size})` });
    }
    // A committee elected at this congress (content 3 done) has a lowest vote share; an appointed one (chỉ định) has none.
    if (status(3) === 'done') {
      if (k.minVotePct === undefined) errors.push({ field: 'committee.minVotePct', reason: 'is required for an elected committee' });
      else if (k.minVotePct <= 50)
        errors.push({ field: 'committee.minVotePct', reason: 'an elected member needs more than 50% of the votes' });
    } else if (status(3) === 'not_applicable' && k.minVotePct !== undefined) {
      errors.push({ field: 'committee.minVotePct', reason: 'an appointed committee has no vote figures: must not be given' });
    }
  }
  const d = dto.delegates;
  if (d && status(4) === 'not_applicable') {
    errors.push({ field: 'delegates', reason: 'this congress elects no delegation (content 4 not applicable): must not be given' });
  }
  if (d && d.elected > d.allocated)
    errors.push({ field: 'delegates.elected', reason: `must not exceed the allocated delegates (${d.allocated})` });
  if (errors.length > 0) throw DomainError.validation(errors);
}

function toDto(row: RecordRow): CongressRecordDto {
  const contents = row.c.map((status, i) => ({ no: i + 1, status, note: row.notes[String(i + 1)] ?? null }));
  const { applicableContents, missing } = contentsOutcome(row.c);
  return {
    unitId: row.unitId,
    heldOn: row.heldOn,
    kind: row.kind,
    congressType: row.congressType,
    contents,
    committee:
      row.size === null
        ? null
        : {
            size: row.size,
            women: row.women ?? 0,
            young: row.young ?? 0,
            ethnicMinority: row.ethnicMinority ?? 0,
            newlyElected: row.newlyElected ?? 0,
            minVotePct: row.minVotePct === null ? undefined : Number(row.minVotePct),
          },
    delegates: row.allocated === null ? null : { allocated: row.allocated, elected: row.elected ?? 0 },
    applicableContents,
    completedAll: row.completedAll,
    missing,
  };
}
