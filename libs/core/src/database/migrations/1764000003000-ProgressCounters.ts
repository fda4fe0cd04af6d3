import { MigrationInterface, QueryRunner } from 'typeorm';
import { LOCKS } from '../../locks';
import { counterBucketSql } from '../progress-counters';

const FINISHED = `('completed', 'skipped')`;
// The counting bucket of a unit: its ancestor at depth 2 (a district in a national tree, a
// commune in a provincial one), or itself above that depth. Roll-ups of roots above that depth
// sum a few thousand bucket rows instead of scanning millions of steps; a transition touches only
// its own bucket's rows, so there is no hot counter row shared by the whole country.
// (COUNTER_BUCKET_DEPTH in progress-counters.ts: the one source the reports read too.)
const BUCKET = counterBucketSql('u.');
// The same counts summed per depth-1 ancestor (a province), for the roll-up of the root by child:
// ~60 anchors instead of ~700 buckets × tiers.
const ANCHOR = `(CASE WHEN u.depth >= 1 THEN split_part(u.path, '/', 2)::int ELSE u.id END)`;

/**
 * Adds deltas to step_counts and, summed per anchor, to step_counts_top. `source` yields
 * (bucket_id, anchor_id, tier, step_no, status, n, overdue); `ctes` are CTEs it reads.
 * Rows go in key order, the same in every statement, so concurrent ones cannot deadlock.
 */
function addCounts(source: string, ctes = ''): string {
  return `
        WITH ${ctes ? `${ctes},` : ''} d AS (${source}),
        top AS (
          INSERT INTO step_counts_top AS c (anchor_id, step_no, status, n, overdue)
          SELECT anchor_id, step_no, status, sum(n)::int, sum(overdue)::int FROM d GROUP BY 1, 2, 3
          HAVING sum(n) <> 0 OR sum(overdue) <> 0 ORDER BY 1, 2, 3
          ON CONFLICT (anchor_id, step_no, status) DO UPDATE SET n = c.n + EXCLUDED.n, overdue = c.overdue + EXCLUDED.overdue)
        INSERT INTO step_counts AS c (bucket_id, tier, step_no, status, n, overdue)
        SELECT bucket_id, tier, step_no, status, n, overdue FROM d WHERE n <> 0 OR overdue <> 0 ORDER BY 1, 2, 3, 4
        ON CONFLICT (bucket_id, tier, step_no, status) DO UPDATE SET n = c.n + EXCLUDED.n, overdue = c.overdue + EXCLUDED.overdue;`;
}

/** The rows a statement changed: +1 for the new versions, -1 for the old ones. */
function changes(op: 'INSERT' | 'UPDATE' | 'DELETE'): string {
  const added = `SELECT unit_id, step_no, status, due_date, 1 AS sign FROM new_rows`;
  const removed = `SELECT unit_id, step_no, status, due_date, -1 AS sign FROM old_rows`;
  return op === 'INSERT' ? added : op === 'DELETE' ? removed : `${added} UNION ALL ${removed}`;
}

