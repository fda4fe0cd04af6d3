import { Injectable } from '@nestjs/common';
import { COUNTER_BUCKET_DEPTH, type CongressType, FINISHED_SQL, OFF_UNIT_CLOCK_SQL, Sql } from '@app/core';
import type {
  ApprovalOverdueItemDto,
  ContentsSort,
  MilestoneOverdueItemDto,
  OverdueItemDto,
  OverdueSort,
  SortOrder,
} from './dto/reports.dto';

/**
 * The SQL of the reports. Progress roll-ups of roots above depth 2 read the counters kept by the
 * unit_steps triggers (migration ProgressCounters: step_counts, unit_counts, one bucket per depth-2
 * subtree); deeper roots (a district and below: at most a few thousand steps) are counted directly.
 * By child: $1 subtree pattern "<root path>%", $2 root id, $3 root depth, $4 today (direct counts).
 * By tier: $1 subtree pattern, $2 today (direct counts).
 * The counters count active units only (a merged or dissolved unit leaves them when it closes); the
 * direct counts take a last parameter `includeClosed` (false: active units only), and a report asked
 * with includeClosed=true is counted directly.
 */
/** Active units, or every unit when the parameter is true. */
const ACTIVE_OR = (param: string) => `(u.status = 'active' OR ${param}::boolean IS TRUE)`;

/** Pilot units only (true), the main wave only (false), or every unit (null): the reports' `pilot` filter. */
const PILOT = (param: string) => `(${param}::boolean IS NULL OR u.pilot = ${param}::boolean)`;

/** Each unit's steps in all and finished, for units walking a plan (read through the unit_steps primary key). */
const PER_UNIT = `JOIN LATERAL (SELECT count(*) AS total, count(*) FILTER (WHERE status IN ${FINISHED_SQL}) AS fin
                                FROM unit_steps WHERE unit_id = u.id) s ON s.total > 0`;

/** The child of the root that a path lies under (its ancestor at depth root+1). */
const CHILD = (path: string) => `split_part(${path}, '/', $3 + 2)::int`;

