import { Injectable } from '@nestjs/common';
import { executeCounted, FINISHED_SQL, Sql, type Tier, type Tx } from '@app/core';
import type { PlanDto, PlanStepDto } from './dto/plan.dto';
import type { CongressWindow, Deadlines, StepTemplate } from './plan-template';

/**
 * Due dates in SQL, set-based. Aliases: `u` units, `ps` plan_steps; a step's rule is
 * ps.deadlines -> u.tier, its milestone's ps.milestone -> 'deadlines' -> u.tier (the same arithmetic).
 * Each rule has two joins on calendar_days (work_index counts working days up to a day; make-up
 * Saturdays count, holidays do not): the anchor, and the working day found from it.
 * - "k working days after D" is the working day whose index is index(D) + k; "k before D" is the
 *   working day whose index is (working days strictly before D) - k + 1.
 * - An absolute date, or D + k calendar days, is the anchor itself when that is a working day, else
 *   the next working day (index of working days strictly before it + 1).
 * A lookup outside calendar_days (the years the calendar has entries for) is not a wrong day: the
 * statement fails through calendar_not_covered() (SQLSTATE VC001 → 409 CALENDAR_NOT_COVERED).
 */
function dueDate(rule: string, anchorDay: string, day: string): { join: string; expr: string } {
  const days = `(${rule} ->> 'daysFromCongress')::int`;
  const absolute = `(${rule} ->> 'date')`;
  const countsWorkingDays = `(${absolute} IS NULL AND coalesce((${rule} ->> 'workingDays')::boolean, false))`;
  // The date counted from (working days) or moved to a working day (absolute dates, calendar days).
  const anchor = `
    CASE
      WHEN ${absolute} IS NOT NULL THEN ${absolute}::date
      WHEN ${countsWorkingDays} THEN u.congress_date
      ELSE u.congress_date + ${days}
    END`;
  return {
    join: `
  LEFT JOIN calendar_days ${anchorDay} ON ${anchorDay}.day = ${anchor}
  LEFT JOIN calendar_days ${day} ON ${day}.is_working AND ${day}.work_index =
    CASE
      WHEN NOT ${countsWorkingDays} THEN ${anchorDay}.work_index - ${anchorDay}.is_working::int + 1
      WHEN ${days} >= 0 THEN ${anchorDay}.work_index + ${days}
      ELSE ${anchorDay}.work_index - ${anchorDay}.is_working::int + ${days} + 1
    END`,
    expr: `
  CASE
    WHEN ${absolute} IS NULL AND (u.congress_date IS NULL OR ${days} IS NULL) THEN NULL
    ELSE coalesce(${day}.day, calendar_not_covered(${anchor}, CASE WHEN ${countsWorkingDays} THEN ${days} ELSE 0 END))
  END`,
  };
}
const STEP_RULE = `(ps.deadlines -> u.tier)`;
const MILESTONE_RULE = `(ps.milestone -> 'deadlines' -> u.tier)`;
const STEP_DUE = dueDate(STEP_RULE, 'c0', 'c1');
const MILESTONE_DUE = dueDate(MILESTONE_RULE, 'm0', 'm1');
const DUE_DATE_JOINS = `${STEP_DUE.join}${MILESTONE_DUE.join}`;
const DUE_DATE_EXPR = STEP_DUE.expr;
const MILESTONE_DUE_EXPR = MILESTONE_DUE.expr;
/** The plan step applies to the unit's tier (plan_steps.applies_to). */
const APPLIES = `u.tier = ANY(ps.applies_to)`;

/**
 * Recomputes the due dates of open steps matching `filter` (a condition on us, u, ps); finished steps
 * keep theirs, and so does a step with the unit's own deadline (unit_deadlines, set by a superior).
 * A milestone's due date follows its rule the same way (marked done or not: the mark is kept apart).
 */
