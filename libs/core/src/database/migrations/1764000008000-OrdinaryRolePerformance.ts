import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A plan activation as fast under the app's ordinary role as it was with the superuser's
 * `session_replication_role = replica` (which an ordinary role may not set, and which the product
 * no longer uses):
 *
 * - `unit_steps.unit_id` keeps its integrity without the per-row foreign key. Checked row by row,
 *   an activation of 300,000 units ran 4.5M lookups of the same 300,000 units (16 s of 38 s). Now:
 *   - an INSERT checks its rows once per statement (a statement-level trigger over the new rows:
 *     one semi-join), locking the referenced units FOR KEY SHARE as the foreign key did, so a
 *     concurrent DELETE of one of them waits and then sees the steps;
 *   - an UPDATE that changes a step's unit is checked row by row (the WHEN clause keeps transitions
 *     free of it);
 *   - a unit with steps cannot be deleted, change id or be truncated away (triggers on units).
 *   Like the foreign key, the checks run at the end of each statement and raise
 *   `foreign_key_violation` naming `unit_steps_unit_id_fkey`.
 * - The progress counters of an activation are added in one set-based pass
 *   (`step_counts_add_subtree`) instead of by the insert trigger: the trigger does not fire while
 *   the transaction-local setting `ct.step_counts` is `deferred` (plans.repository sets it around
 *   its one INSERT … SELECT and counts right after, in the same transaction).
 * - TRUNCATE cannot remove the steps of an active plan (the row trigger plan_steps_keep_active
 *   does not see a TRUNCATE).
 */
export class OrdinaryRolePerformance1764000008000 implements MigrationInterface {
  name = 'OrdinaryRolePerformance1764000008000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE unit_steps DROP CONSTRAINT unit_steps_unit_id_fkey`);
    await q.query(`
      CREATE FUNCTION unit_steps_units_exist() RETURNS trigger LANGUAGE plpgsql AS $fn$
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
      END $fn$`);
    await q.query(`
      CREATE TRIGGER unit_steps_units_exist_on_insert AFTER INSERT ON unit_steps REFERENCING NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION unit_steps_units_exist()`);
    await q.query(`
      CREATE TRIGGER unit_steps_units_exist_on_update AFTER UPDATE OF unit_id ON unit_steps
      FOR EACH ROW WHEN (OLD.unit_id IS DISTINCT FROM NEW.unit_id) EXECUTE FUNCTION unit_steps_units_exist()`);
    await q.query(`
      CREATE FUNCTION units_keep_steps() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        IF TG_LEVEL = 'STATEMENT' THEN
          IF EXISTS (SELECT 1 FROM unit_steps) THEN
            RAISE EXCEPTION 'units have steps: TRUNCATE units is not allowed' USING ERRCODE = 'foreign_key_violation';
          END IF;
          RETURN NULL;
        END IF;
        IF EXISTS (SELECT 1 FROM unit_steps WHERE unit_id = OLD.id) THEN
          RAISE EXCEPTION 'update or delete on table "units" violates foreign key constraint "unit_steps_unit_id_fkey" on table "unit_steps"'
            USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'unit_steps_unit_id_fkey', TABLE = 'units',
                  DETAIL = format('Key (id)=(%s) is still referenced from table "unit_steps".', OLD.id);
        END IF;
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
      END $fn$`);
    await q.query(`
      CREATE TRIGGER units_keep_steps BEFORE DELETE OR UPDATE OF id ON units
      FOR EACH ROW EXECUTE FUNCTION units_keep_steps()`);
    await q.query(`
      CREATE TRIGGER units_keep_steps_on_truncate BEFORE TRUNCATE ON units
      FOR EACH STATEMENT EXECUTE FUNCTION units_keep_steps()`);

    // The counters' insert trigger, off while an activation counts in one pass.
    await q.query(`DROP TRIGGER step_counts_on_insert ON unit_steps`);
    await q.query(`
      CREATE TRIGGER step_counts_on_insert AFTER INSERT ON unit_steps REFERENCING NEW TABLE AS new_rows
      FOR EACH STATEMENT WHEN (current_setting('ct.step_counts', true) IS DISTINCT FROM 'deferred')
      EXECUTE FUNCTION step_counts_apply()`);

    await q.query(`
      CREATE FUNCTION plan_steps_keep_active_truncate() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        IF EXISTS (SELECT 1 FROM plans WHERE status = 'active') THEN
          RAISE EXCEPTION 'a plan that is active keeps its steps: TRUNCATE % is not allowed', TG_TABLE_NAME
            USING ERRCODE = 'foreign_key_violation';
        END IF;
        RETURN NULL;
      END $fn$`);
    for (const table of ['plan_steps', 'plans']) {
      await q.query(`
        CREATE TRIGGER ${table}_keep_active_truncate BEFORE TRUNCATE ON ${table}
        FOR EACH STATEMENT EXECUTE FUNCTION plan_steps_keep_active_truncate()`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['plan_steps', 'plans']) await q.query(`DROP TRIGGER ${table}_keep_active_truncate ON ${table}`);
    await q.query(`DROP FUNCTION plan_steps_keep_active_truncate()`);
    await q.query(`DROP TRIGGER step_counts_on_insert ON unit_steps`);
    await q.query(`CREATE TRIGGER step_counts_on_insert AFTER INSERT ON unit_steps REFERENCING NEW TABLE AS new_rows
                   FOR EACH STATEMENT EXECUTE FUNCTION step_counts_apply()`);
    await q.query(`DROP TRIGGER units_keep_steps_on_truncate ON units`);
    await q.query(`DROP TRIGGER units_keep_steps ON units`);
    await q.query(`DROP FUNCTION units_keep_steps()`);
    await q.query(`DROP TRIGGER unit_steps_units_exist_on_update ON unit_steps`);
    await q.query(`DROP TRIGGER unit_steps_units_exist_on_insert ON unit_steps`);
    await q.query(`DROP FUNCTION unit_steps_units_exist()`);
    await q.query(`ALTER TABLE unit_steps ADD CONSTRAINT unit_steps_unit_id_fkey FOREIGN KEY (unit_id) REFERENCES units (id)`);
  }
}
