import { Injectable } from '@nestjs/common';
import { Sql, type CongressType, type Tier, type Tx } from '@app/core';

export const UNIT_STATUSES = ['active', 'merged', 'dissolved'] as const;
export type UnitStatus = (typeof UNIT_STATUSES)[number];

export interface UnitRow {
  id: number;
  code: string;
  name: string;
  tier: Tier;
  parentId: number | null;
  path: string;
  depth: number;
  contactEmails: string[];
  congressDate: string | null;
  /** Which contents the unit's congress holds: decided by a superior. */
  congressType: CongressType;
  /** A pilot congress (đại hội điểm), held before the main wave. */
  pilot: boolean;
  committeeName: string | null;
  status: UnitStatus;
  closedOn: string | null;
  successorId: number | null;
  childrenCount?: number;
  parentName?: string | null;
}

const UNIT_COLUMNS = `u.id, u.code, u.name, u.tier, u.parent_id AS "parentId", u.path, u.depth,
  u.contact_emails AS "contactEmails", to_char(u.congress_date, 'YYYY-MM-DD') AS "congressDate",
  u.congress_type AS "congressType", u.pilot,
  u.committee_name AS "committeeName", u.status, to_char(u.closed_on, 'YYYY-MM-DD') AS "closedOn", u.successor_id AS "successorId"`;

/** A search as typed, with LIKE's wildcards and escape character escaped. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * The condition of a unit search on `u`: accents, case and Unicode form ignored, from the start of
 * a word of the name or the code ("vu hoi" finds "Xã Vũ Hội"); served by units_search_trgm_idx.
 */
export function unitSearchCondition(param: string): string {
  return `unit_search_key(u.name, u.code) LIKE '% ' || fold_text(${param}::text) || '%'`;
}

export interface UnitListFilter {
  scopePath: string;
  parentId?: number;
  tier?: Tier;
  q?: string;
  /** One status, or every unit (null); absent: active units only. */
  status?: UnitStatus | null;
  limit: number;
  offset: number;
}

/**
 * The SQL of the organisation tree. A subtree is `path LIKE '<path>%'` on the C-collated
 * b-tree index (units_path_idx): one index range scan, never a walk in application code.
 */
@Injectable()
export class UnitsRepository {
  constructor(private readonly sql: Sql) {}