function recomputeDueDatesSql(filter: string): string {
  return `
    WITH target AS (
      SELECT us.unit_id, us.step_no,
             CASE WHEN EXISTS (SELECT 1 FROM unit_deadlines ud WHERE ud.unit_id = us.unit_id AND ud.step_no = us.step_no)
                  THEN us.due_date ELSE ${DUE_DATE_EXPR} END AS due,
             ${MILESTONE_DUE_EXPR} AS mdue
        FROM unit_steps us
        JOIN units u ON u.id = us.unit_id
        JOIN plan_steps ps ON ps.plan_id = us.plan_id AND ps.no = us.step_no
        ${DUE_DATE_JOINS}
       WHERE us.status NOT IN ${FINISHED_SQL} AND (${filter})
    )
    UPDATE unit_steps us SET due_date = t.due, milestone_due = t.mdue
      FROM target t
     WHERE us.unit_id = t.unit_id AND us.step_no = t.step_no
       AND (us.due_date IS DISTINCT FROM t.due OR us.milestone_due IS DISTINCT FROM t.mdue)`;
}

/**
 * The steps of `plan` ($1) for the units matching `filter` (a condition on u), with their due dates:
 * only the plan steps that apply to the unit's tier. Units are read in id order, so the rows arrive
 * in primary-key order (unit, then step): the index inserts and the per-row foreign-key checks on
 * units then stay on the same few pages.
 */
function insertUnitStepsSql(filter: string): string {
  return `
    INSERT INTO unit_steps (unit_id, step_no, plan_id, due_date, milestone_due)
    SELECT u.id, ps.no, ps.plan_id, ${DUE_DATE_EXPR}, ${MILESTONE_DUE_EXPR}
      FROM (SELECT u.id, u.tier, u.congress_date FROM units u WHERE ${filter} ORDER BY u.id) u
      JOIN plan_steps ps ON ps.plan_id = $1 AND ${APPLIES}
      ${DUE_DATE_JOINS}`;
}

/**
 * Activation: none of these rows can exist yet (the plan is a draft and no unit under the root walks
 * another plan, checked under lock), so a duplicate is an error and not skipped: no speculative
 * insertion, and no RETURNING (the command's row count is the number of steps).
 */
function activateUnitStepsSql(filter: string): string {
  return insertUnitStepsSql(filter);
}

/** Units created later: steps they already have are kept. */
function createUnitStepsSql(filter: string): string {
  return `${insertUnitStepsSql(filter)}
    ON CONFLICT (unit_id, step_no) DO NOTHING`;
}

/**
 * The one rule of "which steps a unit has" (plan_steps.applies_to), for the units matching `units`
 * (a condition on u; $1 its parameter) and the plan steps matching `steps` (a condition on ps):
 * - `blocked`: steps the unit has, whose plan step no longer applies to its tier, and that the unit
 *   already worked on (any status but not_started; a closed unit's `closed` steps are history and
 *   are left alone): the caller refuses the change (409);
 * - `remove`: such steps still `not_started` (never touched: no transition leads back there, so they
 *   have no history), with any own deadline a superior set for them;
 * - `add`: the applicable steps an active unit lacks, in the active plan it walks (the plan whose
 *   root is above it, unless it already walks another plan), with their due dates.
 */
function applicabilitySql(units: string, steps: string) {
  const candidates = `
    SELECT us.unit_id, us.step_no, us.status
      FROM units u
      JOIN unit_steps us ON us.unit_id = u.id
      JOIN plan_steps ps ON ps.plan_id = us.plan_id AND ps.no = us.step_no
     WHERE (${units}) AND (${steps}) AND u.status = 'active' AND NOT ${APPLIES}`;
  return {
    blocked: `SELECT c.unit_id AS "unitId", c.step_no AS "stepNo", c.status FROM (${candidates}) c
               WHERE c.status NOT IN ('not_started', 'closed') ORDER BY 1, 2 LIMIT 100`,
    remove: `
      WITH gone AS (
        DELETE FROM unit_steps us USING (${candidates}) c
         WHERE us.unit_id = c.unit_id AND us.step_no = c.step_no AND us.status = 'not_started'
        RETURNING us.unit_id, us.step_no
      ), own AS (
        DELETE FROM unit_deadlines ud USING gone WHERE ud.unit_id = gone.unit_id AND ud.step_no = gone.step_no RETURNING 1
      )
      SELECT count(*)::int AS n FROM gone`,
    add: `
      WITH added AS (
        INSERT INTO unit_steps (unit_id, step_no, plan_id, due_date, milestone_due)
        SELECT u.id, ps.no, ps.plan_id, coalesce(ud.due_date, ${DUE_DATE_EXPR}), ${MILESTONE_DUE_EXPR}
          FROM (SELECT u.id, u.tier, u.congress_date, u.path FROM units u WHERE (${units}) AND u.status = 'active' ORDER BY u.id) u
          JOIN plans p ON p.status = 'active'
          JOIN units r ON r.id = p.root_unit_id AND u.path LIKE r.path || '%'
          JOIN plan_steps ps ON ps.plan_id = p.id AND ${APPLIES} AND (${steps})
          ${DUE_DATE_JOINS}
          LEFT JOIN unit_deadlines ud ON ud.unit_id = u.id AND ud.step_no = ps.no
         WHERE NOT EXISTS (SELECT 1 FROM unit_steps o WHERE o.unit_id = u.id AND o.plan_id <> p.id)
        ORDER BY u.id, ps.no
        ON CONFLICT (unit_id, step_no) DO NOTHING
        RETURNING 1
      )
      SELECT count(*)::int AS n FROM added`,
  };
}
const APPLICABILITY = {
  forUnits: applicabilitySql('u.id = ANY($1::int[])', 'true'),
  // $1 the plan, $2 the step: every unit under the plan's root.
  forPlanStep: applicabilitySql(
    `u.path LIKE (SELECT r.path || '%' FROM plans p JOIN units r ON r.id = p.root_unit_id WHERE p.id = $1)`,
    'ps.plan_id = $1 AND ps.no = $2',
  ),
};

