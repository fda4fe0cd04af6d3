import { Injectable } from '@nestjs/common';
import { Sql } from '../database/transactions';

export type OperationKind = 'unit_import' | 'plan_activation';
export type OperationStatus = 'running' | 'succeeded' | 'failed';

export interface OperationRow {
  id: number;
  kind: OperationKind;
  status: OperationStatus;
  progress: Record<string, unknown>;
  result: Record<string, unknown> | null;
  error: Record<string, unknown> | null;
  createdBy: number;
  unitPath: string;
  createdAt: Date;
  finishedAt: Date | null;
  /** Seconds since the running work last said it was alive. */
  silentFor: number;
}

const COLUMNS = `id, kind, status, progress, result, error, created_by AS "createdBy", unit_path AS "unitPath",
  created_at AS "createdAt", finished_at AS "finishedAt", extract(epoch FROM now() - heartbeat_at)::float8 AS "silentFor"`;

/** The long operations' state (table operations). */
@Injectable()
export class OperationsRepository {
  constructor(private readonly sql: Sql) {}

  async insert(kind: OperationKind, createdBy: number, unitPath: string): Promise<number> {
    const rows: { id: number }[] = await this.sql.query(
      `INSERT INTO operations (kind, created_by, unit_path) VALUES ($1, $2, $3) RETURNING id`,
      [kind, createdBy, unitPath],
    );
    return rows[0].id;
  }

  async find(id: number): Promise<OperationRow | null> {
    const rows: OperationRow[] = await this.sql.query(`SELECT ${COLUMNS} FROM operations WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }

  /** Renews the heartbeat and, when given, replaces the progress; only while the operation runs. */
  async beat(id: number, progress?: Record<string, unknown>): Promise<void> {
    await this.sql.query(
      `UPDATE operations SET heartbeat_at = now(), progress = COALESCE($2::jsonb, progress) WHERE id = $1 AND status = 'running'`,
      [id, progress === undefined ? null : JSON.stringify(progress)],
    );
  }

  /** Ends a running operation; false when it had already ended. */
  async finish(
    id: number,
    status: Exclude<OperationStatus, 'running'>,
    outcome: { result?: unknown; error?: unknown; progress?: Record<string, unknown> },
  ): Promise<boolean> {
    const rows: { id: number }[] = await this.sql.query(
      `UPDATE operations
          SET status = $2, result = $3::jsonb, error = $4::jsonb, progress = COALESCE($5::jsonb, progress),
              finished_at = now(), heartbeat_at = now()
        WHERE id = $1 AND status = 'running'
        RETURNING id`,
      [
        id,
        status,
        outcome.result === undefined ? null : JSON.stringify(outcome.result),
        outcome.error === undefined ? null : JSON.stringify(outcome.error),
        outcome.progress === undefined ? null : JSON.stringify(outcome.progress),
      ],
    );
    return rows.length > 0;
  }
}
