import { MigrationInterface, QueryRunner } from 'typeorm';

// Frozen copies of the SQL this migration installs and restores (a migration must not change when the code does).

/** The raise of the foreign key `constraint` on unit_steps.`column` for the key `value` (PL/pgSQL). */
const raiseMissing = (constraint: string, column: string, table: string, value: string) => `
      RAISE EXCEPTION 'insert or update on table "unit_steps" violates foreign key constraint "${constraint}"'
        USING ERRCODE = 'foreign_key_violation', CONSTRAINT = '${constraint}', TABLE = 'unit_steps',
              DETAIL = format('Key (${column})=(%s) is not present in table "${table}".', ${value});`;

/** unit_steps_units_exist() as OrdinaryRolePerformance1764000008000 defined it (for `down`). */
const UNITS_EXIST_BEFORE = `
      CREATE OR REPLACE FUNCTION unit_steps_units_exist() RETURNS trigger LANGUAGE plpgsql AS $fn$
      DECLARE
        wanted int;
        locked int;
        missing int;
      BEGIN
        IF TG_LEVEL = 'ROW' THEN
          PERFORM 1 FROM units WHERE id = NEW.unit_id FOR KEY SHARE;
          IF NOT FOUND THEN missing := NEW.unit_id; END IF;
        ELSE
          SELECT count(DISTINCT unit_id) INTO wanted FROM new_rows;
          SELECT count(*) INTO locked FROM (
            SELECT 1 FROM units u WHERE u.id IN (SELECT unit_id FROM new_rows) FOR KEY SHARE OF u) l;
          IF locked < wanted THEN
            SELECT n.unit_id INTO missing FROM new_rows n WHERE NOT EXISTS (SELECT 1 FROM units u WHERE u.id = n.unit_id) LIMIT 1;
          END IF;
        END IF;
        IF missing IS NOT NULL THEN
          RAISE EXCEPTION 'insert or update on table "unit_steps" violates foreign key constraint "unit_steps_unit_id_fkey"'
            USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'unit_steps_unit_id_fkey', TABLE = 'unit_steps',
                  DETAIL = format('Key (unit_id)=(%s) is not present in table "units".', missing);
        END IF;
        RETURN NULL;
      END $fn$`;

/**
 * The statement-level check of an INSERT into unit_steps (and, row by row, of an UPDATE of unit_id):
 * - units: without a SHARE (or stronger) lock on `units` held by this transaction, as before: the
 *   referenced units are locked FOR KEY SHARE. With it (and under READ COMMITTED, where each
 *   statement of this function reads with a snapshot taken after the lock was granted) no other
 *   transaction can delete a unit or change its id until this one ends, so an existence check is
 *   enough: one hash anti-join of the new rows to units. (Written as min() over the whole anti-join
 *   rather than LIMIT 1: with LIMIT 1 the planner probes the units' index once per new row, 5× slower
 *   on an activation's millions of rows.) Under REPEATABLE READ or SERIALIZABLE the snapshot may be
 *   older than the lock: the row locks are kept.
 * - users: the non-null updated_by / milestone_done_by of the new rows (none at an activation; one
 *   filtered pass over the new rows) are locked FOR KEY SHARE, as the foreign keys did.
 */