export const PROGRESS_SQL = {
  rollOverdue: `SELECT step_counts_roll_overdue($1::date)`,

  /** The tree's root by child: the per-anchor (depth 1) sums, a few thousand rows for the whole country. $1 root id. */
  countersTopByChild: `
    SELECT t.anchor_id AS key, t.step_no AS no, t.status, t.n, t.overdue FROM step_counts_top t WHERE t.anchor_id <> $1`,

  countersByChild: `
    SELECT ${CHILD('b.path')} AS key, sc.step_no AS no, sc.status, sum(sc.n)::int AS n, sum(sc.overdue)::int AS overdue
      FROM step_counts sc JOIN units b ON b.id = sc.bucket_id
     WHERE b.path LIKE $1 AND b.id <> $2
     GROUP BY 1, 2, 3`,
  unitCountersByChild: `
    SELECT ${CHILD('b.path')} AS key, sum(uc.units)::int AS units, sum(uc.units_done)::int AS done
      FROM unit_counts uc JOIN units b ON b.id = uc.bucket_id
     WHERE b.path LIKE $1 AND b.id <> $2
     GROUP BY 1`,
  countersByTier: `
    SELECT sc.tier AS key, sc.step_no AS no, sc.status, sum(sc.n)::int AS n, sum(sc.overdue)::int AS overdue
      FROM step_counts sc JOIN units b ON b.id = sc.bucket_id
     WHERE b.path LIKE $1
     GROUP BY 1, 2, 3
    HAVING sum(sc.n) <> 0 OR sum(sc.overdue) <> 0`,
  // Counter rows emptied by moves and merges stay (at zero): a tier with no unit left is not listed.
  unitCountersByTier: `
    SELECT uc.tier AS key, sum(uc.units)::int AS units, sum(uc.units_done)::int AS done
      FROM unit_counts uc JOIN units b ON b.id = uc.bucket_id
     WHERE b.path LIKE $1
     GROUP BY 1
    HAVING sum(uc.units) <> 0`,

  /** Direct counts for deep roots (and the reference the tests recount against). */
  directByChild: `
    SELECT ${CHILD('u.path')} AS key, us.step_no AS no, us.status, count(*)::int AS n,
           (count(*) FILTER (WHERE us.status NOT IN ${OFF_UNIT_CLOCK_SQL} AND us.due_date < $4::date))::int AS overdue
      FROM unit_steps us JOIN units u ON u.id = us.unit_id
     WHERE u.path LIKE $1 AND u.id <> $2 AND ${ACTIVE_OR('$5')} AND ${PILOT('$6')}
     GROUP BY 1, 2, 3`,
  directUnitsByChild: `
    SELECT ${CHILD('u.path')} AS key, count(*)::int AS units, (count(*) FILTER (WHERE s.fin = s.total))::int AS done
      FROM units u ${PER_UNIT}
     WHERE u.path LIKE $1 AND u.id <> $2 AND ${ACTIVE_OR('$4')} AND ${PILOT('$5')}
     GROUP BY 1`,
  directByTier: `
    SELECT u.tier AS key, us.step_no AS no, us.status, count(*)::int AS n,
           (count(*) FILTER (WHERE us.status NOT IN ${OFF_UNIT_CLOCK_SQL} AND us.due_date < $2::date))::int AS overdue
      FROM unit_steps us JOIN units u ON u.id = us.unit_id
     WHERE u.path LIKE $1 AND ${ACTIVE_OR('$3')} AND ${PILOT('$4')}
     GROUP BY 1, 2, 3`,
  directUnitsByTier: `
    SELECT u.tier AS key, count(*)::int AS units, (count(*) FILTER (WHERE s.fin = s.total))::int AS done
      FROM units u ${PER_UNIT}
     WHERE u.path LIKE $1 AND ${ACTIVE_OR('$2')} AND ${PILOT('$3')}
     GROUP BY 1`,

  children: `SELECT id, code, name FROM units u WHERE parent_id = $1 AND ${ACTIVE_OR('$2')} ORDER BY code`,
};

const CONTENT_FILTERS = `
  u.path LIKE $1 /*status*/
  AND ($2::text IS NULL OR u.tier = $2)
  AND ($5::boolean IS NULL OR u.pilot = $5)
  AND ($3::date IS NULL OR cr.held_on >= $3)
  AND ($4::date IS NULL OR cr.held_on <= $4)`;

