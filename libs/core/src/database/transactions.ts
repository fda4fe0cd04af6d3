import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { LOCKS, LockName } from '../locks';

/**
 * A transaction as services see it: an opaque handle they pass to repository methods, so that
 * several repositories write in one transaction without any SQL outside the repositories.
 */
export type Tx = EntityManager;

/** Runs work in one transaction, and takes the advisory locks of locks.ts inside it. */
@Injectable()
export class Transactions {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  /** An exclusive advisory lock held until the transaction ends. */
  async lock(tx: Tx, name: LockName): Promise<void> {
    await tx.query(`SELECT pg_advisory_xact_lock($1)`, [LOCKS[name]]);
  }
}
