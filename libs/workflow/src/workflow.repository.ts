import { Injectable } from '@nestjs/common';
import { FINISHED_SQL, prepared, PreparedSql, Sql, type StepEventPayload, type StepTopic } from '@app/core';
import type { HistoryEntryDto } from './dto/workflow.dto';
import type { Action, StepStatus } from './transition-table';

export interface StepRow {
  no: number;
  code: string;
  title: string;
  status: StepStatus;
  dueDate: string | null;
  /** While awaiting approval: the approver's deadline (null: the step has no approver's clock). */
  approvalDue: string | null;
  requiresApproval: boolean;
  dependsOn: number[];
  version: number;
  updatedAt: Date;
  updatedBy: { id: number; name: string } | null;
  planId: number;
  /** `unit`: the unit's own deadline (unit_deadlines); `plan`: the plan's rule. */
  dueDateSource: 'plan' | 'unit';
  dueDateReason: string | null;
  /** The step's milestone for the unit's tier (null: none), its due date and when it was marked done. */
  milestoneTitle: string | null;
  milestoneDue: string | null;
  milestoneDoneAt: Date | null;
}

/** The view's step: also the note and document reference of its last transition. */
export interface ViewStepRow extends StepRow {
  lastNote: string | null;
  lastDocumentRef: string | null;
}

const STEP_COLUMNS = `us.step_no AS no, ps.code, ps.title_vi AS title, us.status, to_char(us.due_date, 'YYYY-MM-DD') AS "dueDate",
  to_char(us.approval_due, 'YYYY-MM-DD') AS "approvalDue",
  ps.requires_approval AS "requiresApproval", ps.depends_on::int[] AS "dependsOn", us.version,
  us.updated_at AS "updatedAt", us.plan_id AS "planId",
  CASE WHEN ud.unit_id IS NULL THEN 'plan' ELSE 'unit' END AS "dueDateSource", ud.reason AS "dueDateReason",
  CASE WHEN ps.milestone -> 'deadlines' ? (SELECT mu.tier FROM units mu WHERE mu.id = us.unit_id) THEN ps.milestone ->> 'titleVi' END
    AS "milestoneTitle", to_char(us.milestone_due, 'YYYY-MM-DD') AS "milestoneDue", us.milestone_done_at AS "milestoneDoneAt",
  CASE WHEN ub.id IS NULL THEN NULL ELSE json_build_object('id', ub.id, 'name', ub.name) END AS "updatedBy"`;
const STEP_FROM = `unit_steps us JOIN plan_steps ps ON ps.plan_id = us.plan_id AND ps.no = us.step_no
  LEFT JOIN users ub ON ub.id = us.updated_by
  LEFT JOIN unit_deadlines ud ON ud.unit_id = us.unit_id AND ud.step_no = us.step_no`;

/**
 * The SQL of step rows, their history and the outbox. Hand-written: this is the hot path of every
 * transition. What the database does on the way, by trigger: step_events rejects UPDATE, DELETE and
 * TRUNCATE (append-only history); every change to unit_steps updates the progress counters of its
 * bucket in the same transaction (see @app/core progress-counters.ts).
 */
/** What a transition's rules need besides the step: unfinished prerequisites, the congress contents, the unit's place and state. */
interface StepFacts {
  pending: number[];
  contents: (string | null)[] | null;
  atRoot: boolean;
  unitStatus: string;
  closedOn: string | null;
}

/** The step with what its transition rules need ($1 unit, $2 step): see stepWithFacts. */
const STEP_WITH_FACTS = prepared(
  'workflow_step_with_facts',
  `SELECT ${STEP_COLUMNS}, u.status AS "unitStatus", to_char(u.closed_on, 'YYYY-MM-DD') AS "closedOn",
           ARRAY(SELECT p.step_no::int FROM unit_steps p
                  WHERE p.unit_id = us.unit_id AND p.step_no = ANY(ps.depends_on) AND p.status NOT IN ${FINISHED_SQL}
                  ORDER BY 1) AS pending,
           (SELECT ARRAY[c.content1, c.content2, c.content3, c.content4] FROM congress_records c WHERE c.unit_id = us.unit_id) AS contents,
           u.parent_id IS NULL AS "atRoot"
      FROM ${STEP_FROM} JOIN units u ON u.id = us.unit_id
     WHERE us.unit_id = $1 AND us.step_no = $2`,
);

