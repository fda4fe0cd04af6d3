import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DomainError } from '../errors';
import { OperationKind, OperationRow, OperationsRepository, OperationStatus } from './operations.repository';

/** What a long operation reports while it runs: its phase and how many rows or units it has done. */
export interface OperationProgress {
  phase: string;
  done?: number;
  total?: number;
}

export interface OperationView {
  id: number;
  kind: OperationKind;
  status: OperationStatus;
  progress: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: { code: string; message: string; details?: unknown };
  createdAt: string;
  finishedAt: string | null;
}

/** Who may read an operation: the person who started it, or an admin whose subtree holds the unit it acted on. */
export interface OperationReader {
  id: number;
  role: string;
  unitPath: string;
}

/** How often running work renews its heartbeat, and how long a silent one is believed alive. */
const HEARTBEAT_MS = 5_000;
const PRESUMED_DEAD_SECONDS = 60;

/**
 * Long operations run in the background of the API process that accepted them (202 + id); their
 * state is in PostgreSQL, so any instance answers the status, and the page that started one may
 * leave and poll again later. Work whose process died (heartbeat silent) is reported failed.
 */
@Injectable()
export class OperationsService implements OnApplicationShutdown {
  private readonly logger = new Logger('Operations');
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly repo: OperationsRepository) {}

  /** Records the operation, starts `work` without waiting for it, and returns the operation's id. */
  async start<T>(
    kind: OperationKind,
    owner: { userId: number; unitPath: string },
    work: (report: (progress: OperationProgress) => Promise<void>) => Promise<T>,
  ): Promise<number> {
    const id = await this.repo.insert(kind, owner.userId, owner.unitPath);
    const run = this.run(id, work).finally(() => this.running.delete(run));
    this.running.add(run);
    return id;
  }

  private async run<T>(id: number, work: (report: (progress: OperationProgress) => Promise<void>) => Promise<T>): Promise<void> {
    const heartbeat = setInterval(() => {
      this.repo.beat(id).catch((err: Error) => this.logger.warn({ err: err.message, operation: id }, 'heartbeat failed'));
    }, HEARTBEAT_MS);
    heartbeat.unref();
    const report = async (progress: OperationProgress) => this.repo.beat(id, { ...progress });
    try {
      // Let the request that started the operation answer first.
      await new Promise((resolve) => setImmediate(resolve));
      const result = await work(report);
      await this.repo.finish(id, 'succeeded', { result, progress: { phase: 'done' } });
    } catch (error) {
      await this.repo.finish(id, 'failed', { error: this.describe(id, error) }).catch((err: Error) => {
        this.logger.error({ err: err.message, operation: id }, 'could not record the failure of an operation');
      });
    } finally {
      clearInterval(heartbeat);
    }
  }

  private describe(id: number, error: unknown): { code: string; message: string; details?: unknown } {
    if (error instanceof DomainError) {
      const body = error.toBody();
      return { code: body.code, message: body.message, ...(body.details === undefined ? {} : { details: body.details }) };
    }
    const correlationId = randomUUID();
    this.logger.error({ err: error instanceof Error ? error.stack : String(error), operation: id, correlationId }, 'operation failed');
    return { code: 'INTERNAL_ERROR', message: 'The operation failed unexpectedly', details: { correlationId } };
  }

  async get(id: number, reader: OperationReader): Promise<OperationView> {
    const row = await this.repo.find(id);
    if (!row) throw DomainError.notFound('Operation', id);
    const mayRead = row.createdBy === reader.id || (reader.role === 'admin' && row.unitPath.startsWith(reader.unitPath));
    if (!mayRead)
      throw new DomainError('FORBIDDEN_SCOPE', `Operation ${id} was started by someone outside your scope`, { operationId: id });
    if (row.status === 'running' && row.silentFor > PRESUMED_DEAD_SECONDS) {
      const error = { code: 'INTERNAL_ERROR', message: 'The process running the operation stopped before it finished; start it again' };
      if (await this.repo.finish(id, 'failed', { error })) return this.get(id, reader);
    }
    return view(row);
  }

  /** Waits for the operations this process runs (a graceful shutdown lets them finish). */
  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([...this.running]);
  }
}

function view(row: OperationRow): OperationView {
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    progress: row.progress,
    ...(row.result ? { result: row.result } : {}),
    ...(row.error ? { error: row.error as OperationView['error'] & object } : {}),
    createdAt: row.createdAt.toISOString(),
    finishedAt: row.finishedAt ? row.finishedAt.toISOString() : null,
  };
}
