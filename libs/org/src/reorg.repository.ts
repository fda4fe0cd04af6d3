import { Injectable } from '@nestjs/common';
import { FINISHED_SQL, Sql, type Tx } from '@app/core';
import type { LineageUnitDto } from './dto/reorg.dto';
import type { UnitStatus } from './units.repository';

/**
 * The SQL of a reorganisation (merge, dissolution), run inside one transaction after
 * UnitsRepository.lockTree. What the database does on the way, by trigger: moving units and closing
 * them moves their progress counts incrementally (step_counts_on_unit_move: old key out, new key in;
 * a closed unit leaves the counters), and closing steps counts as any other step change.
 */
@Injectable()
export class ReorgRepository {
  constructor(private readonly sql: Sql) {}

  /** The units, row-locked until the transaction ends. */
  lockUnits(
    tx: Tx,
    ids: number[],
  ): Promise<{ id: number; code: string; tier: string; path: string; depth: number; parentId: number | null; status: UnitStatus }[]> {
    return tx.query(
      `SELECT id, code, tier, path, depth, parent_id AS "parentId", status FROM units WHERE id = ANY($1::int[]) ORDER BY id FOR UPDATE`,
      [ids],
    );
  }

  /** The active children of the units, with their tiers (the children a merge or dissolution moves). */
  activeChildren(tx: Tx, parentIds: number[]): Promise<{ id: number; tier: string }[]> {
    return tx.query(`SELECT id, tier FROM units WHERE parent_id = ANY($1::int[]) AND status = 'active' ORDER BY id`, [parentIds]);
  }

  /**
   * The open steps of the units become `closed` (a terminal status: not overdue, not reminded, not
   * missing in any report), each with its history event; returns how many.
   */
  async closeOpenSteps(
    tx: Tx,
    unitIds: number[],
    actorId: number,
    action: 'merge' | 'dissolve',
    note: string | null,
    decisionRef: string,
  ): Promise<number> {
    const [{ n }]: { n: number }[] = await tx.query(
      `WITH closed AS (
         UPDATE unit_steps us SET status = 'closed', version = us.version + 1, updated_at = now(), updated_by = $2
           FROM unit_steps old
          WHERE old.unit_id = us.unit_id AND old.step_no = us.step_no
            AND us.unit_id = ANY($1::int[]) AND us.status NOT IN ${FINISHED_SQL}
         RETURNING us.unit_id, us.step_no, old.status AS from_status
       ), events AS (
         INSERT INTO step_events (unit_id, step_no, actor_id, action, from_status, to_status, note, document_ref)
         SELECT unit_id, step_no, $2, $3, from_status, 'closed', $4, $5 FROM closed ORDER BY unit_id, step_no
         RETURNING 1
       )
       SELECT count(*)::int AS n FROM events`,
      [unitIds, actorId, action, note, decisionRef],
    );
    return n;
  }

  /**
   * Moves the active children of `parentIds` (with their whole subtrees) under `target`: one UPDATE
   * rewriting the materialized paths. Each child's subtree is read as an index range of
   * units_path_idx (every path under P lies in [P, P || ':') in the C collation, digits and "/"
   * sorting below ":"), through a LATERAL subquery per child that the planner cannot flatten
   * (OFFSET 0): a plain range join let it scan every unit once per child (a nested loop over a
   * materialized sequential scan), seconds per call at national scale. Returns the ids of the
   * children moved.
   */
  async moveActiveChildren(tx: Tx, parentIds: number[], target: { id: number; path: string; depth: number }): Promise<number[]> {
    const [{ ids }]: { ids: number[] }[] = await tx.query(
      `WITH kids AS MATERIALIZED (
         SELECT c.id, c.path AS prefix, p.path AS parent_path, p.depth AS parent_depth
           FROM units c JOIN units p ON p.id = c.parent_id
          WHERE c.parent_id = ANY($1::int[]) AND c.status = 'active'
       ), subtree AS (
         SELECT k.id AS kid_id, k.parent_path, k.parent_depth, x.id
           FROM kids k
          CROSS JOIN LATERAL (SELECT u.id FROM units u WHERE u.path >= k.prefix AND u.path < k.prefix || ':' OFFSET 0) x
       ), moved AS (
         UPDATE units d
            SET path = $2::text || substr(d.path, length(s.parent_path) + 1),
                depth = d.depth - s.parent_depth + $3::int,
                parent_id = CASE WHEN d.id = s.kid_id THEN $4::int ELSE d.parent_id END,
                updated_at = now()
           FROM subtree s
          WHERE d.id = s.id
         RETURNING d.id
       )
       SELECT (SELECT coalesce(array_agg(id ORDER BY id), '{}') FROM kids) AS ids, (SELECT count(*) FROM moved) AS m`,
      [parentIds, target.path, target.depth, target.id],
    );
    return ids;
  }

  async closeUnits(tx: Tx, ids: number[], status: 'merged' | 'dissolved', closedOn: string, successorId: number | null): Promise<void> {
    await tx.query(
      `UPDATE units SET status = $2, closed_on = $3::date, successor_id = $4::int, updated_at = now() WHERE id = ANY($1::int[])`,
      [ids, status, closedOn, successorId],
    );
  }

  async addLineage(
    tx: Tx,
    row: {
      sourceIds: number[];
      targetId: number | null;
      kind: 'merged' | 'dissolved';
      effectiveOn: string;
      decisionRef: string;
      note: string | null;
      actorId: number;
    },
  ): Promise<void> {
    await tx.query(
      `INSERT INTO unit_lineage (source_id, target_id, kind, effective_on, decision_ref, note, created_by)
       SELECT s, $2::int, $3, $4::date, $5, $6, $7 FROM unnest($1::int[]) AS s ORDER BY s`,
      [row.sourceIds, row.targetId, row.kind, row.effectiveOn, row.decisionRef, row.note, row.actorId],
    );
  }

  /** The units merged into `unitId`, oldest decision first. */
  predecessors(unitId: number): Promise<LineageUnitDto[]> {
    return this.sql.query(
      `SELECT u.id, u.code, u.name, l.kind, to_char(l.effective_on, 'YYYY-MM-DD') AS "effectiveOn", l.decision_ref AS "decisionRef", l.note
         FROM unit_lineage l JOIN units u ON u.id = l.source_id
        WHERE l.target_id = $1 AND l.kind = 'merged' ORDER BY l.effective_on, l.id`,
      [unitId],
    );
  }

  /** The unit `unitId` was merged into, with the decision (null when it was not merged). */
  async successor(unitId: number): Promise<LineageUnitDto | null> {
    const rows: LineageUnitDto[] = await this.sql.query(
      `SELECT t.id, t.code, t.name, l.kind, to_char(l.effective_on, 'YYYY-MM-DD') AS "effectiveOn", l.decision_ref AS "decisionRef", l.note
         FROM unit_lineage l JOIN units t ON t.id = l.target_id
        WHERE l.source_id = $1 AND l.kind = 'merged' ORDER BY l.id DESC LIMIT 1`,
      [unitId],
    );
    return rows[0] ?? null;
  }
}
