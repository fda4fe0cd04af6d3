import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, QueryRunner } from 'typeorm';
import { LOCKS, LockName } from '../locks';

/**
 * What repositories run SQL on: the connection pool (inject `Sql`) or a transaction (`Tx`). A
 * query's rows are `unknown` until the repository names their type (`const rows: Row[] = await
 * sql.query(…)`, or the method's return type): no `any` leaves a query.
 */
export abstract class Sql {
  abstract query<T = unknown>(sql: string, params?: unknown[]): Promise<T>;
}

/**
 * A transaction as services see it: an opaque handle they pass to repository methods, so that
 * several repositories write in one transaction without any SQL outside the repositories.
 */
export type Tx = Sql & { readonly queryRunner?: QueryRunner };

/** Runs work in one transaction, and takes the advisory locks of locks.ts inside it. */
@Injectable()
export class Transactions {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.db.transaction((manager) => work(manager));
  }

  /** An exclusive advisory lock held until the transaction ends. */
  async lock(tx: Tx, name: LockName): Promise<void> {
    await tx.query(`SELECT pg_advisory_xact_lock($1)`, [LOCKS[name]]);
  }
}

/** Runs a statement in a transaction and returns how many rows it changed (a bare INSERT or UPDATE returns no rows to count). */
export async function executeCounted(tx: Tx, sql: string, params: unknown[]): Promise<number> {
  // TypeORM's query() gives no row count for an INSERT; the runner's structured result does.
  if (!tx.queryRunner) throw new Error('executeCounted runs inside a transaction');
  const result = await tx.queryRunner.query(sql, params, true);
  return result.affected ?? 0;
}

/** The `Sql` provider: the pool's entity manager, typed as `Sql`. */
export const SQL_PROVIDER = { provide: Sql, inject: [DataSource], useFactory: (ds: DataSource): Sql => ds.manager };