/** A unit's step that its plan step no longer applies to, but that the unit already worked on. */
export interface BlockedStep {
  unitId: number;
  stepNo: number;
  status: string;
}

// Every rule depends on the calendar: working days are counted on it, and absolute or calendar-day
// dates move off its days off. So a calendar change recomputes every open step that has a rule (or
// whose milestone has one).
const CALENDAR_RULES = `${STEP_RULE} IS NOT NULL OR ${MILESTONE_RULE} IS NOT NULL`;

/** The due-date statements by name (the benchmark runs `recomputeAll` as its raw reference). */
export const DUE_DATES_SQL = {
  recomputeAll: recomputeDueDatesSql('true'),
  recomputeForUnit: recomputeDueDatesSql('us.unit_id = $1'),
  recomputeForUnits: recomputeDueDatesSql('us.unit_id = ANY($1::int[])'),
  recomputeForUnitStep: recomputeDueDatesSql('us.unit_id = $1 AND us.step_no = $2'),
  recomputeForStep: recomputeDueDatesSql('us.plan_id = $1 AND us.step_no = $2'),
  recomputeCalendarRules: recomputeDueDatesSql(CALENDAR_RULES),
  activateUnder: activateUnitStepsSql('u.path LIKE $2'),
  createForNewUnits: createUnitStepsSql('u.id = ANY($2::int[]) AND u.path LIKE $3'),
};

/** The open steps of one plan step and how their due dates would move. */
export interface DueDatePreview {
  openSteps: number;
  moved: number;
  earlier: number;
  later: number;
  examples: { unitId: number; code: string; name: string; from: string | null; to: string | null }[];
}

/** The open steps of plan $1, step $2, with their stored due date and the one the rules give now. */
const PREVIEW_TARGET = `
  WITH target AS (
    SELECT us.unit_id, us.due_date AS old, ${DUE_DATE_EXPR} AS due
      FROM unit_steps us
      JOIN units u ON u.id = us.unit_id
      JOIN plan_steps ps ON ps.plan_id = us.plan_id AND ps.no = us.step_no
      ${DUE_DATE_JOINS}
     WHERE us.status NOT IN ${FINISHED_SQL} AND us.plan_id = $1 AND us.step_no = $2
  )`;

interface PlanRow {
  id: number;
  code: string;
  name: string;
  status: 'draft' | 'active';
  rootUnitId: number | null;
  congressWindows: Partial<Record<Tier, CongressWindow>>;
}

/**
 * The SQL of plans, their steps, and the per-unit step rows they create. Every write to unit_steps
 * fires the statement-level triggers that keep the progress counters (see @app/core
 * progress-counters.ts); a trigger on plan_steps keeps the steps of an active plan.
 */
@Injectable()
export class PlansRepository {
  constructor(private readonly sql: Sql) {}

