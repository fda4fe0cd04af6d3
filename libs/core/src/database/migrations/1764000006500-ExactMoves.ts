import { MigrationInterface, QueryRunner } from 'typeorm';
import { LOCKS } from '../../locks';
import { counterBucketSql } from '../progress-counters';

const FINISHED = `('completed', 'skipped')`;
/** The counting keys of a unit row `r`: bucket (ancestor at depth 2), anchor (ancestor at depth 1), tier. */
const BUCKET = (r: string) => counterBucketSql(r);
const ANCHOR = (r: string) => `(CASE WHEN ${r}depth >= 1 THEN split_part(${r}path, '/', 2)::int ELSE ${r}id END)`;

/**
 * Moves are exact at any depth, without a national recount.
 *
 * The first version of step_counts_on_unit_move compared only (id, tier, bucket) before and after
 * an UPDATE on units and then rebuilt every counter of the country. That missed the anchor of
 * step_counts_top (the depth-1 ancestor the root's by-child roll-up reads): moving cells between two
 * communes directly under a provincial root keeps each cell its own bucket but changes its anchor,
 * so the old commune kept the cells' step rows and the new one got their units but not their steps.
 *
 * Now the trigger takes, set-based over the statement's transition tables, every unit whose key
 * (bucket, anchor, tier) changed and that walks a plan, and moves its counts: its steps (by step and
 * status, with the overdue ones) are subtracted under the old key and added under the new one, in
 * step_counts, step_counts_top and unit_counts. Moving a subtree updates the path of every
 * descendant in the same statement (unit import, PATCH parentId), so each descendant whose bucket
 * or anchor changed is moved along; one whose bucket is unchanged (below a moved bucket) costs
 * nothing. The cost is proportional to the steps of the units that changed key, never to the country.
 *
 * The counters lock is taken exclusively while the counts move (as the recount did): a transition
 * running meanwhile on a moved unit either committed before (and is in the steps read here) or waits
 * and then reads the new path.
 */
export class ExactMoves1764000006500 implements MigrationInterface {
  name = 'ExactMoves1764000006500';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION step_counts_on_unit_move() RETURNS trigger LANGUAGE plpgsql AS $fn$
      DECLARE
        as_of date;
      BEGIN
        -- Most updates of units (names, emails, congress dates) move nothing: leave before any work.
        -- EXCEPT hashes both sides (transition tables have no index, a join could go quadratic).
        IF NOT EXISTS (
          SELECT 1 FROM (
            SELECT id, ${BUCKET('')} AS bucket_id, ${ANCHOR('')} AS anchor_id, tier FROM new_rows
            EXCEPT
            SELECT id, ${BUCKET('')}, ${ANCHOR('')}, tier FROM old_rows
          ) moved
          WHERE EXISTS (SELECT 1 FROM unit_steps us WHERE us.unit_id = moved.id)) THEN
          RETURN NULL;
        END IF;
        -- Each side of the change, keyed.
        CREATE TEMP TABLE IF NOT EXISTS unit_move_keys (id int, bucket_id int, anchor_id int, tier text, sign int) ON COMMIT DROP;
        TRUNCATE unit_move_keys;
        INSERT INTO unit_move_keys
        SELECT k.id, k.bucket_id, k.anchor_id, k.tier, 1 FROM (
          SELECT id, ${BUCKET('')} AS bucket_id, ${ANCHOR('')} AS anchor_id, tier FROM new_rows
          EXCEPT
          SELECT id, ${BUCKET('')}, ${ANCHOR('')}, tier FROM old_rows) k
        UNION ALL
        SELECT k.id, k.bucket_id, k.anchor_id, k.tier, -1 FROM (
          SELECT id, ${BUCKET('')} AS bucket_id, ${ANCHOR('')} AS anchor_id, tier FROM old_rows
          EXCEPT
          SELECT id, ${BUCKET('')}, ${ANCHOR('')}, tier FROM new_rows) k;
        DELETE FROM unit_move_keys k WHERE NOT EXISTS (SELECT 1 FROM unit_steps us WHERE us.unit_id = k.id);
        IF NOT EXISTS (SELECT 1 FROM unit_move_keys) THEN
          RETURN NULL;
        END IF;

