import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The Party's own rules (issue 11):
 * - `units.congress_type`: which of the 4 contents the unit's congress must complete, decided by the
 *   superior (`full`, `three_contents` without content 3, `two_contents` without contents 3 and 4).
 * - `units.pilot`: a pilot congress (đại hội điểm), held before the main wave; reports filter on it.
 * - The approver's clock: `plan_steps.approval_working_days` (15 for step 13, the ratification) and
 *   `unit_steps.approval_due`, set when a step is submitted and cleared when it leaves
 *   `awaiting_approval`; a submission waiting past it is the approver's overdue item.
 * - Step 14 (assign duties, at the new committee's first session) no longer waits for step 13's
 *   ratification: it depends on step 12 (the congress).
 */
export class PartyRules1764000006000 implements MigrationInterface {
  name = 'PartyRules1764000006000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE units
        ADD COLUMN congress_type text NOT NULL DEFAULT 'full'
          CONSTRAINT units_congress_type_known CHECK (congress_type IN ('full', 'three_contents', 'two_contents')),
        ADD COLUMN pilot boolean NOT NULL DEFAULT false`);
    await q.query(`
      ALTER TABLE plan_steps ADD COLUMN approval_working_days smallint
        CONSTRAINT plan_steps_approval_days_range CHECK (approval_working_days BETWEEN 1 AND 120)`);
    await q.query(`UPDATE plan_steps SET approval_working_days = 15 WHERE no = 13 AND requires_approval`);
    await q.query(`UPDATE plan_steps SET depends_on = '{12}' WHERE no = 14 AND code = 'consolidation' AND depends_on = '{13}'`);
    await q.query(`ALTER TABLE unit_steps ADD COLUMN approval_due date`);
    // "Submissions waiting past the approver's deadline": the progress and overdue reports, the sweep.
    await q.query(`
      CREATE INDEX unit_steps_approval_due_idx ON unit_steps (approval_due, unit_id, step_no)
        WHERE status = 'awaiting_approval' AND approval_due IS NOT NULL`);
    // The approvers' reminders of submissions waiting past their deadline.
    await q.query(`ALTER TABLE notifications DROP CONSTRAINT notifications_kind_known`);
    await q.query(`
      ALTER TABLE notifications ADD CONSTRAINT notifications_kind_known
        CHECK (kind IN ('reminder', 'escalation', 'submitted', 'returned', 'approved', 'digest', 'approval_overdue'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM notifications WHERE kind = 'approval_overdue'`);
    await q.query(`ALTER TABLE notifications DROP CONSTRAINT notifications_kind_known`);
    await q.query(`
      ALTER TABLE notifications ADD CONSTRAINT notifications_kind_known
        CHECK (kind IN ('reminder', 'escalation', 'submitted', 'returned', 'approved', 'digest'))`);
    await q.query(`DROP INDEX unit_steps_approval_due_idx`);
    await q.query(`ALTER TABLE unit_steps DROP COLUMN approval_due`);
    await q.query(`UPDATE plan_steps SET depends_on = '{13}' WHERE no = 14 AND code = 'consolidation' AND depends_on = '{12}'`);
    await q.query(`ALTER TABLE plan_steps DROP COLUMN approval_working_days`);
    await q.query(`ALTER TABLE units DROP COLUMN pilot, DROP COLUMN congress_type`);
  }
}
