import { MigrationInterface, QueryRunner } from 'typeorm';
import { LOCKS } from '../../locks';

// Frozen copies of the SQL this migration installs (a migration must not change when the code does).
// A step is finished when completed, skipped or closed (its unit was merged or dissolved).
const FINISHED = `('completed', 'skipped', 'closed')`;
const bucketOf = (u: string) => `(CASE WHEN ${u}depth >= 2 THEN split_part(${u}path, '/', 3)::int ELSE ${u}id END)`;
const anchorOf = (u: string) => `(CASE WHEN ${u}depth >= 1 THEN split_part(${u}path, '/', 2)::int ELSE ${u}id END)`;
const BUCKET = bucketOf('u.');
const ANCHOR = anchorOf('u.');
// The counters count the units that exist now: a merged or dissolved unit leaves them when it closes.
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

function applyCounts(op: 'INSERT' | 'UPDATE' | 'DELETE'): string {
  const overdue = `x.status NOT IN ${FINISHED} AND x.due_date < as_of`;
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
          SELECT p.unit_id, p.dt, p.df, count(us.unit_id)::int AS total,
                 (count(*) FILTER (WHERE us.status IN ${FINISHED}))::int AS fin
            FROM per_unit p LEFT JOIN unit_steps us ON us.unit_id = p.unit_id
           GROUP BY p.unit_id, p.dt, p.df
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

/** The counts of the steps of units `src` (a relation with the units' columns), signed. */
function unitContribution(src: string, sign: number): string {
  return `SELECT ${bucketOf('u.')} AS bucket_id, ${anchorOf('u.')} AS anchor_id, u.tier, us.step_no, us.status,
                 (${sign} * count(*))::int AS n,
                 (${sign} * count(*) FILTER (WHERE us.status NOT IN ${FINISHED} AND us.due_date < as_of))::int AS overdue
            FROM ${src} u JOIN unit_steps us ON us.unit_id = u.id
           WHERE ${ACTIVE} AND u.id IN (SELECT id FROM moved)
           GROUP BY 1, 2, 3, 4, 5`;
}
function unitTotals(src: string, sign: number): string {
  return `SELECT ${bucketOf('u.')} AS bucket_id, u.tier, (${sign} * count(*))::int AS units,
                 (${sign} * count(*) FILTER (WHERE s.fin = s.total))::int AS done
            FROM ${src} u JOIN LATERAL (SELECT count(*) AS total, count(*) FILTER (WHERE status IN ${FINISHED}) AS fin
                                          FROM unit_steps WHERE unit_id = u.id) s ON s.total > 0
           WHERE ${ACTIVE} AND u.id IN (SELECT id FROM moved)
           GROUP BY 1, 2`;
}

/** The units of a units UPDATE whose counting key (tier, active, bucket, anchor) changed. */
const MOVED = `
          SELECT id FROM (
            SELECT id, tier, status = 'active' AS active, ${bucketOf('')} AS bucket, ${anchorOf('')} AS anchor FROM new_rows
            EXCEPT
            SELECT id, tier, status = 'active', ${bucketOf('')}, ${anchorOf('')} FROM old_rows) m`;

/**
 * The lifecycle of units (issue 10): a unit is active, merged or dissolved; closed units keep their
 * history, leave the progress counters and the overdue lists, and their open steps become `closed`.
 * `unit_lineage` records which units formed which, by which decision; `unit_deadlines` holds a unit's
 * own due date for a step (set by a superior), which recomputations of plan rules leave alone.
 *
 * The counter functions of ProgressCounters are redefined: `closed` is a finished status, only active
 * units are counted, and a unit that changes bucket, anchor, tier or status moves its counts
 * incrementally (old contribution out, new one in) instead of recounting the whole country.
 */
export class UnitLifecycle1764000007000 implements MigrationInterface {
  name = 'UnitLifecycle1764000007000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE units RENAME COLUMN merged_into_id TO successor_id`);
    await q.query(`
      ALTER TABLE units
        ADD COLUMN status text NOT NULL DEFAULT 'active' CONSTRAINT units_status_known CHECK (status IN ('active', 'merged', 'dissolved')),
        ADD COLUMN closed_on date,
        ADD COLUMN committee_name text CONSTRAINT units_committee_name_length CHECK (length(committee_name) BETWEEN 1 AND 300),
        ADD CONSTRAINT units_closed_on_when_closed CHECK ((status = 'active') = (closed_on IS NULL)),
        ADD CONSTRAINT units_successor_when_merged CHECK (successor_id IS NULL OR status = 'merged')`);
    await q.query(`CREATE INDEX units_successor_id_idx ON units (successor_id) WHERE successor_id IS NOT NULL`);
    await q.query(`
      CREATE TABLE unit_lineage (
        id            integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        source_id     integer NOT NULL REFERENCES units (id),
        target_id     integer REFERENCES units (id),
        kind          text NOT NULL CONSTRAINT unit_lineage_kind_known CHECK (kind IN ('merged', 'dissolved')),
        effective_on  date NOT NULL,
        decision_ref  text NOT NULL CONSTRAINT unit_lineage_decision_length CHECK (length(decision_ref) BETWEEN 1 AND 200),
        note          text,
        created_by    integer REFERENCES users (id),
        created_at    timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX unit_lineage_source_idx ON unit_lineage (source_id)`);
    await q.query(`CREATE INDEX unit_lineage_target_idx ON unit_lineage (target_id)`);
    await q.query(`
      CREATE TABLE unit_deadlines (
        unit_id     integer NOT NULL REFERENCES units (id),
        step_no     smallint NOT NULL CONSTRAINT unit_deadlines_no_range CHECK (step_no BETWEEN 1 AND 15),
        due_date    date NOT NULL,
        reason      text NOT NULL CONSTRAINT unit_deadlines_reason_length CHECK (length(reason) BETWEEN 1 AND 500),
        set_by      integer REFERENCES users (id),
        set_at      timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (unit_id, step_no)
      )`);

    await q.query(`ALTER TABLE unit_steps DROP CONSTRAINT unit_steps_status_known`);
    await q.query(`
      ALTER TABLE unit_steps ADD CONSTRAINT unit_steps_status_known
        CHECK (status IN ('not_started', 'in_progress', 'awaiting_approval', 'returned', 'completed', 'skipped', 'closed'))`);
    await q.query(`DROP INDEX unit_steps_open_due_idx`);
    await q.query(
      `CREATE INDEX unit_steps_open_due_idx ON unit_steps (due_date, unit_id, step_no)
        WHERE status NOT IN ${FINISHED} AND due_date IS NOT NULL`,
    );

    await q.query(`
      CREATE OR REPLACE FUNCTION step_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $fn$
      DECLARE
        as_of date;
        finishing int[];
      BEGIN
        PERFORM pg_advisory_xact_lock_shared(${LOCKS.counters});
        SELECT overdue_as_of INTO as_of FROM report_state;
        IF TG_OP = 'INSERT' THEN ${applyCounts('INSERT')}
        ELSIF TG_OP = 'UPDATE' THEN ${applyCounts('UPDATE')}
        ELSE ${applyCounts('DELETE')}
        END IF;
        RETURN NULL;
      END $fn$`);
    await q.query(`
      CREATE OR REPLACE FUNCTION step_counts_rebuild() RETURNS void LANGUAGE plpgsql AS $fn$
      DECLARE
        as_of date;
      BEGIN
        PERFORM pg_advisory_xact_lock(${LOCKS.counters});
        SELECT overdue_as_of INTO as_of FROM report_state;
        DELETE FROM step_counts;
        DELETE FROM step_counts_top;
        DELETE FROM unit_counts;
        ${addCounts(`SELECT ${BUCKET} AS bucket_id, ${ANCHOR} AS anchor_id, u.tier, us.step_no, us.status, count(*)::int AS n,
                            (count(*) FILTER (WHERE us.status NOT IN ${FINISHED} AND us.due_date < as_of))::int AS overdue
                       FROM unit_steps us JOIN units u ON u.id = us.unit_id WHERE ${ACTIVE} GROUP BY 1, 2, 3, 4, 5`)}
        INSERT INTO unit_counts (bucket_id, tier, units, units_done)
        SELECT ${BUCKET}, u.tier, count(*), count(*) FILTER (WHERE s.fin = s.total)
          FROM (SELECT unit_id, count(*) AS total, count(*) FILTER (WHERE status IN ${FINISHED}) AS fin
                  FROM unit_steps GROUP BY unit_id) s
          JOIN units u ON u.id = s.unit_id WHERE ${ACTIVE} GROUP BY 1, 2;
      END $fn$`);
    await q.query(`
      CREATE OR REPLACE FUNCTION step_counts_add_subtree(pattern text) RETURNS void LANGUAGE plpgsql AS $fn$
      DECLARE
        as_of date;
      BEGIN
        PERFORM pg_advisory_xact_lock(${LOCKS.counters});
        SELECT overdue_as_of INTO as_of FROM report_state;
        ${addCounts(`SELECT ${BUCKET} AS bucket_id, ${ANCHOR} AS anchor_id, u.tier, us.step_no, us.status, count(*)::int AS n,
                            (count(*) FILTER (WHERE us.status NOT IN ${FINISHED} AND us.due_date < as_of))::int AS overdue
                       FROM units u JOIN unit_steps us ON us.unit_id = u.id WHERE u.path LIKE pattern AND ${ACTIVE} GROUP BY 1, 2, 3, 4, 5`)}
        INSERT INTO unit_counts AS c (bucket_id, tier, units, units_done)
        SELECT ${BUCKET}, u.tier, count(*)::int, (count(*) FILTER (WHERE s.fin = s.total))::int
          FROM (SELECT unit_id, count(*) AS total, count(*) FILTER (WHERE status IN ${FINISHED}) AS fin
                  FROM unit_steps GROUP BY unit_id) s
          JOIN units u ON u.id = s.unit_id
         WHERE u.path LIKE pattern AND ${ACTIVE}
         GROUP BY 1, 2 ORDER BY 1, 2
        ON CONFLICT (bucket_id, tier) DO UPDATE SET units = c.units + EXCLUDED.units, units_done = c.units_done + EXCLUDED.units_done;
      END $fn$`);
    await q.query(`
      CREATE OR REPLACE FUNCTION step_counts_roll_overdue(today date) RETURNS void LANGUAGE plpgsql AS $fn$
      DECLARE
        prev date;
      BEGIN
        IF (SELECT overdue_as_of FROM report_state) = today THEN RETURN; END IF;
        PERFORM pg_advisory_xact_lock(${LOCKS.counters});
        SELECT overdue_as_of INTO prev FROM report_state FOR UPDATE;
        IF prev = today THEN RETURN; END IF;
        ${addCounts(`SELECT ${BUCKET} AS bucket_id, ${ANCHOR} AS anchor_id, u.tier, us.step_no, us.status, 0 AS n,
                            (count(*) * sign(today - prev))::int AS overdue
                       FROM unit_steps us JOIN units u ON u.id = us.unit_id
                      WHERE ${ACTIVE} AND us.status NOT IN ${FINISHED} AND us.due_date >= least(prev, today) AND us.due_date < greatest(prev, today)
                      GROUP BY 1, 2, 3, 4, 5`)}
        UPDATE report_state SET overdue_as_of = today;
      END $fn$`);
    // A unit that changes bucket, anchor, tier or status (a move at any depth, a merge, a dissolution):
    // its counts leave the old key and join the new one, for those units only. EXCEPT hashes both
    // transition tables (they have no index; a join could go quadratic).
    await q.query(`
      CREATE OR REPLACE FUNCTION step_counts_on_unit_move() RETURNS trigger LANGUAGE plpgsql AS $fn$
      DECLARE
        as_of date;
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM (${MOVED}) m WHERE EXISTS (SELECT 1 FROM unit_steps us WHERE us.unit_id = m.id)) THEN
          RETURN NULL;
        END IF;
        PERFORM pg_advisory_xact_lock_shared(${LOCKS.counters});
        SELECT overdue_as_of INTO as_of FROM report_state;
        ${addCounts(`${unitContribution('old_rows', -1)} UNION ALL ${unitContribution('new_rows', 1)}`, `moved AS (${MOVED})`)}
        WITH moved AS (${MOVED}),
        d AS (${unitTotals('old_rows', -1)} UNION ALL ${unitTotals('new_rows', 1)})
        INSERT INTO unit_counts AS c (bucket_id, tier, units, units_done)
        SELECT bucket_id, tier, sum(units)::int, sum(done)::int FROM d GROUP BY 1, 2
        HAVING sum(units) <> 0 OR sum(done) <> 0 ORDER BY 1, 2
        ON CONFLICT (bucket_id, tier) DO UPDATE SET units = c.units + EXCLUDED.units, units_done = c.units_done + EXCLUDED.units_done;
        RETURN NULL;
      END $fn$`);
    await q.query(`SELECT step_counts_rebuild()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE unit_deadlines`);
    await q.query(`DROP TABLE unit_lineage`);
    await q.query(`UPDATE unit_steps SET status = 'skipped' WHERE status = 'closed'`);
    await q.query(`ALTER TABLE unit_steps DROP CONSTRAINT unit_steps_status_known`);
    await q.query(`
      ALTER TABLE unit_steps ADD CONSTRAINT unit_steps_status_known
        CHECK (status IN ('not_started', 'in_progress', 'awaiting_approval', 'returned', 'completed', 'skipped'))`);
    await q.query(`DROP INDEX units_successor_id_idx`);
    await q.query(`
      ALTER TABLE units DROP CONSTRAINT units_successor_when_merged, DROP CONSTRAINT units_closed_on_when_closed,
        DROP COLUMN committee_name, DROP COLUMN closed_on, DROP COLUMN status`);
    await q.query(`ALTER TABLE units RENAME COLUMN successor_id TO merged_into_id`);
    // The counter functions stay as this migration left them (a superset); rerun ProgressCounters' to restore the originals.
  }
}