  async insert(plan: { code: string; name: string; windows: object; steps: StepTemplate[] }, tx: Tx): Promise<number | null> {
    const rows: { id: number }[] = await tx.query(
      `INSERT INTO plans (code, name, congress_windows) VALUES ($1, $2, $3) ON CONFLICT (code) DO NOTHING RETURNING id`,
      [plan.code, plan.name, JSON.stringify(plan.windows)],
    );
    if (rows.length === 0) return null;
    const id = rows[0].id;
    await tx.query(
      `INSERT INTO plan_steps (plan_id, no, code, title_vi, title_en, requires_approval, depends_on, deadlines, approval_working_days,
                               applies_to, milestone)
       SELECT $1, s.no, s.code, s."titleVi", s."titleEn", s."requiresApproval",
              ARRAY(SELECT jsonb_array_elements_text(s."dependsOn"))::smallint[], s.deadlines, s."approvalWorkingDays",
              ARRAY(SELECT jsonb_array_elements_text(s."appliesTo")), nullif(s.milestone, 'null'::jsonb)
         FROM jsonb_to_recordset($2::jsonb) AS s(no int, code text, "titleVi" text, "titleEn" text,
              "requiresApproval" boolean, "dependsOn" jsonb, deadlines jsonb, "approvalWorkingDays" smallint,
              "appliesTo" jsonb, milestone jsonb)`,
      [id, JSON.stringify(plan.steps)],
    );
    return id;
  }

  async find(id: number, manager: Tx = this.sql): Promise<PlanDto | null> {
    const [plan]: PlanRow[] = await manager.query(
      `SELECT id, code, name, status, root_unit_id AS "rootUnitId", congress_windows AS "congressWindows" FROM plans WHERE id = $1`,
      [id],
    );
    if (!plan) return null;
    return { ...plan, steps: await this.steps(id, manager) };
  }

  async list(): Promise<PlanDto[]> {
    const plans: PlanRow[] = await this.sql.query(
      `SELECT id, code, name, status, root_unit_id AS "rootUnitId", congress_windows AS "congressWindows" FROM plans ORDER BY id`,
    );
    return Promise.all(plans.map(async (p) => ({ ...p, steps: await this.steps(p.id) })));
  }

  private steps(planId: number, manager: Tx = this.sql): Promise<PlanStepDto[]> {
    return manager.query(
      `SELECT no, code, title_vi AS title, title_en AS "titleEn", requires_approval AS "requiresApproval",
              depends_on::int[] AS "dependsOn", deadlines, approval_working_days AS "approvalWorkingDays",
              applies_to AS "appliesTo", milestone
         FROM plan_steps WHERE plan_id = $1 ORDER BY no`,
      [planId],
    );
  }

  async mergeDeadlines(planId: number, no: number, deadlines: Deadlines, tx: Tx): Promise<boolean> {
    // A CTE: TypeORM answers a bare UPDATE with [rows, rowCount], whose length is always 2.
    const rows: unknown[] = await tx.query(
      `WITH changed AS (UPDATE plan_steps SET deadlines = deadlines || $3::jsonb WHERE plan_id = $1 AND no = $2 RETURNING 1)
       SELECT 1 FROM changed`,
      [planId, no, JSON.stringify(deadlines)],
    );
    return rows.length > 0;
  }

  /** The tiers a plan step applies to; false when there is no such step. */
  async setAppliesTo(planId: number, no: number, tiers: Tier[], tx: Tx): Promise<boolean> {
    const rows: unknown[] = await tx.query(
      `WITH changed AS (UPDATE plan_steps SET applies_to = $3::text[] WHERE plan_id = $1 AND no = $2 RETURNING 1)
       SELECT 1 FROM changed`,
      [planId, no, tiers],
    );
    return rows.length > 0;
  }