        PERFORM pg_advisory_xact_lock(${LOCKS.counters});
        SELECT overdue_as_of INTO as_of FROM report_state;

        WITH d AS (
          SELECT k.bucket_id, k.anchor_id, k.tier, us.step_no, us.status, sum(k.sign)::int AS n,
                 coalesce(sum(k.sign) FILTER (WHERE us.status NOT IN ${FINISHED} AND us.due_date < as_of), 0)::int AS overdue
            FROM unit_move_keys k JOIN unit_steps us ON us.unit_id = k.id
           GROUP BY 1, 2, 3, 4, 5
        ), top AS (
          INSERT INTO step_counts_top AS c (anchor_id, step_no, status, n, overdue)
          SELECT anchor_id, step_no, status, sum(n)::int, sum(overdue)::int FROM d GROUP BY 1, 2, 3
          HAVING sum(n) <> 0 OR sum(overdue) <> 0 ORDER BY 1, 2, 3
          ON CONFLICT (anchor_id, step_no, status) DO UPDATE SET n = c.n + EXCLUDED.n, overdue = c.overdue + EXCLUDED.overdue)
        INSERT INTO step_counts AS c (bucket_id, tier, step_no, status, n, overdue)
        SELECT bucket_id, tier, step_no, status, sum(n)::int, sum(overdue)::int FROM d GROUP BY 1, 2, 3, 4
        HAVING sum(n) <> 0 OR sum(overdue) <> 0 ORDER BY 1, 2, 3, 4
        ON CONFLICT (bucket_id, tier, step_no, status) DO UPDATE SET n = c.n + EXCLUDED.n, overdue = c.overdue + EXCLUDED.overdue;

        WITH per_unit AS (
          SELECT us.unit_id, (count(*) FILTER (WHERE us.status NOT IN ${FINISHED}) = 0) AS done
            FROM unit_steps us WHERE us.unit_id IN (SELECT id FROM unit_move_keys)
           GROUP BY us.unit_id
        ), d AS (
          SELECT k.bucket_id, k.tier, sum(k.sign)::int AS du, sum(k.sign * p.done::int)::int AS dd
            FROM unit_move_keys k JOIN per_unit p ON p.unit_id = k.id
           GROUP BY 1, 2
        )
        INSERT INTO unit_counts AS c (bucket_id, tier, units, units_done)
        SELECT bucket_id, tier, du, dd FROM d WHERE du <> 0 OR dd <> 0 ORDER BY 1, 2
        ON CONFLICT (bucket_id, tier) DO UPDATE SET units = c.units + EXCLUDED.units, units_done = c.units_done + EXCLUDED.units_done;

        -- Keys left empty by the move (a bucket whose last unit left) read as nothing.
        DELETE FROM step_counts c USING (SELECT DISTINCT bucket_id, tier FROM unit_move_keys WHERE sign < 0) k
         WHERE c.bucket_id = k.bucket_id AND c.tier = k.tier AND c.n = 0 AND c.overdue = 0;
        DELETE FROM step_counts_top c USING (SELECT DISTINCT anchor_id FROM unit_move_keys WHERE sign < 0) k
         WHERE c.anchor_id = k.anchor_id AND c.n = 0 AND c.overdue = 0;
        DELETE FROM unit_counts c USING (SELECT DISTINCT bucket_id, tier FROM unit_move_keys WHERE sign < 0) k
         WHERE c.bucket_id = k.bucket_id AND c.tier = k.tier AND c.units = 0 AND c.units_done = 0;
        TRUNCATE unit_move_keys;
        RETURN NULL;
      END $fn$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION step_counts_on_unit_move() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        IF EXISTS (
          SELECT 1 FROM (
            SELECT id, tier, ${counterBucketSql('')} AS bucket FROM new_rows
            EXCEPT
            SELECT id, tier, ${counterBucketSql('')} FROM old_rows
          ) moved
          WHERE EXISTS (SELECT 1 FROM unit_steps us WHERE us.unit_id = moved.id)) THEN
          PERFORM step_counts_rebuild();
        END IF;
        RETURN NULL;
      END $fn$`);
  }
}
