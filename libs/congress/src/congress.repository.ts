import { Injectable } from '@nestjs/common';
import { Sql, type CongressType, type Tx } from '@app/core';
import type { ContentStatus } from './dto/congress.dto';

export interface RecordRow {
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
  /** The unit's congress format (units.congress_type), as it is now. */
  congressType: CongressType;
  /** The generated column congress_records.completed_all: every applicable content is done (see contents.ts). */
  completedAll: boolean;
}

/** The record as written: one row per unit, replaced whole. */
export interface RecordWrite {
  unitId: number;
  heldOn: string;
  kind: 'delegates' | 'members';
  contents: [ContentStatus | null, ContentStatus | null, ContentStatus | null, ContentStatus | null];
  notes: Record<string, string | undefined>;
  committee: { size: number; women: number; young: number; ethnicMinority: number; newlyElected: number; minVotePct?: number } | null;
  delegates: { allocated: number; elected: number } | null;
  actorId: number;
}

const SELECT_RECORD = `
  SELECT unit_id AS "unitId", to_char(held_on, 'YYYY-MM-DD') AS "heldOn", kind,
         ARRAY[content1, content2, content3, content4] AS c, content_notes AS notes,
         committee_size AS size, women, young, ethnic_minority AS "ethnicMinority", newly_elected AS "newlyElected",
         min_vote_pct AS "minVotePct", delegates_allocated AS allocated, delegates_elected AS elected,
         completed_all AS "completedAll",
         (SELECT u.congress_type FROM units u WHERE u.id = congress_records.unit_id) AS "congressType"
    FROM congress_records`;

/** The SQL of congress records. */
@Injectable()
export class CongressRepository {
  constructor(private readonly sql: Sql) {}

  async find(unitId: number): Promise<RecordRow | null> {
    const [row]: RecordRow[] = await this.sql.query(`${SELECT_RECORD} WHERE unit_id = $1`, [unitId]);
    return row ?? null;
  }

  async upsert(r: RecordWrite): Promise<void> {
    await this.sql.query(
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
        r.unitId,
        r.heldOn,
        r.kind,
        ...r.contents,
        JSON.stringify(r.notes),
        r.committee?.size ?? null,
        r.committee?.women ?? null,
        r.committee?.young ?? null,
        r.committee?.ethnicMinority ?? null,
        r.committee?.newlyElected ?? null,
        r.committee?.minVotePct ?? null,
        r.delegates?.allocated ?? null,
        r.delegates?.elected ?? null,
        r.actorId,
      ],
    );
  }

  /** The 4 contents' statuses (null: not recorded), or null when the unit has no record. */
  async contents(unitId: number, manager: Tx = this.sql): Promise<(string | null)[] | null> {
    const [row]: { c: (string | null)[] }[] = await manager.query(
      `SELECT ARRAY[content1, content2, content3, content4] AS c FROM congress_records WHERE unit_id = $1`,
      [unitId],
    );
    return row?.c ?? null;
  }
}
