import { Injectable } from '@nestjs/common';
import { OFF_UNIT_CLOCK_SQL, Sql, Transactions } from '@app/core';
import type { ApprovalItemDto, WorkCountsDto, WorkItemDto } from './dto/work.dto';

/*
 * The SQL of "Việc cần làm" and "Chờ phê duyệt".
 *
 * A step needs someone when it is open (not completed/skipped) and due by $3 (today + 7) — overdue
 * when due before $2 (today) — or returned, or awaiting approval where the caller may approve
 * ($4: supervisor+; never in the caller's own unit $5). The rows come from two partial indexes,
 * unit_steps_open_due_idx (dated open steps by due date) and unit_steps_waiting_idx (returned and
 * awaiting), or, for a small subtree, from the subtree's units (units_path_idx) and the primary key.
 */
/**
 * On the unit's clock: not finished and not submitted. A step awaiting approval is the approver's
 * (listed as awaiting_approval to those who may approve it), never the unit's overdue or due soon.
 */
const OPEN = `us.status NOT IN ${OFF_UNIT_CLOCK_SQL}`;

/** Awaiting a decision the caller may take: supervisor+ ($4), not in the caller's own unit ($5). */
const AWAITING_MINE = `us.status = 'awaiting_approval' AND $4::boolean AND us.unit_id <> $5`;

/** Most urgent first; `oldest_overdue` ascending is the longest overdue first. */
const pageOrder = (t: string) => `${t}.oldest_overdue ASC NULLS LAST, ${t}.returned DESC, ${t}.oldest_submission ASC NULLS LAST,
  ${t}.first_due ASC NULLS LAST, ${t}.unit_id`;

/** Why a step is listed; the order of the CASE is the precedence when several hold. */
const REASON = `CASE
    WHEN ${OPEN} AND us.due_date < $2::date THEN 'overdue'
    WHEN us.status = 'returned' THEN 'returned'
    WHEN ${AWAITING_MINE} THEN 'awaiting_approval'
    WHEN ${OPEN} AND us.due_date <= $3::date THEN 'due_soon'
  END`;

const CANDIDATE = `((${OPEN} AND us.due_date <= $3::date) OR us.status IN ('returned', 'awaiting_approval'))`;

/** The aggregates per unit of the steps that need someone (the same columns in both forms). */
const AGGREGATES = `
  min(us.due_date) FILTER (WHERE ${OPEN} AND us.due_date < $2::date) AS oldest_overdue,
  count(*) FILTER (WHERE us.status = 'returned') > 0 AS returned,
  min(us.updated_at) FILTER (WHERE ${AWAITING_MINE}) AS oldest_submission,
  min(us.due_date) FILTER (WHERE ${OPEN}) AS first_due,
  count(*) FILTER (WHERE ${OPEN} AND us.due_date < $2::date) AS n_overdue,
  count(*) FILTER (WHERE ${OPEN} AND us.due_date BETWEEN $2::date AND $3::date) AS n_due_soon,
  count(*) FILTER (WHERE us.status = 'returned') AS n_returned,
  count(*) FILTER (WHERE ${AWAITING_MINE}) AS n_awaiting`;

/**
 * A subtree below the root (a province and below: up to some thousands of units): its units from
 * units_path_idx, then each unit's 15 steps from the primary key, aggregated per unit (a nested loop).
 */
const PER_UNIT_NARROW = `
    SELECT u.id AS unit_id, a.*
      FROM units u CROSS JOIN LATERAL (SELECT ${AGGREGATES} FROM unit_steps us WHERE us.unit_id = u.id AND ${CANDIDATE}) a
     WHERE u.path LIKE $1`;

/**
 * The whole tree (its root: every unit is in scope, so no unit is read): only the steps that
 * qualify, from the two partial indexes (open and due by the date; waiting), aggregated per unit;
 * the other ~98 % of the steps are never read. ($1 is the root's pattern, unused here.)
 */
const PER_UNIT_WHOLE_TREE = `
    SELECT us.unit_id, ${AGGREGATES}
      FROM unit_steps us
     WHERE ${CANDIDATE} AND $1::text IS NOT NULL
     GROUP BY us.unit_id`;