  async findById(id: number, manager: Tx = this.sql): Promise<UnitRow | null> {
    const rows: UnitRow[] = await manager.query(
      `SELECT ${UNIT_COLUMNS}, (SELECT count(*)::int FROM units c WHERE c.parent_id = u.id AND c.status = 'active') AS "childrenCount",
              (SELECT p.name FROM units p WHERE p.id = u.parent_id) AS "parentName"
         FROM units u WHERE u.id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  async findByCode(code: string): Promise<UnitRow | null> {
    const rows: UnitRow[] = await this.sql.query(`SELECT ${UNIT_COLUMNS} FROM units u WHERE u.code = $1`, [code]);
    return rows[0] ?? null;
  }

  async findRoot(manager: Tx = this.sql): Promise<UnitRow | null> {
    const rows: UnitRow[] = await manager.query(`SELECT ${UNIT_COLUMNS} FROM units u WHERE u.parent_id IS NULL`);
    return rows[0] ?? null;
  }

  async codeExists(code: string, manager: Tx = this.sql): Promise<boolean> {
    const rows: unknown[] = await manager.query(`SELECT 1 FROM units WHERE code = $1`, [code]);
    return rows.length > 0;
  }

  async exists(id: number): Promise<boolean> {
    const rows: unknown[] = await this.sql.query(`SELECT 1 FROM units WHERE id = $1`, [id]);
    return rows.length > 0;
  }

  /**
   * Serialises the writers of the tree (unit creation, imports, plan activations) until the
   * transaction ends, while paths are computed and plans attach steps; readers are not blocked.
   */
  async lockTree(tx: Tx): Promise<void> {
    await tx.query(`LOCK TABLE units IN SHARE ROW EXCLUSIVE MODE`);
  }

  /** The paths of the given units that exist, by id (one query). */
  async pathsOf(ids: number[]): Promise<Map<number, string>> {
    const rows: { id: number; path: string }[] = await this.sql.query(`SELECT id, path FROM units WHERE id = ANY($1::int[])`, [ids]);
    return new Map(rows.map((r) => [r.id, r.path]));
  }

  async list(filter: UnitListFilter): Promise<{ items: UnitRow[]; total: number }> {
    const where = [`u.path LIKE $1`];
    const params: unknown[] = [`${filter.scopePath}%`];
    if (filter.parentId !== undefined) {
      params.push(filter.parentId);
      where.push(`u.parent_id = $${params.length}`);
    }
    if (filter.tier) {
      params.push(filter.tier);
      where.push(`u.tier = $${params.length}`);
    }
    if (filter.q?.trim()) {
      params.push(escapeLike(filter.q.trim().replace(/\s+/g, ' ')));
      where.push(unitSearchCondition(`$${params.length}`));
    }
    const status = filter.status === undefined ? 'active' : filter.status;
    if (status) {
      params.push(status);
      where.push(`u.status = $${params.length}`);
    }
    const sqlWhere = where.join(' AND ');
    const [{ total }]: { total: number }[] = await this.sql.query(`SELECT count(*)::int AS total FROM units u WHERE ${sqlWhere}`, params);
    const items: UnitRow[] = await this.sql.query(
      `SELECT ${UNIT_COLUMNS}, (SELECT count(*)::int FROM units c WHERE c.parent_id = u.id AND c.status = 'active') AS "childrenCount",
              (SELECT p.name FROM units p WHERE p.id = u.parent_id) AS "parentName"
         FROM units u WHERE ${sqlWhere}
        ORDER BY u.name COLLATE vi_vn, u.id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, filter.limit, filter.offset],
    );
    return { items, total };
  }

  async insert(
    unit: {
      code: string;
      name: string;
      tier: Tier;
      parent: { id: number; path: string; depth: number } | null;
      contactEmails: string[];
      committeeName?: string | null;
    },
    manager: Tx = this.sql,
  ): Promise<number> {
    const [{ id }]: { id: number }[] = await manager.query(
      `WITH next AS (SELECT nextval(pg_get_serial_sequence('units', 'id'))::int AS id)
       INSERT INTO units (id, code, name, tier, parent_id, path, depth, contact_emails, committee_name)
       SELECT next.id, $1, $2, $3, $4::int, coalesce($5::text, '') || next.id || '/', $6, $7, $8 FROM next
       RETURNING id`,
      [
        unit.code,
        unit.name,
        unit.tier,
        unit.parent?.id ?? null,
        unit.parent?.path ?? null,
        unit.parent ? unit.parent.depth + 1 : 0,
        unit.contactEmails,
        unit.committeeName ?? null,
      ],
    );
    return id;
  }

  /**
   * Name, contact emails, congress date, congress format, pilot flag. (The trigger step_counts_on_unit_move
   * on units moves the progress counts of units that change bucket, anchor or tier; this UPDATE changes
   * none of them.)
   */
  async update(
    id: number,
    patch: {
      name?: string;
      contactEmails?: string[];
      congressDate?: string | null;
      congressType?: CongressType;
      pilot?: boolean;
      committeeName?: string | null;
    },
    manager: Tx = this.sql,
  ): Promise<void> {
    const sets: string[] = [];
    const params: unknown[] = [id];
    for (const [column, value] of [
      ['name', patch.name],
      ['contact_emails', patch.contactEmails],
      ['congress_date', patch.congressDate],
      ['congress_type', patch.congressType],
      ['pilot', patch.pilot],
      ['committee_name', patch.committeeName],
    ] as const) {
      if (value === undefined) continue;
      params.push(value);
      sets.push(`${column} = $${params.length}`);
    }
    if (sets.length === 0) return;
    await manager.query(`UPDATE units SET ${sets.join(', ')}, updated_at = now() WHERE id = $1`, params);
  }

  /**
   * Re-parents a unit: its parent link and the path and depth of every unit of its subtree, in one
   * statement (the trigger step_counts_on_unit_move then moves their progress counts once).
   * Returns the ids of the subtree (the unit first).
   */
  async move(
    unit: { id: number; path: string; depth: number },
    parent: { id: number; path: string; depth: number },
    tx: Tx,
  ): Promise<number[]> {
    const rows: { id: number }[] = await tx.query(
      `UPDATE units u
          SET parent_id = CASE WHEN u.id = $1 THEN $2::int ELSE u.parent_id END,
              path = $3::text || substr(u.path, length($4::text) + 1),
              depth = u.depth + $5::int,
              updated_at = CASE WHEN u.id = $1 THEN now() ELSE u.updated_at END
        WHERE u.path LIKE $6
        RETURNING u.id`,
      [unit.id, parent.id, `${parent.path}${unit.id}/`, unit.path, parent.depth + 1 - unit.depth, `${escapeLike(unit.path)}%`],
    );
    return rows.map((r) => r.id).sort((a, b) => (a === unit.id ? -1 : b === unit.id ? 1 : a - b));
  }
}
