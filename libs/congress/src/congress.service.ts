import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError, FieldError } from '@app/core';
import { CongressRecordDto, ContentStatus, PutCongressDto } from './dto/congress.dto';

interface RecordRow {
  unitId: number;
  heldOn: string;
  kind: 'delegates' | 'members';
  c: (ContentStatus | null)[];
  notes: Record<string, string>;
  size: number | null;
  women: number | null;
  young: number | null;
  ethnicMinority: number | null;
  newlyElected: number | null;
  minVotePct: string | null;
  allocated: number | null;
  elected: number | null;
  completedAll: boolean;
}

const SELECT_RECORD = `
  SELECT unit_id AS "unitId", to_char(held_on, 'YYYY-MM-DD') AS "heldOn", kind,
         ARRAY[content1, content2, content3, content4] AS c, content_notes AS notes,
         committee_size AS size, women, young, ethnic_minority AS "ethnicMinority", newly_elected AS "newlyElected",
         min_vote_pct AS "minVotePct", delegates_allocated AS allocated, delegates_elected AS elected,
         completed_all AS "completedAll"
    FROM congress_records`;

/** The congress record: the 4 contents (done / not done / not applicable) and the election figures. */
@Injectable()
export class CongressService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async get(unitId: number): Promise<CongressRecordDto> {
    const [row]: RecordRow[] = await this.db.query(`${SELECT_RECORD} WHERE unit_id = $1`, [unitId]);
    if (!row) throw new DomainError('NOT_FOUND', `Unit ${unitId} has no congress record yet`, { unitId });
    return toDto(row);
  }

  async put(unitId: number, dto: PutCongressDto, actorId: number): Promise<CongressRecordDto> {
    validate(dto);
    const status = (no: number) => dto.contents.find((c) => c.no === no)?.status ?? null;
    const notes = Object.fromEntries(dto.contents.filter((c) => c.note).map((c) => [String(c.no), c.note]));
    await this.db.query(
      `INSERT INTO congress_records (unit_id, held_on, kind, content1, content2, content3, content4, content_notes,
         committee_size, women, young, ethnic_minority, newly_elected, min_vote_pct, delegates_allocated, delegates_elected,
         updated_at, updated_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, now(), $17)
       ON CONFLICT (unit_id) DO UPDATE SET held_on = EXCLUDED.held_on, kind = EXCLUDED.kind,
         content1 = EXCLUDED.content1, content2 = EXCLUDED.content2, content3 = EXCLUDED.content3, content4 = EXCLUDED.content4,
         content_notes = EXCLUDED.content_notes, committee_size = EXCLUDED.committee_size, women = EXCLUDED.women,
         young = EXCLUDED.young, ethnic_minority = EXCLUDED.ethnic_minority, newly_elected = EXCLUDED.newly_elected,
         min_vote_pct = EXCLUDED.min_vote_pct, delegates_allocated = EXCLUDED.delegates_allocated,
         delegates_elected = EXCLUDED.delegates_elected, updated_at = now(), updated_by = EXCLUDED.updated_by`,
      [
        unitId,
        dto.heldOn,
        dto.kind,
        status(1),
        status(2),
        status(3),
        status(4),
        JSON.stringify(notes),
        dto.committee?.size ?? null,
        dto.committee?.women ?? null,
        dto.committee?.young ?? null,
        dto.committee?.ethnicMinority ?? null,
        dto.committee?.newlyElected ?? null,
        dto.committee?.minVotePct ?? null,
        dto.delegates?.allocated ?? null,
        dto.delegates?.elected ?? null,
        actorId,
      ],
    );
    return this.get(unitId);
  }

  /** Contents not yet recorded (no status), for completing the congress step; all 4 when there is no record. */
  async unrecordedContents(unitId: number, manager: EntityManager = this.db.manager): Promise<number[]> {
    const [row]: { c: (string | null)[] }[] = await manager.query(
      `SELECT ARRAY[content1, content2, content3, content4] AS c FROM congress_records WHERE unit_id = $1`,
      [unitId],
    );
    return unrecordedContents(row?.c ?? null);
  }
}

/** Contents without a recorded status (all 4 when there is no record): what completing the congress step needs. */
export function unrecordedContents(contents: (string | null)[] | null): number[] {
  if (!contents) return [1, 2, 3, 4];
  return contents.flatMap((s, i) => (s === null ? [i + 1] : []));
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
  const applicable = contents.filter((c) => c.status !== 'not_applicable');
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
    applicableContents: applicable.length,
    completedAll: row.completedAll,
    missing: applicable.filter((c) => c.status !== 'done').map((c) => c.no),
  };
}
