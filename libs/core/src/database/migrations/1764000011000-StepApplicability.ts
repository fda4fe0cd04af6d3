import { MigrationInterface, QueryRunner } from 'typeorm';

// Frozen copies (a migration must not change when the code does).
const FINISHED = `('completed', 'skipped', 'closed')`;
const MILESTONE = {
  titleVi: 'Phân bổ, triệu tập đại biểu; xác định ngày khai mạc đại hội',
  titleEn: 'Delegate allocation and convocation; opening date fixed',
  deadlines: Object.fromEntries(
    ['central', 'province', 'district', 'grassroots'].map((t) => [t, { daysFromCongress: -30, workingDays: true }]),
  ),
};

/**
 * Per-tier steps and step milestones (issue 11, items 4 and 8):
 * - `plan_steps.applies_to`: the tiers whose units get the step (a non-empty subset of the tiers).
 *   Plans that exist keep every step for every tier (their units already have them); new plans take
 *   the template's defaults.
 * - `plan_steps.milestone`: at most one dated milestone inside a step, `{titleVi, titleEn, deadlines}`
 *   with deadlines per tier like the step's; `unit_steps.milestone_due` is its due date for the unit,
 *   `milestone_done_at`/`_by` who marked it done. Step 11 of existing plans gets the delegate
 *   allocation milestone (30 working days before the congress), as the template now has it.
 */
export class StepApplicability1764000011000 implements MigrationInterface {
  name = 'StepApplicability1764000011000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE plan_steps
        ADD COLUMN applies_to text[] NOT NULL DEFAULT '{central,province,district,grassroots,cell}'
          CONSTRAINT plan_steps_applies_to_tiers CHECK (
            cardinality(applies_to) >= 1 AND applies_to <@ '{central,province,district,grassroots,cell}'::text[]),
        ADD COLUMN milestone jsonb
          CONSTRAINT plan_steps_milestone_shape CHECK (milestone IS NULL OR (jsonb_typeof(milestone) = 'object'
            AND jsonb_typeof(milestone -> 'titleVi') = 'string' AND jsonb_typeof(milestone -> 'deadlines') = 'object'))`);
    await q.query(`
      ALTER TABLE unit_steps
        ADD COLUMN milestone_due date,
        ADD COLUMN milestone_done_at timestamptz,
        ADD COLUMN milestone_done_by integer REFERENCES users (id)`);
    // "Milestones due before D, not marked, of open steps": the overdue report.
    await q.query(`
      CREATE INDEX unit_steps_milestone_due_idx ON unit_steps (milestone_due, unit_id, step_no)
        WHERE milestone_due IS NOT NULL AND milestone_done_at IS NULL AND status NOT IN ${FINISHED}`);
    await q.query(`UPDATE plan_steps SET milestone = $1::jsonb WHERE no = 11 AND code = 'congress_preparation' AND milestone IS NULL`, [
      JSON.stringify(MILESTONE),
    ]);
    // "k working days before D" is the working day whose index is (working days strictly before D) - k + 1.
    await q.query(`
      UPDATE unit_steps us SET milestone_due = c1.day
        FROM units u, plan_steps ps, calendar_days c0, calendar_days c1
       WHERE u.id = us.unit_id AND ps.plan_id = us.plan_id AND ps.no = us.step_no AND ps.milestone IS NOT NULL
         AND c0.day = u.congress_date AND c1.is_working
         AND c1.work_index = c0.work_index - c0.is_working::int + ((ps.milestone -> 'deadlines' -> u.tier ->> 'daysFromCongress')::int) + 1`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX unit_steps_milestone_due_idx`);
    await q.query(`ALTER TABLE unit_steps DROP COLUMN milestone_due, DROP COLUMN milestone_done_at, DROP COLUMN milestone_done_by`);
    await q.query(`ALTER TABLE plan_steps DROP COLUMN applies_to, DROP COLUMN milestone`);
  }
}