/**
 * One statement: the steps that need someone in the subtree $1 (a path LIKE pattern), aggregated per
 * unit in one pass (with the step counts per category), the page $6/$7 of units ordered most urgent
 * first (longest overdue, then returned, then the oldest submission awaiting the caller, then the
 * earliest due date) with their steps, the number of units, and the counts over the whole subtree.
 * The page is a top-N sort of the per-unit rows, never a sort of them all.
 */
const workPageSql = (wholeTree: boolean) => `
  WITH per_unit AS (${wholeTree ? PER_UNIT_WHOLE_TREE : PER_UNIT_NARROW}
  ), needing AS (
    SELECT * FROM per_unit WHERE n_overdue + n_due_soon + n_returned + n_awaiting > 0
  ), page AS (
    SELECT * FROM needing
     ORDER BY ${pageOrder('needing')} LIMIT $6 OFFSET $7
  )
  SELECT (SELECT count(*)::int FROM needing) AS total,
         (SELECT json_build_object('overdue', coalesce(sum(n_overdue), 0), 'dueSoon', coalesce(sum(n_due_soon), 0),
                                   'returned', coalesce(sum(n_returned), 0), 'awaitingApproval', coalesce(sum(n_awaiting), 0))
            FROM needing) AS counts,
         coalesce((
           SELECT json_agg(json_build_object(
                    'unitId', u.id, 'code', u.code, 'name', u.name, 'tier', u.tier, 'parentId', u.parent_id, 'parentName', parent.name,
                    'urgency', CASE WHEN page.oldest_overdue IS NOT NULL THEN 'overdue' WHEN page.returned THEN 'returned'
                                    WHEN page.oldest_submission IS NOT NULL THEN 'approval' ELSE 'due_soon' END,
                    'steps', steps.list) ORDER BY ${pageOrder('page')})
             FROM page
             JOIN units u ON u.id = page.unit_id
             LEFT JOIN units parent ON parent.id = u.parent_id
             CROSS JOIN LATERAL (
               SELECT json_agg(json_build_object(
                        'no', s.step_no, 'code', s.code, 'title', s.title, 'status', s.status,
                        'dueDate', to_char(s.due_date, 'YYYY-MM-DD'),
                        'daysOverdue', CASE WHEN s.reason = 'overdue' THEN $2::date - s.due_date ELSE 0 END,
                        'daysLeft', s.due_date - $2::date, 'reason', s.reason, 'version', s.version)
                      ORDER BY s.rank, s.due_date NULLS LAST, s.step_no) AS list
                 FROM (SELECT us.step_no, ps.code, ps.title_vi AS title, us.status, us.due_date, us.version, ${REASON} AS reason,
                              CASE ${REASON} WHEN 'overdue' THEN 1 WHEN 'returned' THEN 2 WHEN 'awaiting_approval' THEN 3 ELSE 4 END AS rank
                         FROM unit_steps us JOIN plan_steps ps ON ps.plan_id = us.plan_id AND ps.no = us.step_no
                        WHERE us.unit_id = page.unit_id AND ${CANDIDATE}) s
                WHERE s.reason IS NOT NULL
             ) steps
         ), '[]'::json) AS items`;

/**
 * Steps awaiting approval in the subtree $1, in units other than the caller's own ($2): oldest
 * submission first (the step's updated_at is the submission: nothing else moves an awaiting step),
 * with the submitter, note and document reference of the last submit event.
 */
const approvalsPageSql = (which: string) => `
  WITH waiting AS (
    SELECT us.unit_id, us.step_no, us.plan_id, us.version, us.due_date, us.updated_at
      FROM unit_steps us JOIN units u ON u.id = us.unit_id
     WHERE us.status = 'awaiting_approval' AND ${which}
  ), page AS (
    SELECT * FROM waiting ORDER BY updated_at, unit_id, step_no LIMIT $3 OFFSET $4
  )
  SELECT (SELECT count(*)::int FROM waiting) AS total,
         coalesce((
           SELECT json_agg(json_build_object(
                    'unitId', u.id, 'code', u.code, 'name', u.name, 'tier', u.tier, 'parentName', parent.name,
                    'stepNo', page.step_no, 'stepCode', ps.code, 'stepTitle', ps.title_vi,
                    'submittedAt', to_char(page.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                    'submittedBy', CASE WHEN actor.id IS NULL THEN NULL
                                        ELSE json_build_object('id', actor.id, 'name', actor.name, 'email', actor.email) END,
                    'note', e.note, 'documentRef', e.document_ref, 'version', page.version,
                    'dueDate', to_char(page.due_date, 'YYYY-MM-DD'))
                  ORDER BY page.updated_at, page.unit_id, page.step_no)
             FROM page
             JOIN units u ON u.id = page.unit_id
             LEFT JOIN units parent ON parent.id = u.parent_id
             JOIN plan_steps ps ON ps.plan_id = page.plan_id AND ps.no = page.step_no
             LEFT JOIN LATERAL (
               SELECT ev.actor_id, ev.note, ev.document_ref FROM step_events ev
                WHERE ev.unit_id = page.unit_id AND ev.step_no = page.step_no AND ev.action = 'submit'
                ORDER BY ev.id DESC LIMIT 1
             ) e ON true
             LEFT JOIN users actor ON actor.id = e.actor_id
         ), '[]'::json) AS items`;

