import { Injectable } from '@nestjs/common';
import { TIERS, type Tier, type Tx } from '@app/core';
import type { StagedRows } from './unit-import.rows';

/**
 * The SQL of the unit import, in the order it runs inside one transaction.
 * `import_rows` is the staged file; `proposed` is the tree as it would be after the import
 * (id → parent id); `walked` is that tree walked from the root with the new paths.
 */

/** A tier's rank inside SQL, in the order of TIERS (central first): the same order as TIER_RANK. */
const rank = (col: string) => `array_position(ARRAY[${TIERS.map((t) => `'${t}'`).join(',')}], ${col})`;

/** Rows written by one import from which the units' planner statistics are refreshed in the same transaction. */
const ANALYZE_AFTER_ROWS = 1000;

export const IMPORT_SQL = {
  // Half-empty pages: setting id/existed on every row is then a HOT update that leaves the two
  // indexes alone (2.5× faster at 300,000 rows, see bench/import-300k.ts).
  createStaging: `
    CREATE TEMP TABLE import_rows (
      row_no int PRIMARY KEY, code text NOT NULL, name text, tier text,
      parent_code text, emails text[], congress_type text, pilot boolean, committee_name text, id int, existed boolean
    ) WITH (fillfactor = 50) ON COMMIT DROP`,

  // Nine array parameters whatever the batch size: far from PostgreSQL's 65,535-parameter limit.
  // committee_name: null when the column was left out, '' when the cell is empty (cleared).
  stageBatch: `
    INSERT INTO import_rows (row_no, code, name, tier, parent_code, emails, congress_type, pilot, committee_name)
    SELECT r, c, n, t, p, CASE WHEN e IS NULL THEN NULL WHEN e = '' THEN '{}'::text[] ELSE string_to_array(e, ',') END, ct, pl, cn
      FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::boolean[], $9::text[])
        AS x(r, c, n, t, p, e, ct, pl, cn)`,

  indexStaging: `CREATE INDEX ON import_rows (code); ANALYZE import_rows`,

  // A parentCode column left out (null): an existing unit keeps its parent, a new one goes under the root.
  keepParents: `
    UPDATE import_rows r SET parent_code = coalesce(p.code, '')
      FROM units u LEFT JOIN units p ON p.id = u.parent_id
     WHERE r.parent_code IS NULL AND u.code = r.code;
    UPDATE import_rows SET parent_code = '' WHERE parent_code IS NULL`,

  duplicates: `
    SELECT row_no AS "row", code, first_row AS "firstRow"
      FROM (SELECT row_no, code, min(row_no) OVER (PARTITION BY code) AS first_row FROM import_rows) d
     WHERE row_no <> first_row ORDER BY row_no`,

  rootRowsWithParent: `SELECT row_no AS "row" FROM import_rows WHERE code = $1 AND parent_code <> ''`,

  existingRoot: `SELECT code FROM units WHERE parent_id IS NULL`,

  rootId: `SELECT id FROM import_rows WHERE code = $1 UNION ALL SELECT id FROM units WHERE code = $1 LIMIT 1`,

  rowsWithoutParent: `SELECT row_no AS "row", code FROM import_rows WHERE parent_code = '' ORDER BY row_no`,

  // An empty parentCode attaches the row to the root unit.
  attachToRoot: `UPDATE import_rows SET parent_code = $1 WHERE parent_code = '' AND code <> $1`,

  parentProblems: `
    SELECT r.row_no AS "row", r.code, r.parent_code AS "parentCode", r.tier,
           coalesce(pr.tier, pu.tier) AS "parentTier",
           (pr.code IS NULL AND pu.code IS NULL) AS unknown
      FROM import_rows r
      LEFT JOIN (SELECT DISTINCT ON (code) code, tier FROM import_rows ORDER BY code, row_no) pr ON pr.code = r.parent_code
      LEFT JOIN units pu ON pu.code = r.parent_code
     WHERE r.parent_code <> ''
       AND (r.parent_code = r.code
            OR (pr.code IS NULL AND pu.code IS NULL)
            OR ${rank('r.tier')} <= ${rank('coalesce(pr.tier, pu.tier)')})
     ORDER BY r.row_no`,

  // Existing children that stay where they are must remain below a unit whose tier changes.
  childTierProblems: `
    SELECT DISTINCT ON (r.row_no) r.row_no AS "row", r.tier, c.code AS "childCode", c.tier AS "childTier"
      FROM import_rows r
      JOIN units u ON u.code = r.code
      JOIN units c ON c.parent_id = u.id
     WHERE r.tier IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM import_rows x WHERE x.code = c.code)
       AND ${rank('c.tier')} <= ${rank('r.tier')}
     ORDER BY r.row_no, c.code`,

  assignExistingIds: `UPDATE import_rows r SET id = u.id, existed = true FROM units u WHERE u.code = r.code`,
  // The sequence is looked up once (an init plan), not once per row.
  assignNewIds: `
    UPDATE import_rows SET id = nextval((SELECT pg_get_serial_sequence('units', 'id'))::regclass), existed = false WHERE id IS NULL`,

  buildProposed: `
    CREATE TEMP TABLE proposed ON COMMIT DROP AS
    SELECT u.id, u.parent_id FROM units u WHERE NOT EXISTS (SELECT 1 FROM import_rows r WHERE r.id = u.id)
    UNION ALL
    SELECT r.id, coalesce(pr.id, pu.id)
      FROM import_rows r
      LEFT JOIN import_rows pr ON pr.code = r.parent_code
      LEFT JOIN units pu ON pu.code = r.parent_code`,
  indexProposed: `CREATE INDEX ON proposed (parent_id); ANALYZE proposed`,

  walk: `
    CREATE TEMP TABLE walked ON COMMIT DROP AS
    WITH RECURSIVE walk (id, path, depth) AS (
      SELECT id, id || '/', 0 FROM proposed WHERE id = $1
      UNION ALL
      SELECT p.id, w.path || p.id || '/', w.depth + 1 FROM proposed p JOIN walk w ON p.parent_id = w.id
    )
    SELECT id, path COLLATE "C" AS path, depth FROM walk`,
  indexWalked: `CREATE UNIQUE INDEX ON walked (id); ANALYZE walked`,

  unreachedRows: `
    SELECT r.row_no AS "row", r.code, r.parent_code AS "parentCode"
      FROM import_rows r WHERE NOT EXISTS (SELECT 1 FROM walked w WHERE w.id = r.id) ORDER BY r.row_no`,

  outOfScope: `
    SELECT r.row_no AS "row", r.code
      FROM import_rows r
      JOIN walked w ON w.id = r.id
      LEFT JOIN units u ON u.id = r.id
     WHERE w.path NOT LIKE $1 OR u.path NOT LIKE $1
     ORDER BY r.row_no`,

  // Rows of units not strictly below the importer ($1: the importer's own path, where every row in
  // scope that is not strictly below lies) that would change its congress format or pilot flag: the
  // superior's decisions, never the unit's own (as PATCH). An empty cell keeps the stored value.
  ownDecisions: `
    SELECT r.row_no AS "row", r.code,
           (r.congress_type IS NOT NULL AND r.congress_type IS DISTINCT FROM u.congress_type) AS "congressType",
           (r.pilot IS NOT NULL AND r.pilot IS DISTINCT FROM u.pilot) AS pilot
      FROM import_rows r JOIN units u ON u.id = r.id JOIN walked w ON w.id = r.id
     WHERE w.path = $1
       AND ((r.congress_type IS NOT NULL AND r.congress_type IS DISTINCT FROM u.congress_type)
            OR (r.pilot IS NOT NULL AND r.pilot IS DISTINCT FROM u.pilot))
     ORDER BY r.row_no`,

  insertNew: `
    WITH inserted AS (
    INSERT INTO units (id, code, name, tier, parent_id, path, depth, contact_emails, congress_type, pilot, committee_name)
    SELECT r.id, r.code, r.name, r.tier, p.parent_id, w.path, w.depth, coalesce(r.emails, '{}'),
           coalesce(r.congress_type, 'full'), coalesce(r.pilot, false), nullif(r.committee_name, '')
      FROM import_rows r JOIN proposed p ON p.id = r.id JOIN walked w ON w.id = r.id
     WHERE NOT r.existed
    RETURNING 1)
    SELECT count(*)::int AS n FROM inserted`,

  updateExisting: `
    WITH updated AS (
    UPDATE units u
       SET name = r.name, tier = r.tier, contact_emails = coalesce(r.emails, u.contact_emails), parent_id = p.parent_id,
           congress_type = coalesce(r.congress_type, u.congress_type), pilot = coalesce(r.pilot, u.pilot),
           committee_name = CASE WHEN r.committee_name IS NULL THEN u.committee_name ELSE nullif(r.committee_name, '') END,
           updated_at = now()
      FROM import_rows r JOIN proposed p ON p.id = r.id
     WHERE u.id = r.id AND r.existed
       AND (u.name, u.tier, u.contact_emails, u.parent_id, u.congress_type, u.pilot, u.committee_name)
           IS DISTINCT FROM (r.name, r.tier, coalesce(r.emails, u.contact_emails), p.parent_id,
                             coalesce(r.congress_type, u.congress_type), coalesce(r.pilot, u.pilot),
                             CASE WHEN r.committee_name IS NULL THEN u.committee_name ELSE nullif(r.committee_name, '') END)
    RETURNING 1)
    SELECT count(*)::int AS n FROM updated`,

  // Existing units that change tier or parent (before the write): their due dates and congress date follow.
  reshaped: `
    SELECT r.id, r.row_no AS "row" FROM import_rows r JOIN units u ON u.id = r.id JOIN proposed p ON p.id = r.id
     WHERE r.existed AND (u.tier IS DISTINCT FROM r.tier OR u.parent_id IS DISTINCT FROM p.parent_id)
     ORDER BY r.row_no`,

  // Units that moved, and everything under them, take their new paths.
  updatePaths: `
    UPDATE units u SET path = w.path, depth = w.depth FROM walked w
     WHERE u.id = w.id AND (u.path <> w.path OR u.depth <> w.depth)`,

  newIds: `SELECT coalesce(array_agg(id ORDER BY id), '{}') AS ids FROM import_rows WHERE NOT existed`,

  // Only when the tree checks failed (the id walk does not run then): the units, by code, of the
  // tree the file describes that no walk from a root reaches, i.e. on or under a cycle of parents
  // (or under an unknown parent). `row` is null for stored units the file does not name.
  unreachedByCode: `
    WITH RECURSIVE graph AS MATERIALIZED (
      SELECT * FROM (SELECT DISTINCT ON (code) row_no, code, parent_code FROM import_rows ORDER BY code, row_no) f
      UNION ALL
      SELECT NULL, u.code, coalesce(p.code, '') FROM units u LEFT JOIN units p ON p.id = u.parent_id
       WHERE NOT EXISTS (SELECT 1 FROM import_rows r WHERE r.code = u.code)
    ), reached (code) AS (
      SELECT code FROM graph WHERE parent_code = ''
      UNION
      SELECT g.code FROM graph g JOIN reached r ON g.parent_code = r.code
    )
    SELECT g.row_no AS "row", g.code, g.parent_code AS "parentCode"
      FROM graph g WHERE NOT EXISTS (SELECT 1 FROM reached x WHERE x.code = g.code) ORDER BY g.row_no`,
} as const;

