import { Injectable } from '@nestjs/common';
import { DomainError, FieldError, Tx } from '@app/core';
import { CongressRepository, RecordRow } from './congress.repository';
import { contentsOutcome, unrecordedContents } from './contents';
import { CongressRecordDto, PutCongressDto } from './dto/congress.dto';

/** The congress record: the 4 contents (done / not done / not applicable) and the election figures. */
@Injectable()
export class CongressService {
  constructor(private readonly records: CongressRepository) {}

  async get(unitId: number): Promise<CongressRecordDto> {
    const row = await this.records.find(unitId);
    if (!row) throw new DomainError('NOT_FOUND', `Unit ${unitId} has no congress record yet`, { unitId });
    return toDto(row);
  }

  async put(unitId: number, dto: PutCongressDto, actorId: number): Promise<CongressRecordDto> {
    validate(dto);
    const status = (no: number) => dto.contents.find((c) => c.no === no)?.status ?? null;
    const notes = Object.fromEntries(dto.contents.filter((c) => c.note).map((c) => [String(c.no), c.note]));
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
  const k = dto.committee;
  if (k) {
    for (const field of ['women', 'young', 'ethnicMinority', 'newlyElected'] as const) {
      if (k[field] > k.size) errors.push({ field: `committee.${field}`, reason: `must not exceed the committee size (${k.size})` });
    }
    if (k.minVotePct <= 50) errors.push({ field: 'committee.minVotePct', reason: 'an elected member needs more than 50% of the votes' });
  }
  const d = dto.delegates;
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
            minVotePct: Number(row.minVotePct),
          },
    delegates: row.allocated === null ? null : { allocated: row.allocated, elected: row.elected ?? 0 },
    applicableContents,
    completedAll: row.completedAll,
    missing,
  };
}
