import { MigrationInterface, QueryRunner } from 'typeorm';
import { LOCKS } from '../../locks';

// Frozen copies of the SQL this migration installs (a migration must not change when the code does):
// step_counts_apply() of UnitLifecycle1764000007000, with one change (see below).
const FINISHED = `('completed', 'skipped', 'closed')`;
const bucketOf = (u: string) => `(CASE WHEN ${u}depth >= 2 THEN split_part(${u}path, '/', 3)::int ELSE ${u}id END)`;
const anchorOf = (u: string) => `(CASE WHEN ${u}depth >= 1 THEN split_part(${u}path, '/', 2)::int ELSE ${u}id END)`;
const BUCKET = bucketOf('u.');
const ANCHOR = anchorOf('u.');
const ACTIVE = `u.status = 'active'`;

function addCounts(source: string, ctes = ''): string {
  return `
        WITH ${ctes ? `${ctes},` : ''} d AS (${source}),
        top AS (
          INSERT INTO step_counts_top AS c (anchor_id, step_no, status, n, overdue)
          SELECT anchor_id, step_no, status, sum(n)::int, sum(overdue)::int FROM d GROUP BY 1, 2, 3
          HAVING sum(n) <> 0 OR sum(overdue) <> 0 ORDER BY 1, 2, 3
          ON CONFLICT (anchor_id, step_no, status) DO UPDATE SET n = c.n + EXCLUDED.n, overdue = c.overdue + EXCLUDED.overdue)
        INSERT INTO step_counts AS c (bucket_id, tier, step_no, status, n, overdue)
        SELECT bucket_id, tier, step_no, status, sum(n)::int, sum(overdue)::int FROM d GROUP BY 1, 2, 3, 4
        HAVING sum(n) <> 0 OR sum(overdue) <> 0 ORDER BY 1, 2, 3, 4
        ON CONFLICT (bucket_id, tier, step_no, status) DO UPDATE SET n = c.n + EXCLUDED.n, overdue = c.overdue + EXCLUDED.overdue;`;
}

function changes(op: 'INSERT' | 'UPDATE' | 'DELETE'): string {
  const added = `SELECT unit_id, step_no, status, due_date, 1 AS sign FROM new_rows`;
  const removed = `SELECT unit_id, step_no, status, due_date, -1 AS sign FROM old_rows`;
  return op === 'INSERT' ? added : op === 'DELETE' ? removed : `${added} UNION ALL ${removed}`;
}

/**
 * `lateral`: each changed unit's step totals read through the primary key of unit_steps, one index
 * range per unit (this migration); otherwise the LEFT JOIN of UnitLifecycle (for `down`).
 */