export const CONTENTS_SQL = {
  summary: `
    SELECT (SELECT count(*)::int FROM units u WHERE u.path LIKE $1 /*status*/ AND ($2::text IS NULL OR u.tier = $2)
                                             AND ($5::boolean IS NULL OR u.pilot = $5)) AS units,
           count(cr.unit_id)::int AS "congressesHeld",
           (count(*) FILTER (WHERE cr.completed_all))::int AS "completedAll",
           coalesce(sum(cr.committee_size), 0)::int AS "committeeSeats",
           coalesce(sum(cr.women), 0)::int AS women,
           coalesce(sum(cr.young), 0)::int AS young,
           coalesce(sum(cr.ethnic_minority), 0)::int AS "ethnicMinority",
           coalesce(sum(cr.newly_elected), 0)::int AS "newlyElected",
           min(cr.min_vote_pct)::float AS "lowestVotePct",
           coalesce(sum(cr.delegates_allocated), 0)::int AS "delegatesAllocated",
           coalesce(sum(cr.delegates_elected), 0)::int AS "delegatesElected"
      FROM congress_records cr JOIN units u ON u.id = cr.unit_id
     WHERE ${CONTENT_FILTERS}`,
  // Per congress format: the units of the subtree, the congresses held and how many completed all their contents.
  byType: `
    SELECT u.congress_type AS type, count(*)::int AS units,
           (count(cr.unit_id) FILTER (WHERE ($3::date IS NULL OR cr.held_on >= $3) AND ($4::date IS NULL OR cr.held_on <= $4)))::int
             AS "congressesHeld",
           (count(cr.unit_id) FILTER (WHERE cr.completed_all AND ($3::date IS NULL OR cr.held_on >= $3)
                                        AND ($4::date IS NULL OR cr.held_on <= $4)))::int AS "completedAll"
      FROM units u LEFT JOIN congress_records cr ON cr.unit_id = u.id
     WHERE u.path LIKE $1 /*status*/ AND ($2::text IS NULL OR u.tier = $2) AND ($5::boolean IS NULL OR u.pilot = $5)
     GROUP BY 1`,
  count: `
    SELECT count(*)::int AS total FROM congress_records cr JOIN units u ON u.id = cr.unit_id
     WHERE ${CONTENT_FILTERS} AND ($6::boolean IS NULL OR cr.completed_all = $6)`,
  // Keyset pages in path order ($7: the last path of the previous page).
  page: `
    SELECT u.id AS "unitId", u.code, u.name, u.tier, u.path, p.name AS "parentName", u.congress_type AS "congressType", u.pilot,
           to_char(cr.held_on, 'YYYY-MM-DD') AS "heldOn", cr.kind,
           ARRAY[cr.content1, cr.content2, cr.content3, cr.content4] AS contents, cr.content_notes AS notes,
           cr.completed_all AS "completedAll"
      FROM congress_records cr JOIN units u ON u.id = cr.unit_id LEFT JOIN units p ON p.id = u.parent_id
     WHERE ${CONTENT_FILTERS} AND ($6::boolean IS NULL OR cr.completed_all = $6) AND u.path > $7
     ORDER BY /*order*/ u.path LIMIT $8 OFFSET $9`,
};

/**
 * The approver's overdue items: submissions awaiting approval past their approval deadline
 * (unit_steps.approval_due), read from the partial index unit_steps_approval_due_idx.
 * $1 subtree pattern, $2 today.
 */
export const APPROVAL_OVERDUE_SQL = {
  byChild: `
    SELECT ${CHILD('u.path')} AS key, us.step_no AS no, count(*)::int AS n
      FROM unit_steps us JOIN units u ON u.id = us.unit_id
     WHERE us.status = 'awaiting_approval' AND us.approval_due < $4::date AND u.path LIKE $1 AND u.id <> $2 AND ${PILOT('$5')}
     GROUP BY 1, 2`,
  byTier: `
    SELECT u.tier AS key, us.step_no AS no, count(*)::int AS n
      FROM unit_steps us JOIN units u ON u.id = us.unit_id
     WHERE us.status = 'awaiting_approval' AND us.approval_due < $2::date AND u.path LIKE $1 AND ${PILOT('$3')}
     GROUP BY 1, 2`,
  list: `
    SELECT u.id AS "unitId", u.code, u.name, u.tier, us.step_no AS "stepNo", ps.title_vi AS title,
           to_char(us.approval_due, 'YYYY-MM-DD') AS "approvalDue", ($2::date - us.approval_due) AS "daysOverdue",
           p.id AS "approverUnitId", p.name AS "approverUnitName"
      FROM unit_steps us
      JOIN units u ON u.id = us.unit_id
      JOIN plan_steps ps ON ps.plan_id = us.plan_id AND ps.no = us.step_no
      LEFT JOIN units p ON p.id = u.parent_id
     WHERE us.status = 'awaiting_approval' AND us.approval_due < $2::date AND u.path LIKE $1 AND ${PILOT('$4')}
     ORDER BY us.approval_due, us.unit_id, us.step_no LIMIT $3`,
};

/**
 * Step milestones past their due date, not marked done, in steps still open (unit_steps.milestone_due,
 * from the partial index unit_steps_milestone_due_idx), of active units. $1 subtree pattern, $2 today.
 */
