import { MigrationInterface, QueryRunner } from 'typeorm';
import { LOCKS } from '../../locks';

const FINISHED = `('completed', 'skipped', 'closed')`;
const BUCKET = `(CASE WHEN u.depth >= 2 THEN split_part(u.path, '/', 3)::int ELSE u.id END)`;
const ANCHOR = `(CASE WHEN u.depth >= 1 THEN split_part(u.path, '/', 2)::int ELSE u.id END)`;

/**
 * An activation's counters in time proportional to its subtree. `step_counts_add_subtree` (last
 * defined by UnitLifecycle) added the units' totals from an aggregate of the WHOLE unit_steps table
 * joined to the subtree: right after a large import the planner, with statistics of the old units
 * table, put that aggregate on the inner side of a nested loop and re-scanned it for every unit
 * (20,001 units: 200M rows removed by the join filter, 157 s of a 160 s activation). Now both
 * passes start from the subtree's units and reach their steps by the primary key; the units'
 * totals are taken per unit from the same join. Same counts, same locks.
 */
export class SubtreeCounts1764000015000 implements MigrationInterface {
  name = 'SubtreeCounts1764000015000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION step_counts_add_subtree(pattern text) RETURNS void LANGUAGE plpgsql AS $fn$
      DECLARE
        as_of date;
      BEGIN
        PERFORM pg_advisory_xact_lock(${LOCKS.counters});
        SELECT overdue_as_of INTO as_of FROM report_state;
        WITH d AS (
          SELECT ${BUCKET} AS bucket_id, ${ANCHOR} AS anchor_id, u.tier, us.step_no, us.status, count(*)::int AS n,
                 (count(*) FILTER (WHERE us.status NOT IN ${FINISHED} AND us.due_date < as_of))::int AS overdue
            FROM units u JOIN unit_steps us ON us.unit_id = u.id
           WHERE u.path LIKE pattern AND u.status = 'active' GROUP BY 1, 2, 3, 4, 5),
        top AS (
          INSERT INTO step_counts_top AS c (anchor_id, step_no, status, n, overdue)
          SELECT anchor_id, step_no, status, sum(n)::int, sum(overdue)::int FROM d GROUP BY 1, 2, 3
          HAVING sum(n) <> 0 OR sum(overdue) <> 0 ORDER BY 1, 2, 3
          ON CONFLICT (anchor_id, step_no, status) DO UPDATE SET n = c.n + EXCLUDED.n, overdue = c.overdue + EXCLUDED.overdue)
        INSERT INTO step_counts AS c (bucket_id, tier, step_no, status, n, overdue)
        SELECT bucket_id, tier, step_no, status, sum(n)::int, sum(overdue)::int FROM d GROUP BY 1, 2, 3, 4
        HAVING sum(n) <> 0 OR sum(overdue) <> 0 ORDER BY 1, 2, 3, 4
        ON CONFLICT (bucket_id, tier, step_no, status) DO UPDATE SET n = c.n + EXCLUDED.n, overdue = c.overdue + EXCLUDED.overdue;

        INSERT INTO unit_counts AS c (bucket_id, tier, units, units_done)
        SELECT s.bucket_id, s.tier, count(*)::int, (count(*) FILTER (WHERE s.fin = s.total))::int
          FROM (SELECT u.id, ${BUCKET} AS bucket_id, u.tier, count(*) AS total,
                       count(*) FILTER (WHERE us.status IN ${FINISHED}) AS fin
                  FROM units u JOIN unit_steps us ON us.unit_id = u.id
                 WHERE u.path LIKE pattern AND u.status = 'active'
                 GROUP BY u.id) s
         GROUP BY 1, 2 ORDER BY 1, 2
        ON CONFLICT (bucket_id, tier) DO UPDATE SET units = c.units + EXCLUDED.units, units_done = c.units_done + EXCLUDED.units_done;
      END $fn$`);
  }

  async down(): Promise<void> {
    // The previous definition (UnitLifecycle) counts the same; nothing to restore for correctness.
  }
}