export interface RowRef {
  row: number;
  code: string;
}
export interface ParentProblem extends RowRef {
  parentCode: string;
  tier: Tier | null;
  parentTier: Tier | null;
  unknown: boolean;
}
export interface ChildTierProblem {
  row: number;
  tier: Tier;
  childCode: string;
  childTier: Tier;
}
/** A row (null: a stored unit the file does not name) and its parent, as the tree checks found them. */
export interface ParentLink {
  row: number | null;
  code: string;
  parentCode: string;
}

/**
 * The import's statements, each a named step over the staged rows. Every method runs inside the
 * import's transaction (after UnitsRepository.lockTree). Moving units that walk a plan (or changing
 * their tier) makes the trigger step_counts_on_unit_move move their progress counts to their new
 * keys (see @app/core progress-counters.ts).
 */
@Injectable()
export class UnitImportRepository {
  /** The staging table of this import (temporary, dropped with the transaction, committed or not). */
  async createStaging(tx: Tx): Promise<void> {
    await tx.query(IMPORT_SQL.createStaging);
  }

  /** One batch of rows into the staging table, as they are read: the file is never held whole. */
  async stageBatch(tx: Tx, staged: StagedRows): Promise<void> {
    if (staged.length === 0) return;
    await tx.query(IMPORT_SQL.stageBatch, [
      staged.rowNo,
      staged.code,
      staged.name,
      staged.tier,
      staged.parentCode,
      staged.emails,
      staged.congressType,
      staged.pilot,
      staged.committeeName,
    ]);
  }