export const MILESTONE_OVERDUE_SQL = {
  list: `
    SELECT u.id AS "unitId", u.code, u.name, u.tier, p.name AS "parentName", us.step_no AS "stepNo", ps.title_vi AS "stepTitle",
           ps.milestone ->> 'titleVi' AS title, to_char(us.milestone_due, 'YYYY-MM-DD') AS "dueDate",
           ($2::date - us.milestone_due) AS "daysOverdue"
      FROM unit_steps us
      JOIN units u ON u.id = us.unit_id
      JOIN plan_steps ps ON ps.plan_id = us.plan_id AND ps.no = us.step_no
      LEFT JOIN units p ON p.id = u.parent_id
     WHERE us.milestone_due < $2::date AND us.milestone_done_at IS NULL AND us.status NOT IN ${FINISHED_SQL}
       AND u.status = 'active' AND u.path LIKE $1 AND ${PILOT('$4')}
     ORDER BY us.milestone_due, us.unit_id, us.step_no LIMIT $3`,
};

/** The overdue list's rows (OverdueItemDto) for the steps of `steps` (unit_steps, or a page of its rows), as of $2. */
function overdueItems(steps: string): string {
  return `SELECT u.id AS "unitId", u.code, u.name, u.tier, p.name AS "parentName", us.step_no AS "stepNo", ps.title_vi AS title,
           to_char(us.due_date, 'YYYY-MM-DD') AS "dueDate", ($2::date - us.due_date) AS "daysOverdue", us.status
      FROM ${steps} us
      JOIN units u ON u.id = us.unit_id
      LEFT JOIN units p ON p.id = u.parent_id
      JOIN plan_steps ps ON ps.plan_id = us.plan_id AND ps.no = us.step_no`;
}

export const OVERDUE_SQL = {
  /**
   * The total from the counters (roots at depth <= 2, after the roll to today): no scan of every late
   * step. The counters keep `overdue` per status; a submitted step (awaiting approval) is on the
   * approver's clock, not the unit's, so its row's overdue does not count (OFF_UNIT_CLOCK).
   */
  countFromCounters: `
    SELECT coalesce(sum(sc.overdue), 0)::int AS total FROM step_counts sc JOIN units b ON b.id = sc.bucket_id
     WHERE b.path LIKE $1 AND sc.status <> 'awaiting_approval' AND ($2::int IS NULL OR sc.step_no = $2)`,
  count: `
    SELECT count(*)::int AS total FROM unit_steps us JOIN units u ON u.id = us.unit_id
     WHERE us.status NOT IN ${OFF_UNIT_CLOCK_SQL} AND us.due_date < $2::date AND u.path LIKE $1 AND ${PILOT('$3')}
       AND ($4::int IS NULL OR us.step_no = $4)`,
  /**
   * Oldest due date first; keyset ($3, $4, $5) = the last (due date, unit id, step) of the previous
   * page. The page's steps are taken first, in the order of unit_steps_open_due_idx, stopping at the
   * page size (the units' filter as a semi-join per step); only those are joined to their names. As
   * one join the planner could read and sort every remaining overdue step for each page: an export
   * of the national list (page after page) then grew with the square of its length.
   */
  page: `
    WITH page AS MATERIALIZED (
      SELECT us.unit_id, us.step_no, us.plan_id, us.due_date, us.status FROM unit_steps us
       WHERE us.status NOT IN ${OFF_UNIT_CLOCK_SQL} AND us.due_date < $2::date
         AND (us.due_date, us.unit_id, us.step_no) > ($3::date, $4::int, $5::int) AND ($9::int IS NULL OR us.step_no = $9)
         AND EXISTS (SELECT 1 FROM units u WHERE u.id = us.unit_id AND u.path LIKE $1 AND ${PILOT('$8')})
       ORDER BY us.due_date, us.unit_id, us.step_no LIMIT $6 OFFSET $7)
    ${overdueItems('page')}
     ORDER BY us.due_date, us.unit_id, us.step_no`,
  /** A page sorted by a whitelisted column (put at the order marker) over every page (OFFSET), ties in the default order. */
  sortedPage: `
    ${overdueItems('unit_steps')}
     WHERE us.status NOT IN ${OFF_UNIT_CLOCK_SQL} AND us.due_date < $2::date AND u.path LIKE $1 AND ${PILOT('$8')}
       AND (us.due_date, us.unit_id, us.step_no) > ($3::date, $4::int, $5::int) AND ($9::int IS NULL OR us.step_no = $9)
     ORDER BY /*order*/ us.due_date, us.unit_id, us.step_no LIMIT $6 OFFSET $7`,
};