  /**
   * THE place where a unit's steps follow `appliesTo` (plan_steps.applies_to): for the given units
   * (after a tier change, a move into or out of a planned subtree, a merge), or for every unit under
   * the plan's root and one plan step (after its appliesTo changed). Steps the unit's tier no longer
   * gets are removed while `not_started`; steps it now gets are created with their due dates. When a
   * step to remove was already worked on, nothing is changed and those steps are returned (`blocked`):
   * the caller refuses (409). The progress counters follow by their triggers on unit_steps.
   */
  async applyStepApplicability(
    target: { unitIds: number[] } | { planId: number; stepNo: number },
    tx: Tx,
  ): Promise<{ added: number; removed: number; blocked: BlockedStep[] }> {
    const [sql, params] =
      'unitIds' in target ? [APPLICABILITY.forUnits, [target.unitIds]] : [APPLICABILITY.forPlanStep, [target.planId, target.stepNo]];
    if ('unitIds' in target && target.unitIds.length === 0) return { added: 0, removed: 0, blocked: [] };
    const blocked: BlockedStep[] = await tx.query(sql.blocked, params);
    if (blocked.length > 0) return { added: 0, removed: 0, blocked };
    const [{ n: removed }]: { n: number }[] = await tx.query(sql.remove, params);
    const [{ n: added }]: { n: number }[] = await tx.query(sql.add, params);
    return { added, removed, blocked: [] };
  }

  /** The approver's clock of one plan step (null: no approval deadline); false when there is no such step. */
  async setApprovalWorkingDays(planId: number, no: number, days: number | null, tx: Tx): Promise<boolean> {
    const rows: unknown[] = await tx.query(
      `WITH changed AS (UPDATE plan_steps SET approval_working_days = $3 WHERE plan_id = $1 AND no = $2 RETURNING 1)
       SELECT 1 FROM changed`,
      [planId, no, days],
    );
    return rows.length > 0;
  }

  async update(planId: number, patch: { name?: string; windows?: object }, tx: Tx): Promise<void> {
    await tx.query(
      `UPDATE plans SET name = coalesce($2, name), congress_windows = congress_windows || coalesce($3::jsonb, '{}') WHERE id = $1`,
      [planId, patch.name ?? null, patch.windows ? JSON.stringify(patch.windows) : null],
    );
  }

  /** Units under the root that already walk another plan. */
  async unitsInOtherPlans(planId: number, rootPath: string, tx: Tx): Promise<number> {
    const [{ n }]: { n: number }[] = await tx.query(
      `SELECT count(DISTINCT us.unit_id)::int AS n FROM unit_steps us JOIN units u ON u.id = us.unit_id
        WHERE u.path LIKE $2 AND us.plan_id <> $1`,
      [planId, `${rootPath}%`],
    );
    return n;
  }

  async markActive(planId: number, rootUnitId: number, tx: Tx): Promise<void> {
    await tx.query(`UPDATE plans SET status = 'active', root_unit_id = $2, activated_at = now() WHERE id = $1`, [planId, rootUnitId]);
  }

  /**
   * One INSERT … SELECT for the whole subtree: 15 rows per unit with their due dates. Its units are
   * checked once for the statement (migrations OrdinaryRolePerformance, ActivationChecks), and its progress counters
   * are added in one set-based pass right after instead of by the insert trigger (`ct.step_counts`
   * deferred for this statement only, in this transaction only). No superuser needed.
   */
  async createStepsUnder(planId: number, rootPath: string, tx: Tx): Promise<{ units: number; steps: number }> {
    // No unit may be deleted or change id until this transaction commits: the check that every new
    // step's unit exists (trigger unit_steps_units_exist) then needs no row lock on each of the
    // units (300,000 row locks: 3.4 s at a national activation), only an existence check. Unit
    // writes wait until the activation commits, acceptable for a once-a-term operation (and the
    // caller already holds the tree lock, UnitsRepository.lockTree, which is stronger).
    await tx.query(`LOCK TABLE units IN SHARE MODE`);
    await tx.query(`SELECT set_config('ct.step_counts', 'deferred', true)`);
    const steps = await executeCounted(tx, DUE_DATES_SQL.activateUnder, [planId, `${rootPath}%`]);
    await tx.query(`SELECT set_config('ct.step_counts', 'immediate', true)`);
    await tx.query(`SELECT step_counts_add_subtree($1)`, [`${rootPath}%`]);
    // Millions of new rows: fresh planner statistics (a bounded sample) for the reports and lists
    // that read them next, rather than plans made for the table before the activation.
    await tx.query(`ANALYZE unit_steps`);
    // Every unit under the root got every step (a duplicate would have failed the INSERT).
    const [{ units }]: { units: number }[] = await tx.query(`SELECT count(*)::int AS units FROM units WHERE path LIKE $1`, [
      `${rootPath}%`,
    ]);
    return { units, steps };
  }