  /** Once every row is staged (and the tree locked): the index the checks use, and the parents a file left out. */
  async finishStaging(tx: Tx): Promise<void> {
    await tx.query(IMPORT_SQL.indexStaging);
    await tx.query(IMPORT_SQL.keepParents);
  }

  async existingRootCode(tx: Tx): Promise<string | null> {
    const [row]: { code: string }[] = await tx.query(IMPORT_SQL.existingRoot);
    return row?.code ?? null;
  }

  duplicates(tx: Tx): Promise<(RowRef & { firstRow: number })[]> {
    return tx.query(IMPORT_SQL.duplicates);
  }

  rootRowsWithParent(tx: Tx, rootCode: string): Promise<{ row: number }[]> {
    return tx.query(IMPORT_SQL.rootRowsWithParent, [rootCode]);
  }

  rowsWithoutParent(tx: Tx): Promise<RowRef[]> {
    return tx.query(IMPORT_SQL.rowsWithoutParent);
  }

  async attachToRoot(tx: Tx, rootCode: string): Promise<void> {
    await tx.query(IMPORT_SQL.attachToRoot, [rootCode]);
  }

  parentProblems(tx: Tx): Promise<ParentProblem[]> {
    return tx.query(IMPORT_SQL.parentProblems);
  }

  childTierProblems(tx: Tx): Promise<ChildTierProblem[]> {
    return tx.query(IMPORT_SQL.childTierProblems);
  }