const UNITS_EXIST = `
      CREATE OR REPLACE FUNCTION unit_steps_units_exist() RETURNS trigger LANGUAGE plpgsql AS $fn$
      DECLARE
        wanted int;
        locked int;
        missing int;
        users_wanted int[];
      BEGIN
        IF TG_LEVEL = 'ROW' THEN
          PERFORM 1 FROM units WHERE id = NEW.unit_id FOR KEY SHARE;
          IF NOT FOUND THEN missing := NEW.unit_id; END IF;
        ELSIF current_setting('transaction_isolation') = 'read committed' AND EXISTS (
            SELECT 1 FROM pg_locks l
             WHERE l.locktype = 'relation' AND l.relation = 'units'::regclass AND l.pid = pg_backend_pid() AND l.granted
               AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
               AND l.mode IN ('ShareLock', 'ShareRowExclusiveLock', 'ExclusiveLock', 'AccessExclusiveLock')) THEN
          SELECT min(n.unit_id) INTO missing FROM new_rows n WHERE NOT EXISTS (SELECT 1 FROM units u WHERE u.id = n.unit_id);
        ELSE
          SELECT count(DISTINCT unit_id) INTO wanted FROM new_rows;
          SELECT count(*) INTO locked FROM (
            SELECT 1 FROM units u WHERE u.id IN (SELECT unit_id FROM new_rows) FOR KEY SHARE OF u) l;
          IF locked < wanted THEN
            SELECT n.unit_id INTO missing FROM new_rows n WHERE NOT EXISTS (SELECT 1 FROM units u WHERE u.id = n.unit_id) LIMIT 1;
          END IF;
        END IF;
        IF missing IS NOT NULL THEN ${raiseMissing('unit_steps_unit_id_fkey', 'unit_id', 'units', 'missing')}
        END IF;
        IF TG_LEVEL = 'ROW' THEN RETURN NULL; END IF;

        SELECT array_agg(DISTINCT v.id) INTO users_wanted
          FROM (SELECT n.updated_by, n.milestone_done_by FROM new_rows n
                 WHERE n.updated_by IS NOT NULL OR n.milestone_done_by IS NOT NULL OFFSET 0) r
         CROSS JOIN LATERAL (VALUES (r.updated_by), (r.milestone_done_by)) v(id)
         WHERE v.id IS NOT NULL;
        IF users_wanted IS NULL THEN RETURN NULL; END IF;
        SELECT count(*) INTO locked FROM (SELECT 1 FROM users u WHERE u.id = ANY (users_wanted) FOR KEY SHARE OF u) l;
        IF locked < cardinality(users_wanted) THEN
          SELECT n.updated_by INTO missing FROM new_rows n
           WHERE n.updated_by IS NOT NULL AND NOT EXISTS (SELECT 1 FROM users u WHERE u.id = n.updated_by) LIMIT 1;
          IF missing IS NOT NULL THEN ${raiseMissing('unit_steps_updated_by_fkey', 'updated_by', 'users', 'missing')}
          END IF;
          SELECT n.milestone_done_by INTO missing FROM new_rows n
           WHERE n.milestone_done_by IS NOT NULL AND NOT EXISTS (SELECT 1 FROM users u WHERE u.id = n.milestone_done_by) LIMIT 1;
          IF missing IS NOT NULL THEN ${raiseMissing('unit_steps_milestone_done_by_fkey', 'milestone_done_by', 'users', 'missing')}
          END IF;
        END IF;
        RETURN NULL;
      END $fn$`;

/** An UPDATE that sets updated_by or milestone_done_by: the user exists, locked FOR KEY SHARE as the foreign key did. */
const USERS_EXIST = `
      CREATE FUNCTION unit_steps_users_exist() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        IF NEW.updated_by IS DISTINCT FROM OLD.updated_by AND NEW.updated_by IS NOT NULL THEN
          PERFORM 1 FROM users WHERE id = NEW.updated_by FOR KEY SHARE;
          IF NOT FOUND THEN ${raiseMissing('unit_steps_updated_by_fkey', 'updated_by', 'users', 'NEW.updated_by')}
          END IF;
        END IF;
        IF NEW.milestone_done_by IS DISTINCT FROM OLD.milestone_done_by AND NEW.milestone_done_by IS NOT NULL THEN
          PERFORM 1 FROM users WHERE id = NEW.milestone_done_by FOR KEY SHARE;
          IF NOT FOUND THEN ${raiseMissing('unit_steps_milestone_done_by_fkey', 'milestone_done_by', 'users', 'NEW.milestone_done_by')}
          END IF;
        END IF;
        RETURN NULL;
      END $fn$`;

/**
 * A user that unit_steps refers to is not deleted, does not change id and is not truncated away
 * (the app never deletes users: it disables them). The row is locked before a BEFORE DELETE
 * trigger runs, so a writer that referenced it (holding FOR KEY SHARE) has committed by then, and
 * under READ COMMITTED the check sees its rows. Under REPEATABLE READ or SERIALIZABLE the
 * snapshot may predate such a writer: deleting or renumbering a user is refused there.
 */