  /** Gives units created later the steps of every active plan whose root is above them. */
  async createStepsForNewUnits(unitIds: number[], tx: Tx): Promise<void> {
    const plans: { id: number; path: string }[] = await tx.query(
      `SELECT DISTINCT p.id, r.path FROM plans p JOIN units r ON r.id = p.root_unit_id
         JOIN units u ON u.path LIKE r.path || '%' AND u.id = ANY($1::int[])
        WHERE p.status = 'active'`,
      [unitIds],
    );
    for (const plan of plans) {
      await tx.query(DUE_DATES_SQL.createForNewUnits, [plan.id, unitIds, `${plan.path}%`]);
    }
  }

  /**
   * The plan steps of units that moved follow the tree (the one place where a unit's set of plan
   * steps is made to match the active plans covering it; a plan covers the subtree of its root):
   * - a unit under an active plan's root gets the steps of that plan it lacks and that apply to its
   *   tier (appliesTo; the deepest root when two plans cover it), with the due dates of its tier, or its own deadline
   *   (unit_deadlines) where a superior set one: a unit moved in is not overdue from birth where a
   *   unit deadline applies;
   * - a unit no longer under the root of the plan of one of its steps loses that step if nobody
   *   worked on it (`not_started`, no history event). A step that was worked on stays, with its
   *   history, and is counted as before: the unit keeps the work it did (an open one is finished
   *   by the unit or closed by a merge), and a step number it already has is not given twice.
   * Closed units are left alone. Both writes are set-based; their statement triggers keep every
   * progress counter exact. Returns the number of steps added and removed.
   */
  async syncUnitPlanSteps(tx: Tx, unitIds: number[]): Promise<{ added: number; removed: number }> {
    if (unitIds.length === 0) return { added: 0, removed: 0 };
    const removed = await executeCounted(
      tx,
      `DELETE FROM unit_steps us
        USING units u
        WHERE u.id = us.unit_id AND us.unit_id = ANY($1::int[]) AND u.status = 'active' AND us.status = 'not_started'
          AND NOT EXISTS (SELECT 1 FROM plans p JOIN units r ON r.id = p.root_unit_id
                           WHERE p.id = us.plan_id AND p.status = 'active' AND u.path LIKE r.path || '%')
          AND NOT EXISTS (SELECT 1 FROM step_events e WHERE e.unit_id = us.unit_id AND e.step_no = us.step_no)`,
      [unitIds],
    );
    const added = await executeCounted(
      tx,
      `INSERT INTO unit_steps (unit_id, step_no, plan_id, due_date, milestone_due)
       SELECT u.id, ps.no, ps.plan_id, coalesce(ud.due_date, ${DUE_DATE_EXPR}), ${MILESTONE_DUE_EXPR}
         FROM (SELECT u.id, u.tier, u.congress_date, u.path FROM units u
                WHERE u.id = ANY($1::int[]) AND u.status = 'active' ORDER BY u.id) u
         JOIN LATERAL (SELECT p.id FROM plans p JOIN units r ON r.id = p.root_unit_id
                        WHERE p.status = 'active' AND u.path LIKE r.path || '%' ORDER BY r.depth DESC, p.id LIMIT 1) cover ON true
         JOIN plan_steps ps ON ps.plan_id = cover.id AND ${APPLIES}
         ${DUE_DATE_JOINS}
         LEFT JOIN unit_deadlines ud ON ud.unit_id = u.id AND ud.step_no = ps.no
        WHERE NOT EXISTS (SELECT 1 FROM unit_steps x WHERE x.unit_id = u.id AND x.step_no = ps.no)
        ORDER BY u.id, ps.no
       ON CONFLICT (unit_id, step_no) DO NOTHING`,
      [unitIds],
    );
    return { added, removed };
  }

  /** The units of the subtrees of the given units (each one included), by index ranges of the paths. */
  async subtreeIds(tx: Tx, rootIds: number[]): Promise<number[]> {
    if (rootIds.length === 0) return [];
    const rows: { id: number }[] = await tx.query(
      `SELECT DISTINCT x.id FROM units r
        CROSS JOIN LATERAL (SELECT u.id FROM units u WHERE u.path >= r.path AND u.path < r.path || ':' OFFSET 0) x
        WHERE r.id = ANY($1::int[]) ORDER BY x.id`,
      [rootIds],
    );
    return rows.map((r) => r.id);
  }