function applyCounts(op: 'INSERT' | 'UPDATE' | 'DELETE', lateral: boolean): string {
  const overdue = `x.status NOT IN ${FINISHED} AND x.due_date < as_of`;
  const nowState = lateral
    ? `SELECT p.unit_id, p.dt, p.df, s.total, s.fin
            FROM per_unit p
           CROSS JOIN LATERAL (SELECT count(*)::int AS total, (count(*) FILTER (WHERE us.status IN ${FINISHED}))::int AS fin
                                 FROM unit_steps us WHERE us.unit_id = p.unit_id) s`
    : `SELECT p.unit_id, p.dt, p.df, count(us.unit_id)::int AS total,
                 (count(*) FILTER (WHERE us.status IN ${FINISHED}))::int AS fin
            FROM per_unit p LEFT JOIN unit_steps us ON us.unit_id = p.unit_id
           GROUP BY p.unit_id, p.dt, p.df`;
  return `
        ${addCounts(
          `SELECT ${BUCKET} AS bucket_id, ${ANCHOR} AS anchor_id, u.tier, x.step_no, x.status, sum(x.sign)::int AS n,
                  coalesce(sum(x.sign) FILTER (WHERE ${overdue}), 0)::int AS overdue
             FROM x JOIN units u ON u.id = x.unit_id WHERE ${ACTIVE} GROUP BY 1, 2, 3, 4, 5`,
          `x AS (${changes(op)})`,
        )}
        SELECT array_agg(unit_id ORDER BY unit_id) INTO finishing
          FROM (SELECT unit_id FROM (${changes(op)}) x GROUP BY unit_id
                 HAVING sum(sign * (status IN ${FINISHED})::int) <> 0) l;
        IF cardinality(finishing) > 1000 THEN
          PERFORM pg_advisory_xact_lock(${LOCKS.bulkFinishing});
        ELSIF cardinality(finishing) > 0 THEN
          PERFORM pg_advisory_xact_lock_shared(${LOCKS.bulkFinishing});
          PERFORM pg_advisory_xact_lock(${LOCKS.unitFinishing}, f) FROM unnest(finishing) AS f;
        END IF;
        WITH x AS (${changes(op)}),
        per_unit AS (
          SELECT unit_id, sum(sign)::int AS dt, sum(sign * (status IN ${FINISHED})::int)::int AS df
            FROM x GROUP BY unit_id
          HAVING sum(sign) <> 0 OR sum(sign * (status IN ${FINISHED})::int) <> 0
        ), now_state AS (
          ${nowState}
        ), delta AS (
          SELECT ${BUCKET} AS bucket_id, u.tier,
                 sum((s.total > 0)::int - (s.total - s.dt > 0)::int)::int AS du,
                 sum((s.total > 0 AND s.fin = s.total)::int - (s.total - s.dt > 0 AND s.fin - s.df = s.total - s.dt)::int)::int AS dd
            FROM now_state s JOIN units u ON u.id = s.unit_id
           WHERE ${ACTIVE}
           GROUP BY 1, 2
        )
        INSERT INTO unit_counts AS c (bucket_id, tier, units, units_done)
        SELECT bucket_id, tier, du, dd FROM delta WHERE du <> 0 OR dd <> 0 ORDER BY 1, 2
        ON CONFLICT (bucket_id, tier) DO UPDATE SET units = c.units + EXCLUDED.units, units_done = c.units_done + EXCLUDED.units_done;`;
}

function stepCountsApply(lateral: boolean): string {
  return `
      CREATE OR REPLACE FUNCTION step_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $fn$
      DECLARE
        as_of date;
        finishing int[];
      BEGIN
        PERFORM pg_advisory_xact_lock_shared(${LOCKS.counters});
        SELECT overdue_as_of INTO as_of FROM report_state;
        IF TG_OP = 'INSERT' THEN ${applyCounts('INSERT', lateral)}
        ELSIF TG_OP = 'UPDATE' THEN ${applyCounts('UPDATE', lateral)}
        ELSE ${applyCounts('DELETE', lateral)}
        END IF;
        RETURN NULL;
      END $fn$`;
}

/**
 * Merge speed (issue 10). Profiled with auto_explain (nested statements) on the province-merge
 * benchmark at 20,000 units (300,000 steps): 90 % of every merge call went to one statement of the
 * step counters' trigger `step_counts_apply` — the per-unit totals (`now_state`, how many steps a
 * changed unit has and how many are finished) were a LEFT JOIN of the changed units to unit_steps
 * that the planner, with no statistics on the transition table, ran as a hash join over a
 * sequential scan of every step of the country: ~150 ms per statement at 300,000 steps, ~2 s at
 * 4.5 million, twice per merge call (closing the merged units' steps, creating the new unit's).
 * Redefined: the totals are read per changed unit through the primary key of unit_steps (a LATERAL
 * index range), so the cost follows the changed units, never the country. Same counts.
 */
export class CountersPerUnitLookup1764000014000 implements MigrationInterface {
  name = 'CountersPerUnitLookup1764000014000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(stepCountsApply(true));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(stepCountsApply(false));
  }
}