/**
 * The whitelisted sort columns of the report pages as SQL (never the caller's text): a page sorted
 * by one of them, the default order breaking ties. Names sort in the Vietnamese collation.
 */
const CONTENTS_ORDER: Record<ContentsSort, string> = {
  code: 'u.code',
  name: 'u.name COLLATE vi_vn',
  parentName: 'p.name COLLATE vi_vn',
  heldOn: 'cr.held_on',
  completedAll: 'cr.completed_all',
};
const OVERDUE_ORDER: Record<OverdueSort, { sql: string; reverse?: boolean }> = {
  code: { sql: 'u.code' },
  name: { sql: 'u.name COLLATE vi_vn' },
  parentName: { sql: 'p.name COLLATE vi_vn' },
  stepNo: { sql: 'us.step_no' },
  dueDate: { sql: 'us.due_date' },
  // More days overdue = an earlier due date.
  daysOverdue: { sql: 'us.due_date', reverse: true },
};
const DIR = (desc: boolean) => (desc ? 'DESC NULLS LAST' : 'ASC NULLS LAST');

/** A page's sort: a whitelisted column and its direction. */
export interface PageSort<C extends string> {
  column: C;
  order: SortOrder;
}

/** The overdue list's filters: pilot units only (true) or the main wave (false); a sort over all pages; one step. */
export interface OverdueFilter {
  pilot?: boolean | null;
  sort?: PageSort<OverdueSort>;
  stepNo?: number | null;
}

export interface CountRow {
  key: string | number;
  no: number;
  status: string;
  n: number;
  overdue: number;
}
export interface UnitCountRow {
  key: string | number;
  units: number;
  done: number;
}
/** The root of a report: its id, path and depth in the tree. */
export interface ReportRoot {
  id: number;
  path: string;
  depth: number;
}
export interface ContentsSummaryRow {
  units: number;
  congressesHeld: number;
  completedAll: number;
  committeeSeats: number;
  women: number;
  young: number;
  ethnicMinority: number;
  newlyElected: number;
  lowestVotePct: number | null;
  delegatesAllocated: number;
  delegatesElected: number;
}
export interface ContentsByTypeRow {
  type: CongressType;
  units: number;
  congressesHeld: number;
  completedAll: number;
}
export interface ContentsPageRow {
  unitId: number;
  code: string;
  name: string;
  tier: OverdueItemDto['tier'];
  path: string;
  congressType: CongressType;
  pilot: boolean;
  parentName: string | null;
  heldOn: string;
  kind: string;
  contents: (string | null)[];
  notes: Record<string, string>;
  completedAll: boolean;
}
export interface ContentsFilter {
  pattern: string;
  tier: string | null;
  heldFrom: string | null;
  heldTo: string | null;
  pilot: boolean | null;
  completedAll: boolean | null;
  /** Merged and dissolved units too (default: active units only). */
  includeClosed?: boolean;
}
/** Keyset position in the overdue list: the last (due date, unit id, step) of the previous page. */
export type OverdueAfter = [dueDate: string, unitId: number, stepNo: number];
export const OVERDUE_FIRST: OverdueAfter = ['0001-01-01', 0, 0];