  /**
   * A merge into a unit it creates: an active plan rooted at one of the merged units follows the
   * committee that takes over (its root becomes the new unit), unless an active plan covers the new
   * unit already. When two merged units each root a plan, the older plan follows; the other keeps
   * its closed root and covers no active unit any more. Returns the plan that follows, if any.
   */
  async followMerge(tx: Tx, sourceIds: number[], targetId: number): Promise<number | null> {
    const rows: { id: number }[] = await tx.query(
      `WITH moved AS (
         UPDATE plans SET root_unit_id = $2
          WHERE id = (SELECT min(p.id) FROM plans p WHERE p.status = 'active' AND p.root_unit_id = ANY($1::int[]))
            AND NOT EXISTS (SELECT 1 FROM plans p JOIN units r ON r.id = p.root_unit_id JOIN units t ON t.id = $2
                             WHERE p.status = 'active' AND t.path LIKE r.path || '%')
          RETURNING id)
       SELECT id FROM moved`,
      [sourceIds, targetId],
    );
    return rows[0]?.id ?? null;
  }

  /** Due dates of a unit's open steps, after its congress date changed. */
  async recomputeForUnit(unitId: number, tx: Tx): Promise<void> {
    await tx.query(DUE_DATES_SQL.recomputeForUnit, [unitId]);
  }

  /** Due dates of the open steps of units that moved or changed tier (one statement). */
  async recomputeForUnits(unitIds: number[], tx: Tx): Promise<void> {
    await tx.query(DUE_DATES_SQL.recomputeForUnits, [unitIds]);
  }

  /**
   * Of the given units, those whose congress date lies outside their tier's window in the plan they
   * walk (read inside `tx`, after a move or tier change).
   */
  congressDatesOutsideWindow(
    unitIds: number[],
    tx: Tx,
  ): Promise<{ unitId: number; tier: Tier; date: string; from: string | null; to: string }[]> {
    return tx.query(
      `SELECT u.id AS "unitId", u.tier, to_char(u.congress_date, 'YYYY-MM-DD') AS date, w.win ->> 'from' AS "from", w.win ->> 'to' AS "to"
         FROM units u
         JOIN LATERAL (SELECT p.congress_windows -> u.tier AS win FROM unit_steps us JOIN plans p ON p.id = us.plan_id
                        WHERE us.unit_id = u.id LIMIT 1) w ON w.win IS NOT NULL
        WHERE u.id = ANY($1::int[]) AND u.congress_date IS NOT NULL
          -- congressWindowProblem in SQL: after the end, or before a start the plan sets.
          AND (u.congress_date > (w.win ->> 'to')::date OR u.congress_date < coalesce((w.win ->> 'from')::date, '-infinity'))
        ORDER BY u.id`,
      [unitIds],
    );
  }

  /**
   * A unit's own deadline for one step (a superior's decision): stored apart, so that recomputations
   * from the plan's rules leave it alone, and applied to the step. False when the unit has no such step.
   */
  async setUnitDeadline(unitId: number, no: number, dueDate: string, reason: string, actorId: number, tx: Tx): Promise<boolean> {
    const rows: unknown[] = await tx.query(
      `WITH stored AS (
         INSERT INTO unit_deadlines (unit_id, step_no, due_date, reason, set_by)
         SELECT us.unit_id, us.step_no, $3::date, $4, $5 FROM unit_steps us WHERE us.unit_id = $1 AND us.step_no = $2
         ON CONFLICT (unit_id, step_no) DO UPDATE SET due_date = EXCLUDED.due_date, reason = EXCLUDED.reason,
                                                      set_by = EXCLUDED.set_by, set_at = now()
         RETURNING unit_id, step_no
       ), applied AS (
         UPDATE unit_steps us SET due_date = $3::date FROM stored s
          WHERE us.unit_id = s.unit_id AND us.step_no = s.step_no AND us.due_date IS DISTINCT FROM $3::date
         RETURNING 1
       )
       SELECT 1 FROM stored`,
      [unitId, no, dueDate, reason, actorId],
    );
    return rows.length > 0;
  }