const CONGRESS_CONTENTS_RECORDED = `
            AND EXISTS (SELECT 1 FROM congress_records c WHERE c.unit_id = $1 AND c.content1 IS NOT NULL
                          AND c.content2 IS NOT NULL AND c.content3 IS NOT NULL AND c.content4 IS NOT NULL)`;

/**
 * The transition's one statement (see apply), prepared in eight forms so that PostgreSQL keeps one
 * plan for each: with or without the prerequisites' condition, the congress contents' (the congress
 * step's completion) and the approver's clock (a submission). One form with these parts behind parameters was
 * re-planned on every call (0.5 ms at 300,000 units): its generic plan priced in parts a call does not use.
 */
function applyTransitionSql(form: ApplyForm): string {
  return `WITH prerequisite AS (
         SELECT status FROM unit_steps WHERE ${form.prerequisites ? 'unit_id = $1 AND step_no = ANY($11::int[])' : 'false AND $11::int[] IS NULL'} FOR SHARE
       ), open_unit AS (
         -- Share-locked: a merge or dissolution of the unit waits for the transition, or the transition sees it closed.
         SELECT 1 FROM units WHERE id = $1 AND status = 'active' FOR SHARE
       ), approval AS (
         -- The approver's clock: N working days from the submission (plan_steps.approval_working_days of plan $14).
         SELECT c1.day FROM plan_steps ps
           JOIN calendar_days c0 ON c0.day = $13::date
           JOIN calendar_days c1 ON c1.is_working AND c1.work_index = c0.work_index + ps.approval_working_days
          WHERE ${form.approval ? 'true' : 'false'} AND ps.plan_id = $14 AND ps.no = $2
       ), moved AS (
         UPDATE unit_steps SET status = $4, version = version + 1, updated_at = now(), updated_by = $6,
                approval_due = ${form.approval ? '(SELECT day FROM approval)' : 'NULL::date'}
          WHERE unit_id = $1 AND step_no = $2 AND version = $3
            AND NOT EXISTS (SELECT 1 FROM prerequisite WHERE status NOT IN ${FINISHED_SQL})
            AND EXISTS (SELECT 1 FROM open_unit)
            AND plan_id = $14${form.contents ? CONGRESS_CONTENTS_RECORDED : ''}
         RETURNING unit_id, step_no, version, updated_at, approval_due
       ), event AS (
         INSERT INTO step_events (unit_id, step_no, actor_id, action, from_status, to_status, note, document_ref)
         SELECT unit_id, step_no, $6, $7, $5, $4, $8, $9 FROM moved
         RETURNING id, at
       ), published AS (
         INSERT INTO outbox (topic, payload)
         SELECT $10, $12::jsonb || jsonb_build_object('eventId', event.id, 'at', event.at)
           FROM event WHERE $10::text IS NOT NULL
         RETURNING id
       )
       SELECT moved.version, moved.updated_at AS "updatedAt", event.id::text AS "eventId",
              to_char(moved.approval_due, 'YYYY-MM-DD') AS "approvalDue" FROM moved, event`;
}
/** Which parts of the transition's statement a call needs (see applyTransitionSql). */
interface ApplyForm {
  /** The step's prerequisites must be finished (share-locked meanwhile). */
  prerequisites: boolean;
  /** The congress step's completion: the four contents must be recorded. */
  contents: boolean;
  /** A submission: the approver's clock starts (approval_due); any other transition clears it. */
  approval: boolean;
}
const formKey = (f: ApplyForm) => `${Number(f.prerequisites)}${Number(f.contents)}${Number(f.approval)}`;
/** Every form, prepared under its own name. */
const APPLY_TRANSITION = new Map(
  [false, true].flatMap((prerequisites) =>
    [false, true].flatMap((contents) =>
      [false, true].map((approval) => {
        const form = { prerequisites, contents, approval };
        return [formKey(form), prepared(`workflow_apply_${formKey(form)}`, applyTransitionSql(form))] as const;
      }),
    ),
  ),
);

@Injectable()
export class WorkflowRepository {
  constructor(
    private readonly sql: Sql,
    private readonly prepared: PreparedSql,
  ) {}

  steps(unitId: number): Promise<ViewStepRow[]> {
    return this.sql.query(
      `SELECT ${STEP_COLUMNS}, last.note AS "lastNote", last.document_ref AS "lastDocumentRef"
         FROM ${STEP_FROM}
         LEFT JOIN LATERAL (SELECT e.note, e.document_ref FROM step_events e
                             WHERE e.unit_id = us.unit_id AND e.step_no = us.step_no ORDER BY e.id DESC LIMIT 1) last ON true
        WHERE us.unit_id = $1 ORDER BY us.step_no`,
      [unitId],
    );
  }