  /** Rows on or under a cycle of parents, followed by code (when the tree checks failed). */
  unreachedByCode(tx: Tx): Promise<ParentLink[]> {
    return tx.query(IMPORT_SQL.unreachedByCode);
  }

  /** Ids for every row, the tree as it would be, and its walk from the root with the new paths. */
  async walkProposedTree(tx: Tx, rootCode: string): Promise<void> {
    await tx.query(IMPORT_SQL.assignExistingIds);
    await tx.query(IMPORT_SQL.assignNewIds);
    await tx.query(IMPORT_SQL.buildProposed);
    await tx.query(IMPORT_SQL.indexProposed);
    const [root]: { id: number }[] = await tx.query(IMPORT_SQL.rootId, [rootCode]);
    await tx.query(IMPORT_SQL.walk, [root.id]);
    await tx.query(IMPORT_SQL.indexWalked);
  }

  /** Rows the walk from the root did not reach. */
  unreachedRows(tx: Tx): Promise<(RowRef & { parentCode: string })[]> {
    return tx.query(IMPORT_SQL.unreachedRows);
  }

  /** Rows that would change the congress format or pilot flag of the importer's own unit (decided by a superior). */
  ownDecisions(tx: Tx, ownPath: string): Promise<(RowRef & { congressType: boolean; pilot: boolean })[]> {
    return tx.query(IMPORT_SQL.ownDecisions, [ownPath]);
  }

  outOfScope(tx: Tx, scopePath: string): Promise<RowRef[]> {
    return tx.query(IMPORT_SQL.outOfScope, [`${scopePath}%`]);
  }

  /**
   * Inserts the new units, updates the changed ones and moves paths; returns the counts, the new ids
   * and the existing units that changed tier or parent (with their rows).
   */
  async write(tx: Tx): Promise<{ created: number; updated: number; newIds: number[]; reshaped: { id: number; row: number }[] }> {
    const reshaped: { id: number; row: number }[] = await tx.query(IMPORT_SQL.reshaped);
    const [{ n: created }]: { n: number }[] = await tx.query(IMPORT_SQL.insertNew);
    const [{ n: updated }]: { n: number }[] = await tx.query(IMPORT_SQL.updateExisting);
    await tx.query(IMPORT_SQL.updatePaths);
    const [{ ids }]: { ids: number[] }[] = await tx.query(IMPORT_SQL.newIds);
    // A large import changes the shape of the tree: without fresh statistics the statements that
    // follow in the same minutes (an activation's subtree counts above all) are planned for the old
    // table and can go quadratic. ANALYZE samples a bounded number of rows, and commits with the import.
    if (created + updated >= ANALYZE_AFTER_ROWS) await tx.query(`ANALYZE units`);
    return { created, updated, newIds: ids, reshaped };
  }
}