  /** Removes a unit's own deadline; the step's due date follows the plan's rule again. False when there was none. */
  async clearUnitDeadline(unitId: number, no: number, tx: Tx): Promise<boolean> {
    const rows: unknown[] = await tx.query(
      `WITH removed AS (DELETE FROM unit_deadlines WHERE unit_id = $1 AND step_no = $2 RETURNING 1) SELECT 1 FROM removed`,
      [unitId, no],
    );
    if (rows.length === 0) return false;
    await tx.query(DUE_DATES_SQL.recomputeForUnitStep, [unitId, no]);
    return true;
  }

  /** The step's due date and where it comes from. */
  async unitDeadline(
    unitId: number,
    no: number,
    tx: Tx = this.sql,
  ): Promise<{ dueDate: string | null; source: 'plan' | 'unit'; reason: string | null } | null> {
    const rows: { dueDate: string | null; source: 'plan' | 'unit'; reason: string | null }[] = await tx.query(
      `SELECT to_char(us.due_date, 'YYYY-MM-DD') AS "dueDate", CASE WHEN ud.unit_id IS NULL THEN 'plan' ELSE 'unit' END AS source,
              ud.reason
         FROM unit_steps us LEFT JOIN unit_deadlines ud ON ud.unit_id = us.unit_id AND ud.step_no = us.step_no
        WHERE us.unit_id = $1 AND us.step_no = $2`,
      [unitId, no],
    );
    return rows[0] ?? null;
  }

  /** Due dates of one plan step's open steps in every unit, after its rules changed. */
  /**
   * What recomputeForStep would change, without changing it: the open steps of the plan's step
   * `no`, how many of their due dates move (earlier, later) and a few of them, by unit code.
   */
  async previewRecomputeForStep(planId: number, no: number, tx: Tx, examples = 10): Promise<DueDatePreview> {
    const [summary]: Omit<DueDatePreview, 'examples'>[] = await tx.query(
      `${PREVIEW_TARGET}
       SELECT count(*)::int AS "openSteps",
              count(*) FILTER (WHERE t.old IS DISTINCT FROM t.due)::int AS moved,
              count(*) FILTER (WHERE t.due < t.old)::int AS earlier,
              count(*) FILTER (WHERE t.due > t.old)::int AS later
         FROM target t`,
      [planId, no],
    );
    const rows: DueDatePreview['examples'] = await tx.query(
      `${PREVIEW_TARGET}
       SELECT t.unit_id AS "unitId", u.code, u.name, to_char(t.old, 'YYYY-MM-DD') AS "from", to_char(t.due, 'YYYY-MM-DD') AS "to"
         FROM target t JOIN units u ON u.id = t.unit_id
        WHERE t.old IS DISTINCT FROM t.due
        ORDER BY u.path LIMIT $3`,
      [planId, no, examples],
    );
    return { ...summary, examples: rows };
  }

  async recomputeForStep(planId: number, no: number, tx: Tx): Promise<void> {
    await tx.query(DUE_DATES_SQL.recomputeForStep, [planId, no]);
  }

  /** Due dates of open steps that have a rule (all depend on the calendar), after the holiday calendar changed. */
  async recomputeCalendarRules(tx: Tx): Promise<void> {
    await tx.query(DUE_DATES_SQL.recomputeCalendarRules);
  }

  /** The plan's status, row-locked until the transaction ends (null: no such plan). */
  async statusForUpdate(planId: number, tx: Tx): Promise<'draft' | 'active' | null> {
    const [plan]: { status: 'draft' | 'active' }[] = await tx.query(`SELECT status FROM plans WHERE id = $1 FOR UPDATE`, [planId]);
    return plan?.status ?? null;
  }

  /** The congress window of the plan a unit walks, if any. */
  async windowFor(unitId: number, tier: Tier): Promise<CongressWindow | null> {
    const rows: { window: CongressWindow | null }[] = await this.sql.query(
      `SELECT p.congress_windows -> $2 AS window FROM unit_steps us JOIN plans p ON p.id = us.plan_id
        WHERE us.unit_id = $1 LIMIT 1`,
      [unitId, tier],
    );
    return rows[0]?.window ?? null;
  }
}