  /**
   * The step with what its transition rules need: unfinished prerequisites and the congress contents.
   * A prerequisite the unit does not have (its plan step does not apply to the unit's tier) has no
   * row here and so counts as met; apply() reads the prerequisites the same way.
   */
  async stepWithFacts(unitId: number, stepNo: number): Promise<(StepRow & StepFacts) | null> {
    const rows = await this.prepared.query<StepRow & StepFacts>(STEP_WITH_FACTS, [unitId, stepNo]);
    return rows[0] ?? null;
  }

  /**
   * The transition itself, one statement and so one transaction: the UPDATE conditional on the
   * version, on the prerequisites (share-locked, so none is reopened meanwhile) and, for the
   * congress step, on the recorded contents; the history event; the outbox row when the table
   * says so. No row means one of the conditions no longer holds: the caller re-reads to say which.
   */
  async apply(t: {
    unitId: number;
    stepNo: number;
    expectedVersion: number;
    from: StepStatus;
    to: StepStatus;
    action: Action;
    actorId: number;
    note: string | null;
    documentRef: string | null;
    /** The outbox row this transition publishes (Transition.emits), or none. */
    topic: StepTopic | null;
    prerequisites: number[];
    needsContents: boolean;
    /** The step's plan (its approval_working_days set the approver's clock). */
    planId: number;
    /** Today (Vietnam): a submission's approval deadline counts from it. */
    today: string;
  }): Promise<{ version: number; updatedAt: Date; eventId: string; approvalDue: string | null } | null> {
    // The outbox payload (StepEventPayload): built here, completed in SQL with the event row's id and time.
    const payload: Omit<StepEventPayload, 'eventId' | 'at'> = {
      unitId: t.unitId,
      stepNo: t.stepNo,
      action: t.action,
      fromStatus: t.from,
      toStatus: t.to,
      actorId: t.actorId,
      note: t.note,
    };
    const rows = await this.prepared.query<{ version: number; updatedAt: Date; eventId: string; approvalDue: string | null }>(
      APPLY_TRANSITION.get(
        formKey({ prerequisites: t.prerequisites.length > 0, contents: t.needsContents, approval: t.to === 'awaiting_approval' }),
      )!,
      [
        t.unitId,
        t.stepNo,
        t.expectedVersion,
        t.to,
        t.from,
        t.actorId,
        t.action,
        t.note,
        t.documentRef,
        t.topic,
        t.prerequisites,
        JSON.stringify(payload),
        t.today,
        t.planId,
      ],
    );
    return rows[0] ?? null;
  }

  /**
   * Marks the step's milestone done (or not done again). Null when the unit has no such step, the
   * step has no milestone for the unit's tier, or the unit is closed (merged, dissolved).
   */
  async setMilestoneDone(unitId: number, stepNo: number, done: boolean, actorId: number): Promise<{ doneAt: Date | null } | null> {
    const rows: { doneAt: Date | null }[] = await this.sql.query(
      `WITH changed AS (
         UPDATE unit_steps us
            SET milestone_done_at = CASE WHEN $3 THEN coalesce(us.milestone_done_at, now()) END,
                milestone_done_by = CASE WHEN $3 THEN coalesce(us.milestone_done_by, $4) END
           FROM units u, plan_steps ps
          WHERE us.unit_id = $1 AND us.step_no = $2 AND u.id = us.unit_id AND u.status = 'active'
            AND ps.plan_id = us.plan_id AND ps.no = us.step_no AND ps.milestone -> 'deadlines' ? u.tier
         RETURNING us.milestone_done_at AS "doneAt"
       )
       SELECT * FROM changed`,
      [unitId, stepNo, done, actorId],
    );
    return rows[0] ?? null;
  }

  history(unitId: number, stepNo: number): Promise<HistoryEntryDto[]> {
    return this.sql.query(
      `SELECT e.at, CASE WHEN u.id IS NULL THEN NULL ELSE json_build_object('id', u.id, 'name', u.name, 'email', u.email) END AS actor,
              e.action, e.from_status AS "fromStatus", e.to_status AS "toStatus", e.note, e.document_ref AS "documentRef"
         FROM step_events e LEFT JOIN users u ON u.id = e.actor_id
        WHERE e.unit_id = $1 AND e.step_no = $2 ORDER BY e.id`,
      [unitId, stepNo],
    );
  }
}
