import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, QueryResult } from 'typeorm';
import type { Tier } from '@app/core';
import { activateUnitStepsSql, createUnitStepsSql, recomputeDueDatesSql } from './due-dates.sql';
import type { PlanDto, PlanStepDto } from './dto/plan.dto';
import type { CongressWindow, Deadlines, StepTemplate } from './plan-template';

interface PlanRow {
  id: number;
  code: string;
  name: string;
  status: 'draft' | 'active';
  rootUnitId: number | null;
  congressWindows: Partial<Record<Tier, CongressWindow>>;
}

/** The SQL of plans, their steps, and the per-unit step rows they create. */
@Injectable()
export class PlansRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async insert(plan: { code: string; name: string; windows: object; steps: StepTemplate[] }, tx: EntityManager): Promise<number | null> {
    const rows: { id: number }[] = await tx.query(
      `INSERT INTO plans (code, name, congress_windows) VALUES ($1, $2, $3) ON CONFLICT (code) DO NOTHING RETURNING id`,
      [plan.code, plan.name, JSON.stringify(plan.windows)],
    );
    if (rows.length === 0) return null;
    const id = rows[0].id;
    await tx.query(
      `INSERT INTO plan_steps (plan_id, no, code, title_vi, title_en, requires_approval, depends_on, deadlines)
       SELECT $1, s.no, s.code, s."titleVi", s."titleEn", s."requiresApproval",
              ARRAY(SELECT jsonb_array_elements_text(s."dependsOn"))::smallint[], s.deadlines
         FROM jsonb_to_recordset($2::jsonb) AS s(no int, code text, "titleVi" text, "titleEn" text,
              "requiresApproval" boolean, "dependsOn" jsonb, deadlines jsonb)`,
      [id, JSON.stringify(plan.steps)],
    );
    return id;
  }

  async find(id: number, manager: EntityManager = this.db.manager): Promise<PlanDto | null> {
    const [plan]: PlanRow[] = await manager.query(
      `SELECT id, code, name, status, root_unit_id AS "rootUnitId", congress_windows AS "congressWindows" FROM plans WHERE id = $1`,
      [id],
    );
    if (!plan) return null;
    return { ...plan, steps: await this.steps(id, manager) };
  }

  async list(): Promise<PlanDto[]> {
    const plans: PlanRow[] = await this.db.query(
      `SELECT id, code, name, status, root_unit_id AS "rootUnitId", congress_windows AS "congressWindows" FROM plans ORDER BY id`,
    );
    return Promise.all(plans.map(async (p) => ({ ...p, steps: await this.steps(p.id) })));
  }

  private steps(planId: number, manager: EntityManager = this.db.manager): Promise<PlanStepDto[]> {
    return manager.query(
      `SELECT no, code, title_vi AS title, title_en AS "titleEn", requires_approval AS "requiresApproval",
              depends_on::int[] AS "dependsOn", deadlines
         FROM plan_steps WHERE plan_id = $1 ORDER BY no`,
      [planId],
    );
  }

  async mergeDeadlines(planId: number, no: number, deadlines: Deadlines, tx: EntityManager): Promise<boolean> {
    // A CTE: TypeORM answers a bare UPDATE with [rows, rowCount], whose length is always 2.
    const rows: unknown[] = await tx.query(
      `WITH changed AS (UPDATE plan_steps SET deadlines = deadlines || $3::jsonb WHERE plan_id = $1 AND no = $2 RETURNING 1)
       SELECT 1 FROM changed`,
      [planId, no, JSON.stringify(deadlines)],
    );
    return rows.length > 0;
  }

  async update(planId: number, patch: { name?: string; windows?: object }, tx: EntityManager): Promise<void> {
    await tx.query(
      `UPDATE plans SET name = coalesce($2, name), congress_windows = congress_windows || coalesce($3::jsonb, '{}') WHERE id = $1`,
      [planId, patch.name ?? null, patch.windows ? JSON.stringify(patch.windows) : null],
    );
  }

  /** Units under the root that already walk another plan. */
  async unitsInOtherPlans(planId: number, rootPath: string, tx: EntityManager): Promise<number> {
    const [{ n }]: { n: number }[] = await tx.query(
      `SELECT count(DISTINCT us.unit_id)::int AS n FROM unit_steps us JOIN units u ON u.id = us.unit_id
        WHERE u.path LIKE $2 AND us.plan_id <> $1`,
      [planId, `${rootPath}%`],
    );
    return n;
  }

  async markActive(planId: number, rootUnitId: number, tx: EntityManager): Promise<void> {
    await tx.query(`UPDATE plans SET status = 'active', root_unit_id = $2, activated_at = now() WHERE id = $1`, [planId, rootUnitId]);
  }

  /**
   * One INSERT … SELECT for the whole subtree: 15 rows per unit with their due dates. Its rows are
   * valid by construction (unit ids from units, steps from plan_steps, none existed: the plan was a
   * draft), so when the database role may, the row-by-row triggers (foreign-key checks, progress
   * counters) are switched off for this statement and the counters are added in one pass after.
   */
  async createStepsUnder(planId: number, rootPath: string, tx: EntityManager): Promise<{ units: number; steps: number }> {
    const [{ superuser }]: { superuser: boolean }[] = await tx.query(
      `SELECT rolsuper AS superuser FROM pg_roles WHERE rolname = current_user`,
    );
    if (superuser) await tx.query(`SET LOCAL session_replication_role = replica`);
    // TypeORM's EntityManager.query gives no row count for an INSERT; the structured result does.
    const runner = tx.queryRunner;
    if (!runner) throw new Error('createStepsUnder runs inside a transaction');
    const inserted: QueryResult = await runner.query(activateUnitStepsSql(`u.path LIKE $2`), [planId, `${rootPath}%`], true);
    if (superuser) {
      await tx.query(`SET LOCAL session_replication_role = DEFAULT`);
      await tx.query(`SELECT step_counts_add_subtree($1)`, [`${rootPath}%`]);
    }
    // Every unit under the root got every step (a duplicate would have failed the INSERT).
    const [{ units }]: { units: number }[] = await tx.query(`SELECT count(*)::int AS units FROM units WHERE path LIKE $1`, [
      `${rootPath}%`,
    ]);
    return { units, steps: inserted.affected ?? 0 };
  }

  /** Gives units created later the steps of every active plan whose root is above them. */
  async createStepsForNewUnits(unitIds: number[], tx: EntityManager): Promise<void> {
    const plans: { id: number; path: string }[] = await tx.query(
      `SELECT DISTINCT p.id, r.path FROM plans p JOIN units r ON r.id = p.root_unit_id
         JOIN units u ON u.path LIKE r.path || '%' AND u.id = ANY($1::int[])
        WHERE p.status = 'active'`,
      [unitIds],
    );
    for (const plan of plans) {
      await tx.query(createUnitStepsSql(`u.id = ANY($2::int[]) AND u.path LIKE $3`), [plan.id, unitIds, `${plan.path}%`]);
    }
  }

  async recompute(filter: string, params: unknown[], tx: EntityManager): Promise<void> {
    await tx.query(recomputeDueDatesSql(filter), params);
  }

  /** The congress window of the plan a unit walks, if any. */
  async windowFor(unitId: number, tier: Tier): Promise<CongressWindow | null> {
    const rows: { window: CongressWindow | null }[] = await this.db.query(
      `SELECT p.congress_windows -> $2 AS window FROM unit_steps us JOIN plans p ON p.id = us.plan_id
        WHERE us.unit_id = $1 LIMIT 1`,
      [unitId, tier],
    );
    return rows[0]?.window ?? null;
  }
}
