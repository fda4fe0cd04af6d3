import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { HistoryEntryDto } from './dto/workflow.dto';
import { FINISHED, type Action, type StepStatus } from './transition-table';

export interface StepRow {
  no: number;
  code: string;
  title: string;
  status: StepStatus;
  dueDate: string | null;
  requiresApproval: boolean;
  dependsOn: number[];
  version: number;
  updatedAt: Date;
  updatedBy: number | null;
  planId: number;
}

const STEP_COLUMNS = `us.step_no AS no, ps.code, ps.title_vi AS title, us.status, to_char(us.due_date, 'YYYY-MM-DD') AS "dueDate",
  ps.requires_approval AS "requiresApproval", ps.depends_on::int[] AS "dependsOn", us.version,
  us.updated_at AS "updatedAt", us.updated_by AS "updatedBy", us.plan_id AS "planId"`;

/** The SQL of step rows, their history and the outbox. Hand-written: this is the hot path of every transition. */
@Injectable()
export class WorkflowRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  steps(unitId: number): Promise<StepRow[]> {
    return this.db.query(
      `SELECT ${STEP_COLUMNS} FROM unit_steps us JOIN plan_steps ps ON ps.plan_id = us.plan_id AND ps.no = us.step_no
        WHERE us.unit_id = $1 ORDER BY us.step_no`,
      [unitId],
    );
  }

  async step(unitId: number, stepNo: number, tx: EntityManager): Promise<StepRow | null> {
    const rows: StepRow[] = await tx.query(
      `SELECT ${STEP_COLUMNS} FROM unit_steps us JOIN plan_steps ps ON ps.plan_id = us.plan_id AND ps.no = us.step_no
        WHERE us.unit_id = $1 AND us.step_no = $2`,
      [unitId, stepNo],
    );
    return rows[0] ?? null;
  }

  /** Prerequisites not finished, share-locked so that none is reopened while this transition commits. */
  async pendingPrerequisites(unitId: number, dependsOn: number[], tx: EntityManager): Promise<number[]> {
    if (dependsOn.length === 0) return [];
    const rows: { no: number; status: StepStatus }[] = await tx.query(
      `SELECT step_no AS no, status FROM unit_steps WHERE unit_id = $1 AND step_no = ANY($2::int[]) ORDER BY step_no FOR SHARE`,
      [unitId, dependsOn],
    );
    return rows.filter((r) => !FINISHED.includes(r.status)).map((r) => r.no);
  }

  /**
   * The transition itself, one statement: the conditional UPDATE on version (zero rows means the
   * caller's version is stale), the history event, and the outbox row when the table says so.
   */
  async apply(
    t: {
      unitId: number;
      stepNo: number;
      expectedVersion: number;
      from: StepStatus;
      to: StepStatus;
      action: Action;
      actorId: number;
      note: string | null;
      documentRef: string | null;
      topic: string | null;
    },
    tx: EntityManager,
  ): Promise<{ version: number; updatedAt: Date; eventId: string } | null> {
    const rows: { version: number; updatedAt: Date; eventId: string }[] = await tx.query(
      `WITH moved AS (
         UPDATE unit_steps SET status = $4, version = version + 1, updated_at = now(), updated_by = $6
          WHERE unit_id = $1 AND step_no = $2 AND version = $3
         RETURNING unit_id, step_no, version, updated_at
       ), event AS (
         INSERT INTO step_events (unit_id, step_no, actor_id, action, from_status, to_status, note, document_ref)
         SELECT unit_id, step_no, $6, $7, $5, $4, $8, $9 FROM moved
         RETURNING id, at
       ), published AS (
         INSERT INTO outbox (topic, payload)
         SELECT $10, jsonb_build_object('unitId', $1::int, 'stepNo', $2::int, 'action', $7::text, 'fromStatus', $5::text,
                'toStatus', $4::text, 'actorId', $6::int, 'note', $8::text, 'eventId', event.id, 'at', event.at)
           FROM event WHERE $10::text IS NOT NULL
         RETURNING id
       )
       SELECT moved.version, moved.updated_at AS "updatedAt", event.id::text AS "eventId" FROM moved, event`,
      [t.unitId, t.stepNo, t.expectedVersion, t.to, t.from, t.actorId, t.action, t.note, t.documentRef, t.topic],
    );
    return rows[0] ?? null;
  }

  async currentVersion(unitId: number, stepNo: number): Promise<number | null> {
    const rows: { version: number }[] = await this.db.query(`SELECT version FROM unit_steps WHERE unit_id = $1 AND step_no = $2`, [
      unitId,
      stepNo,
    ]);
    return rows[0]?.version ?? null;
  }

  history(unitId: number, stepNo: number): Promise<HistoryEntryDto[]> {
    return this.db.query(
      `SELECT e.at, CASE WHEN u.id IS NULL THEN NULL ELSE json_build_object('id', u.id, 'name', u.name, 'email', u.email) END AS actor,
              e.action, e.from_status AS "fromStatus", e.to_status AS "toStatus", e.note, e.document_ref AS "documentRef"
         FROM step_events e LEFT JOIN users u ON u.id = e.actor_id
        WHERE e.unit_id = $1 AND e.step_no = $2 ORDER BY e.id`,
      [unitId, stepNo],
    );
  }
}