/**
 * Strictly below the caller's unit: what a superior in the tree decides. The root's own submissions
 * are never here (nobody in the tree is above the root): they are closed by an outside decision.
 */
const APPROVALS_PAGE = approvalsPageSql(`u.path LIKE $1 AND u.id <> $2`);
/** The root's own submissions ($2, the tree's root), awaiting the outside decision its admin records. ($1 unused.) */
const OUTSIDE_APPROVALS_PAGE = approvalsPageSql(`$1::text IS NOT NULL AND u.id = $2 AND u.parent_id IS NULL`);

const WORK_PAGE_SUBTREE = workPageSql(false);
const WORK_PAGE_WHOLE_TREE = workPageSql(true);
/** The "Việc cần làm" statements (the benchmark runs them as its raw reference). */
export const WORK_PAGE_SQL = { subtree: WORK_PAGE_SUBTREE, wholeTree: WORK_PAGE_WHOLE_TREE };

interface WorkPageRow {
  total: number;
  counts: WorkCountsDto;
  items: WorkItemDto[];
}

interface ApprovalPageRow {
  total: number;
  items: ApprovalItemDto[];
}

/** The SQL of "Việc cần làm" and "Chờ phê duyệt": one statement per page, rows shaped by PostgreSQL. */
@Injectable()
export class WorkRepository {
  constructor(
    private readonly sql: Sql,
    private readonly transactions: Transactions,
  ) {}

  /**
   * `wholeTree`: the root is the tree's root (aggregate the qualifying steps from their partial
   * indexes, no unit read) rather than a subtree below it (walk its units and their steps by key).
   * JIT is off for the statement: the planner's cost of the per-unit loops crosses jit_above_cost
   * and compiling took 1.2 s of a 1.3 s answer for a province, against 0.15 s without it.
   */
  async workPage(q: {
    wholeTree: boolean;
    scopePath: string;
    today: string;
    soon: string;
    mayApprove: boolean;
    callerUnitId: number;
    limit: number;
    offset: number;
  }): Promise<WorkPageRow> {
    const rows: WorkPageRow[] = await this.transactions.run(async (tx) => {
      await tx.query(`SET LOCAL jit = off`);
      if (q.wholeTree) await tx.query(`SET LOCAL work_mem = '64MB'`);
      return tx.query(q.wholeTree ? WORK_PAGE_WHOLE_TREE : WORK_PAGE_SUBTREE, [
        `${q.scopePath}%`,
        q.today,
        q.soon,
        q.mayApprove,
        q.callerUnitId,
        q.limit,
        q.offset,
      ]);
    });
    return rows[0];
  }

  async approvalsPage(q: { scopePath: string; callerUnitId: number; limit: number; offset: number }): Promise<ApprovalPageRow> {
    const rows: ApprovalPageRow[] = await this.sql.query(APPROVALS_PAGE, [`${q.scopePath}%`, q.callerUnitId, q.limit, q.offset]);
    return rows[0];
  }

  /** The root's own submissions awaiting an outside decision (`rootId`: the tree's root), oldest first. */
  async outsideApprovalsPage(q: { rootId: number; limit: number; offset: number }): Promise<ApprovalPageRow> {
    const rows: ApprovalPageRow[] = await this.sql.query(OUTSIDE_APPROVALS_PAGE, ['', q.rootId, q.limit, q.offset]);
    return rows[0];
  }
}