const USERS_KEEP_STEPS = `
      CREATE FUNCTION users_keep_steps() RETURNS trigger LANGUAGE plpgsql AS $fn$
      DECLARE
        fk text;
      BEGIN
        IF TG_LEVEL = 'STATEMENT' THEN
          IF EXISTS (SELECT 1 FROM unit_steps WHERE updated_by IS NOT NULL OR milestone_done_by IS NOT NULL) THEN
            RAISE EXCEPTION 'unit_steps refer to users: TRUNCATE users is not allowed' USING ERRCODE = 'foreign_key_violation';
          END IF;
          RETURN NULL;
        END IF;
        IF TG_OP = 'UPDATE' AND NEW.id = OLD.id THEN RETURN NEW; END IF;
        IF current_setting('transaction_isolation') <> 'read committed' THEN
          RAISE EXCEPTION 'users are deleted or renumbered only under READ COMMITTED (their use by unit_steps is checked then)'
            USING ERRCODE = 'foreign_key_violation', TABLE = 'users';
        END IF;
        IF EXISTS (SELECT 1 FROM unit_steps WHERE updated_by = OLD.id) THEN
          fk := 'unit_steps_updated_by_fkey';
        ELSIF EXISTS (SELECT 1 FROM unit_steps WHERE milestone_done_by = OLD.id) THEN
          fk := 'unit_steps_milestone_done_by_fkey';
        END IF;
        IF fk IS NOT NULL THEN
          RAISE EXCEPTION 'update or delete on table "users" violates foreign key constraint "%" on table "unit_steps"', fk
            USING ERRCODE = 'foreign_key_violation', CONSTRAINT = fk, TABLE = 'users',
                  DETAIL = format('Key (id)=(%s) is still referenced from table "unit_steps".', OLD.id);
        END IF;
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
      END $fn$`;

/**
 * Plan activation speed (issue 16). Profiled at 300,000 units (3.9M steps) under the app's role,
 * 27 s in all: the INSERT … SELECT 22.3 s (12.2 s into a bare table with the primary key only), of
 * which the statement check of the units 4.1 s (3.4 s of it locking 300,000 units FOR KEY SHARE)
 * and the two per-row foreign keys to users (updated_by, milestone_done_by: NULL at insert, but
 * PostgreSQL queues and fires one RI trigger event per row and foreign key, ≈ 2.5 s).
 * - The units check locks nothing when the transaction already holds a SHARE (or stronger) lock
 *   on units (the activation does: PlansRepository.createStepsUnder), see UNITS_EXIST.
 * - The foreign keys of updated_by and milestone_done_by become the same statement check of an
 *   INSERT, a row trigger on an UPDATE that changes either (IS DISTINCT FROM), and triggers on users
 *   against DELETE, a change of id and TRUNCATE while referenced; same errors, same constraint names.
 */
export class ActivationChecks1764000016000 implements MigrationInterface {
  name = 'ActivationChecks1764000016000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE unit_steps DROP CONSTRAINT unit_steps_updated_by_fkey, DROP CONSTRAINT unit_steps_milestone_done_by_fkey`);
    await q.query(UNITS_EXIST);
    await q.query(USERS_EXIST);
    await q.query(`
      CREATE TRIGGER unit_steps_users_exist_on_update AFTER UPDATE OF updated_by, milestone_done_by ON unit_steps
      FOR EACH ROW WHEN (OLD.updated_by IS DISTINCT FROM NEW.updated_by OR OLD.milestone_done_by IS DISTINCT FROM NEW.milestone_done_by)
      EXECUTE FUNCTION unit_steps_users_exist()`);
    await q.query(USERS_KEEP_STEPS);
    await q.query(`
      CREATE TRIGGER users_keep_steps BEFORE DELETE OR UPDATE OF id ON users
      FOR EACH ROW EXECUTE FUNCTION users_keep_steps()`);
    await q.query(`
      CREATE TRIGGER users_keep_steps_on_truncate BEFORE TRUNCATE ON users
      FOR EACH STATEMENT EXECUTE FUNCTION users_keep_steps()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER users_keep_steps_on_truncate ON users`);
    await q.query(`DROP TRIGGER users_keep_steps ON users`);
    await q.query(`DROP FUNCTION users_keep_steps()`);
    await q.query(`DROP TRIGGER unit_steps_users_exist_on_update ON unit_steps`);
    await q.query(`DROP FUNCTION unit_steps_users_exist()`);
    await q.query(UNITS_EXIST_BEFORE);
    await q.query(`
      ALTER TABLE unit_steps ADD CONSTRAINT unit_steps_updated_by_fkey FOREIGN KEY (updated_by) REFERENCES users (id),
        ADD CONSTRAINT unit_steps_milestone_done_by_fkey FOREIGN KEY (milestone_done_by) REFERENCES users (id)`);
  }
}