/** Roots at this depth or above are counted from the counters tables (see @app/core progress-counters.ts). */
export const BUCKET_DEPTH = COUNTER_BUCKET_DEPTH;

/** The reports' reads, by name. The one write is the overdue roll-forward of the counters. */
@Injectable()
export class ReportsRepository {
  constructor(private readonly sql: Sql) {}

  /**
   * Moves the counters' overdue day (report_state.overdue_as_of) to `today`: steps due in between
   * become overdue (or, for a day in the past, stop being). A no-op read when it is there already;
   * otherwise one pass over the open steps due in between, under the exclusive counters lock.
   */
  async rollOverdue(today: string): Promise<void> {
    await this.sql.query(PROGRESS_SQL.rollOverdue, [today]);
  }

  /** Per child of the root: step counts and unit counts, from the counters (roots above the bucket depth). */
  countersByChild(root: ReportRoot): Promise<[CountRow[], UnitCountRow[]]> {
    const pattern = `${root.path}%`;
    return Promise.all([
      root.depth === 0
        ? this.sql.query<CountRow[]>(PROGRESS_SQL.countersTopByChild, [root.id])
        : this.sql.query<CountRow[]>(PROGRESS_SQL.countersByChild, [pattern, root.id, root.depth]),
      this.sql.query<UnitCountRow[]>(PROGRESS_SQL.unitCountersByChild, [pattern, root.id, root.depth]),
    ]);
  }

  countersByTier(root: ReportRoot): Promise<[CountRow[], UnitCountRow[]]> {
    const pattern = `${root.path}%`;
    return Promise.all([
      this.sql.query<CountRow[]>(PROGRESS_SQL.countersByTier, [pattern]),
      this.sql.query<UnitCountRow[]>(PROGRESS_SQL.unitCountersByTier, [pattern]),
    ]);
  }

  /** Per child of the root, counted directly from unit_steps (roots at the bucket depth and below). */
  directByChild(
    root: ReportRoot,
    today: string,
    includeClosed = false,
    pilot: boolean | null = null,
  ): Promise<[CountRow[], UnitCountRow[]]> {
    const pattern = `${root.path}%`;
    return Promise.all([
      this.sql.query<CountRow[]>(PROGRESS_SQL.directByChild, [pattern, root.id, root.depth, today, includeClosed, pilot]),
      this.sql.query<UnitCountRow[]>(PROGRESS_SQL.directUnitsByChild, [pattern, root.id, root.depth, includeClosed, pilot]),
    ]);
  }

  directByTier(
    root: ReportRoot,
    today: string,
    includeClosed = false,
    pilot: boolean | null = null,
  ): Promise<[CountRow[], UnitCountRow[]]> {
    const pattern = `${root.path}%`;
    return Promise.all([
      this.sql.query<CountRow[]>(PROGRESS_SQL.directByTier, [pattern, today, includeClosed, pilot]),
      this.sql.query<UnitCountRow[]>(PROGRESS_SQL.directUnitsByTier, [pattern, includeClosed, pilot]),
    ]);
  }

  /** The root's children: active ones, or all with includeClosed. */
  children(rootId: number, includeClosed = false): Promise<{ id: number; code: string; name: string }[]> {
    return this.sql.query(PROGRESS_SQL.children, [rootId, includeClosed]);
  }

  async contentsSummary(f: ContentsFilter): Promise<ContentsSummaryRow> {
    const [row]: ContentsSummaryRow[] = await this.sql.query(withStatus(CONTENTS_SQL.summary, f), [
      f.pattern,
      f.tier,
      f.heldFrom,
      f.heldTo,
      f.pilot,
    ]);
    return row;
  }

  contentsByType(f: ContentsFilter): Promise<ContentsByTypeRow[]> {
    return this.sql.query(withStatus(CONTENTS_SQL.byType, f), [f.pattern, f.tier, f.heldFrom, f.heldTo, f.pilot]);
  }