/** The two counter updates of one statement on unit_steps (static SQL per trigger operation). */
function applyCounts(op: 'INSERT' | 'UPDATE' | 'DELETE'): string {
  const overdue = `x.status NOT IN ${FINISHED} AND x.due_date < as_of`;
  return `
        ${addCounts(
          `SELECT ${BUCKET} AS bucket_id, ${ANCHOR} AS anchor_id, u.tier, x.step_no, x.status, sum(x.sign)::int AS n,
                  coalesce(sum(x.sign) FILTER (WHERE ${overdue}), 0)::int AS overdue
             FROM x JOIN units u ON u.id = x.unit_id GROUP BY 1, 2, 3, 4, 5`,
          `x AS (${changes(op)})`,
        )}

        -- Whether a unit finished every step depends on its other steps: statements that change how
        -- many steps of one unit are finished take turns here (until commit), so the next statement's
        -- snapshot sees the earlier one's steps. Only transitions do that, one unit each.
        -- A bulk statement (more than 1000 such units: admin SQL, imports of states) takes one
        -- exclusive lock instead, so the lock table never overflows.
        SELECT array_agg(unit_id ORDER BY unit_id) INTO finishing
          FROM (SELECT unit_id FROM (${changes(op)}) x GROUP BY unit_id
                 HAVING sum(sign * (status IN ${FINISHED})::int) <> 0) l;
        IF cardinality(finishing) > 1000 THEN
          PERFORM pg_advisory_xact_lock(${LOCKS.bulkFinishing});
        ELSIF cardinality(finishing) > 0 THEN
          PERFORM pg_advisory_xact_lock_shared(${LOCKS.bulkFinishing});
          PERFORM pg_advisory_xact_lock(${LOCKS.unitFinishing}, f) FROM unnest(finishing) AS f;
        END IF;

        -- Units walking a plan, and units whose every step is finished.
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
           GROUP BY 1, 2
        )
        INSERT INTO unit_counts AS c (bucket_id, tier, units, units_done)
        SELECT bucket_id, tier, du, dd FROM delta WHERE du <> 0 OR dd <> 0 ORDER BY 1, 2
        ON CONFLICT (bucket_id, tier) DO UPDATE SET units = c.units + EXCLUDED.units, units_done = c.units_done + EXCLUDED.units_done;`;
}

/**
 * Progress counters maintained in the transaction of every change to unit_steps (statement-level
 * triggers over the transition tables, so an activation of 4.5M rows is one aggregate, and a
 * transition two row updates). `overdue` counts open steps due before report_state.overdue_as_of;
 * step_counts_roll_overdue(today) moves that day forward (the report calls it on read), so the
 * overdue figures are right on the day after a deadline without any transition happening.
 */
