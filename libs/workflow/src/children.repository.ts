import { Injectable } from '@nestjs/common';
import { FINISHED_SQL, OFF_UNIT_CLOCK_SQL, Sql } from '@app/core';
import type { ChildUnitDto } from './dto/children.dto';
import type { StepStatus } from './transition-table';

interface ChildrenPageRow {
  total: number;
  items: ChildUnitDto[];
}

/**
 * One statement: the direct children of $1 (units_parent_id_idx), optionally with their step $2 and
 * filtered on its status $3 and on a search $4 (the folded word-start pattern of unit_search_key);
 * sorted by name in Vietnamese collation; each with its number of children and the progress of its
 * steps (primary key range of the child), the page $6/$7 and the total.
 */
const CHILDREN_PAGE = `
  WITH kids AS (
    SELECT u.id, u.code, u.name, u.tier, s.status, s.version, s.due_date
      FROM units u
      LEFT JOIN unit_steps s ON $2::int IS NOT NULL AND s.unit_id = u.id AND s.step_no = $2::int
     WHERE u.parent_id = $1
       AND (u.status = 'active' OR $8::boolean IS TRUE)
       AND ($3::text IS NULL OR s.status = $3::text)
       AND ($4::text IS NULL OR unit_search_key(u.name, u.code) LIKE '% ' || fold_text($4::text) || '%')
  ), page AS (
    SELECT * FROM kids ORDER BY name COLLATE vi_vn, id LIMIT $6 OFFSET $7
  )
  SELECT (SELECT count(*)::int FROM kids) AS total,
         coalesce((
           SELECT json_agg(json_build_object(
                    'id', page.id, 'code', page.code, 'name', page.name, 'tier', page.tier,
                    'childrenCount', (SELECT count(*)::int FROM units c WHERE c.parent_id = page.id),
                    'progress', json_build_object('completed', p.completed, 'total', p.total, 'overdue', p.overdue),
                    'step', CASE WHEN page.status IS NULL THEN NULL ELSE json_build_object(
                              'no', $2::int, 'status', page.status, 'version', page.version,
                              'dueDate', to_char(page.due_date, 'YYYY-MM-DD'),
                              'overdue', coalesce(page.status NOT IN ${OFF_UNIT_CLOCK_SQL} AND page.due_date < $5::date, false)) END)
                  ORDER BY page.name COLLATE vi_vn, page.id)
             FROM page
             CROSS JOIN LATERAL (
               SELECT count(*) FILTER (WHERE us.status IN ${FINISHED_SQL})::int AS completed, count(*)::int AS total,
                      count(*) FILTER (WHERE us.status NOT IN ${OFF_UNIT_CLOCK_SQL} AND us.due_date < $5::date)::int AS overdue
                 FROM unit_steps us WHERE us.unit_id = page.id
             ) p
         ), '[]'::json) AS items`;

/** The children of a unit with their progress, for the tree and the bulk selection. */
@Injectable()
export class ChildrenRepository {
  constructor(private readonly sql: Sql) {}

  async page(q: {
    parentId: number;
    stepNo: number | null;
    status: StepStatus | null;
    /** The search as typed, LIKE wildcards escaped. */
    search: string | null;
    today: string;
    limit: number;
    offset: number;
    /** Merged and dissolved children too. */
    includeClosed?: boolean;
  }): Promise<ChildrenPageRow> {
    const rows: ChildrenPageRow[] = await this.sql.query(CHILDREN_PAGE, [
      q.parentId,
      q.stepNo,
      q.status,
      q.search,
      q.today,
      q.limit,
      q.offset,
      q.includeClosed ?? false,
    ]);
    return rows[0];
  }
}
