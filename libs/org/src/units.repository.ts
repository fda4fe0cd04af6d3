import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { Tier } from '@app/core';

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
  childrenCount?: number;
  parentName?: string | null;
}

const UNIT_COLUMNS = `u.id, u.code, u.name, u.tier, u.parent_id AS "parentId", u.path, u.depth,
  u.contact_emails AS "contactEmails", to_char(u.congress_date, 'YYYY-MM-DD') AS "congressDate"`;

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
  limit: number;
  offset: number;
}

/**
 * The SQL of the organisation tree. A subtree is `path LIKE '<path>%'` on the C-collated
 * b-tree index (units_path_idx): one index range scan, never a walk in application code.
 */
@Injectable()
export class UnitsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async findById(id: number, manager: EntityManager = this.db.manager): Promise<UnitRow | null> {
    const rows: UnitRow[] = await manager.query(
      `SELECT ${UNIT_COLUMNS}, (SELECT count(*)::int FROM units c WHERE c.parent_id = u.id) AS "childrenCount",
              (SELECT p.name FROM units p WHERE p.id = u.parent_id) AS "parentName"
         FROM units u WHERE u.id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  async findByCode(code: string): Promise<UnitRow | null> {
    const rows: UnitRow[] = await this.db.query(`SELECT ${UNIT_COLUMNS} FROM units u WHERE u.code = $1`, [code]);
    return rows[0] ?? null;
  }

  async findRoot(manager: EntityManager = this.db.manager): Promise<UnitRow | null> {
    const rows: UnitRow[] = await manager.query(`SELECT ${UNIT_COLUMNS} FROM units u WHERE u.parent_id IS NULL`);
    return rows[0] ?? null;
  }

  async pathOf(id: number): Promise<string | null> {
    const rows: { path: string }[] = await this.db.query(`SELECT path FROM units WHERE id = $1`, [id]);
    return rows[0]?.path ?? null;
  }

  /** The paths of the given units that exist, by id (one query). */
  async pathsOf(ids: number[]): Promise<Map<number, string>> {
    const rows: { id: number; path: string }[] = await this.db.query(`SELECT id, path FROM units WHERE id = ANY($1::int[])`, [ids]);
    return new Map(rows.map((r) => [r.id, r.path]));
  }

  async count(): Promise<number> {
    const rows: { n: number }[] = await this.db.query(`SELECT count(*)::int AS n FROM units`);
    return rows[0].n;
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
    const sqlWhere = where.join(' AND ');
    const [{ total }]: { total: number }[] = await this.db.query(`SELECT count(*)::int AS total FROM units u WHERE ${sqlWhere}`, params);
    const items: UnitRow[] = await this.db.query(
      `SELECT ${UNIT_COLUMNS}, (SELECT count(*)::int FROM units c WHERE c.parent_id = u.id) AS "childrenCount",
              (SELECT p.name FROM units p WHERE p.id = u.parent_id) AS "parentName"
         FROM units u WHERE ${sqlWhere}
        ORDER BY u.name COLLATE vi_vn, u.id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, filter.limit, filter.offset],
    );
    return { items, total };
  }

  async insert(
    unit: { code: string; name: string; tier: Tier; parent: { id: number; path: string; depth: number } | null; contactEmails: string[] },
    manager: EntityManager = this.db.manager,
  ): Promise<number> {
    const [{ id }]: { id: number }[] = await manager.query(
      `WITH next AS (SELECT nextval(pg_get_serial_sequence('units', 'id'))::int AS id)
       INSERT INTO units (id, code, name, tier, parent_id, path, depth, contact_emails)
       SELECT next.id, $1, $2, $3, $4::int, coalesce($5::text, '') || next.id || '/', $6, $7 FROM next
       RETURNING id`,
      [
        unit.code,
        unit.name,
        unit.tier,
        unit.parent?.id ?? null,
        unit.parent?.path ?? null,
        unit.parent ? unit.parent.depth + 1 : 0,
        unit.contactEmails,
      ],
    );
    return id;
  }

  async update(
    id: number,
    patch: { name?: string; contactEmails?: string[]; congressDate?: string | null },
    manager: EntityManager = this.db.manager,
  ): Promise<void> {
    const sets: string[] = [];
    const params: unknown[] = [id];
    for (const [column, value] of [
      ['name', patch.name],
      ['contact_emails', patch.contactEmails],
      ['congress_date', patch.congressDate],
    ] as const) {
      if (value === undefined) continue;
      params.push(value);
      sets.push(`${column} = $${params.length}`);
    }
    if (sets.length === 0) return;
    await manager.query(`UPDATE units SET ${sets.join(', ')}, updated_at = now() WHERE id = $1`, params);
  }
}