export class ProgressCounters1764000003000 implements MigrationInterface {
  name = 'ProgressCounters1764000003000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE report_state (
        id             boolean PRIMARY KEY DEFAULT true CHECK (id),
        overdue_as_of  date NOT NULL
      )`);
    await q.query(`INSERT INTO report_state (overdue_as_of) VALUES ((now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date)`);
    await q.query(`
      CREATE TABLE step_counts (
        bucket_id  integer NOT NULL,
        tier       text NOT NULL,
        step_no    smallint NOT NULL,
        status     text NOT NULL,
        n          integer NOT NULL,
        overdue    integer NOT NULL,
        PRIMARY KEY (bucket_id, tier, step_no, status)
      )`);
    await q.query(`
      CREATE TABLE step_counts_top (
        anchor_id  integer NOT NULL,
        step_no    smallint NOT NULL,
        status     text NOT NULL,
        n          integer NOT NULL,
        overdue    integer NOT NULL,
        PRIMARY KEY (anchor_id, step_no, status)
      )`);
    await q.query(`
      CREATE TABLE unit_counts (
        bucket_id   integer NOT NULL,
        tier        text NOT NULL,
        units       integer NOT NULL,
        units_done  integer NOT NULL,
        PRIMARY KEY (bucket_id, tier)
      )`);

    await q.query(`
      CREATE FUNCTION step_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $fn$
      DECLARE
        as_of date;
        finishing int[];
      BEGIN
        -- Shared with other transitions, exclusive with the overdue roll-over.
        PERFORM pg_advisory_xact_lock_shared(${LOCKS.counters});
        SELECT overdue_as_of INTO as_of FROM report_state;
        IF TG_OP = 'INSERT' THEN ${applyCounts('INSERT')}
        ELSIF TG_OP = 'UPDATE' THEN ${applyCounts('UPDATE')}
        ELSE ${applyCounts('DELETE')}
        END IF;
        RETURN NULL;
      END $fn$`);
    await q.query(`CREATE TRIGGER step_counts_on_insert AFTER INSERT ON unit_steps REFERENCING NEW TABLE AS new_rows
                   FOR EACH STATEMENT EXECUTE FUNCTION step_counts_apply()`);
    await q.query(`CREATE TRIGGER step_counts_on_update AFTER UPDATE ON unit_steps REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
                   FOR EACH STATEMENT EXECUTE FUNCTION step_counts_apply()`);
    await q.query(`CREATE TRIGGER step_counts_on_delete AFTER DELETE ON unit_steps REFERENCING OLD TABLE AS old_rows
                   FOR EACH STATEMENT EXECUTE FUNCTION step_counts_apply()`);

    // Recounts everything from unit_steps: after a unit moves to another bucket or changes tier.
    await q.query(`
      CREATE FUNCTION step_counts_rebuild() RETURNS void LANGUAGE plpgsql AS $fn$
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
                       FROM unit_steps us JOIN units u ON u.id = us.unit_id GROUP BY 1, 2, 3, 4, 5`)}
        INSERT INTO unit_counts (bucket_id, tier, units, units_done)
        SELECT ${BUCKET}, u.tier, count(*), count(*) FILTER (WHERE s.fin = s.total)
          FROM (SELECT unit_id, count(*) AS total, count(*) FILTER (WHERE status IN ${FINISHED}) AS fin
                  FROM unit_steps GROUP BY unit_id) s
          JOIN units u ON u.id = s.unit_id GROUP BY 1, 2;
      END $fn$`);
    // Counts the steps of a subtree's units that the triggers did not see (a plan activation
    // inserts millions of rows with triggers off, then counts them here in one pass).
    await q.query(`
      CREATE FUNCTION step_counts_add_subtree(pattern text) RETURNS void LANGUAGE plpgsql AS $fn$
      DECLARE
        as_of date;
      BEGIN
        PERFORM pg_advisory_xact_lock(${LOCKS.counters});
        SELECT overdue_as_of INTO as_of FROM report_state;
        ${addCounts(`SELECT ${BUCKET} AS bucket_id, ${ANCHOR} AS anchor_id, u.tier, us.step_no, us.status, count(*)::int AS n,
                            (count(*) FILTER (WHERE us.status NOT IN ${FINISHED} AND us.due_date < as_of))::int AS overdue
                       FROM units u JOIN unit_steps us ON us.unit_id = u.id WHERE u.path LIKE pattern GROUP BY 1, 2, 3, 4, 5`)}
        INSERT INTO unit_counts AS c (bucket_id, tier, units, units_done)
        SELECT ${BUCKET}, u.tier, count(*)::int, (count(*) FILTER (WHERE s.fin = s.total))::int
          FROM (SELECT unit_id, count(*) AS total, count(*) FILTER (WHERE status IN ${FINISHED}) AS fin
                  FROM unit_steps GROUP BY unit_id) s
          JOIN units u ON u.id = s.unit_id
         WHERE u.path LIKE pattern
         GROUP BY 1, 2 ORDER BY 1, 2
        ON CONFLICT (bucket_id, tier) DO UPDATE SET units = c.units + EXCLUDED.units, units_done = c.units_done + EXCLUDED.units_done;
      END $fn$`);
    await q.query(`
      CREATE FUNCTION step_counts_on_unit_move() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        -- EXCEPT hashes both sides: transition tables have no index, a join could go quadratic.
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
    await q.query(`CREATE TRIGGER step_counts_on_unit_move AFTER UPDATE ON units REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
                   FOR EACH STATEMENT EXECUTE FUNCTION step_counts_on_unit_move()`);

    // Moves the overdue day to `today`: steps due in between become (or, backwards, stop being) overdue.
    await q.query(`
      CREATE FUNCTION step_counts_roll_overdue(today date) RETURNS void LANGUAGE plpgsql AS $fn$
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
                      WHERE us.status NOT IN ${FINISHED} AND us.due_date >= least(prev, today) AND us.due_date < greatest(prev, today)
                      GROUP BY 1, 2, 3, 4, 5`)}
        UPDATE report_state SET overdue_as_of = today;
      END $fn$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER step_counts_on_unit_move ON units`);
    for (const t of ['insert', 'update', 'delete']) await q.query(`DROP TRIGGER step_counts_on_${t} ON unit_steps`);
    for (const f of [
      'step_counts_add_subtree(text)',
      'step_counts_roll_overdue(date)',
      'step_counts_on_unit_move()',
      'step_counts_rebuild()',
      'step_counts_apply()',
    ]) {
      await q.query(`DROP FUNCTION ${f}`);
    }
    await q.query(`DROP TABLE unit_counts, step_counts_top, step_counts, report_state`);
  }
}