  async contentsCount(f: ContentsFilter): Promise<number> {
    const [{ total }]: { total: number }[] = await this.sql.query(withStatus(CONTENTS_SQL.count, f), contentsParams(f));
    return total;
  }

  /** Congress records in path order after `afterPath` (keyset), then `offset` rows skipped. */
  contentsPage(
    f: ContentsFilter,
    afterPath: string,
    limit: number,
    offset: number,
    sort?: PageSort<ContentsSort>,
  ): Promise<ContentsPageRow[]> {
    const order = sort ? `${CONTENTS_ORDER[sort.column]} ${DIR(sort.order === 'desc')},` : '';
    return this.sql.query(withStatus(CONTENTS_SQL.page, f).replace('/*order*/', order), [...contentsParams(f), afterPath, limit, offset]);
  }

  /** Per child of the root (or per tier): submissions awaiting approval past the approver's deadline, per step. */
  approvalOverdueCounts(
    root: ReportRoot,
    groupBy: 'child' | 'tier',
    today: string,
    pilot: boolean | null = null,
  ): Promise<{ key: string | number; no: number; n: number }[]> {
    const pattern = `${root.path}%`;
    return groupBy === 'child'
      ? this.sql.query(APPROVAL_OVERDUE_SQL.byChild, [pattern, root.id, root.depth, today, pilot])
      : this.sql.query(APPROVAL_OVERDUE_SQL.byTier, [pattern, today, pilot]);
  }

  /** Submissions under the root awaiting approval past the approver's deadline, oldest deadline first. */
  approvalsOverdue(rootPath: string, today: string, limit: number, pilot: boolean | null = null): Promise<ApprovalOverdueItemDto[]> {
    return this.sql.query(APPROVAL_OVERDUE_SQL.list, [`${rootPath}%`, today, limit, pilot]);
  }

  /** Milestones under the root past their due date and not marked done, oldest first. */
  milestonesOverdue(rootPath: string, today: string, limit: number, pilot: boolean | null = null): Promise<MilestoneOverdueItemDto[]> {
    return this.sql.query(MILESTONE_OVERDUE_SQL.list, [`${rootPath}%`, today, limit, pilot]);
  }

  /** Open steps overdue under the root, from the counters (roots at the bucket depth or above, rolled to today). */
  async overdueCountFromCounters(rootPath: string, stepNo: number | null = null): Promise<number> {
    const [{ total }]: { total: number }[] = await this.sql.query(OVERDUE_SQL.countFromCounters, [`${rootPath}%`, stepNo]);
    return total;
  }

  async overdueCount(rootPath: string, today: string, pilot: boolean | null = null, stepNo: number | null = null): Promise<number> {
    const [{ total }]: { total: number }[] = await this.sql.query(OVERDUE_SQL.count, [`${rootPath}%`, today, pilot, stepNo]);
    return total;
  }

  overduePage(
    rootPath: string,
    today: string,
    after: OverdueAfter,
    limit: number,
    offset: number,
    filter: OverdueFilter = {},
  ): Promise<OverdueItemDto[]> {
    const { pilot = null, sort, stepNo = null } = filter;
    const params = [`${rootPath}%`, today, ...after, limit, offset, pilot, stepNo];
    if (!sort) return this.sql.query(OVERDUE_SQL.page, params);
    const by = OVERDUE_ORDER[sort.column];
    return this.sql.query(
      OVERDUE_SQL.sortedPage.replace('/*order*/', `${by.sql} ${DIR((sort.order === 'desc') !== !!by.reverse)},`),
      params,
    );
  }
}

/** The contents statements count active units only, unless the filter includes closed ones. */
function withStatus(sql: string, f: ContentsFilter): string {
  return sql.replaceAll('/*status*/', f.includeClosed ? '' : `AND u.status = 'active'`);
}

function contentsParams(f: ContentsFilter): unknown[] {
  return [f.pattern, f.tier, f.heldFrom, f.heldTo, f.pilot, f.completedAll];
}
