import { Global, Logger, Module, OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { Pool, PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import { Env } from '../config/env';
import { dataSourceOptions, runMigrations } from './data-source';
import { PreparedSql } from './prepared';
import { SQL_PROVIDER, Sql, Transactions } from './transactions';

class MigrateOnStart implements OnModuleInit {
  private readonly logger = new Logger('Database');
  constructor(
    private readonly dataSource: DataSource,
    private readonly env: Env,
  ) {}

  async onModuleInit(): Promise<void> {
    if (!this.env.DB_MIGRATIONS_RUN) return;
    const count = await runMigrations(this.dataSource);
    if (count > 0) this.logger.log(`Applied ${count} migration(s)`);
  }
}

/**
 * A PostgreSQL connection can be ended under the process at any time (a restart, a failover,
 * pg_terminate_backend: error 57P01). TypeORM listens on the pool and on the connections its query
 * runners hold; this also gives every connection its own listener from the start, so an 'error' on
 * a connection in any state is logged and the pool replaces it, never an unhandled 'error' event
 * that would end the process.
 */
class ConnectionErrors implements OnModuleInit {
  private readonly logger = new Logger('Database');
  constructor(private readonly dataSource: DataSource) {}

  onModuleInit(): void {
    const pool = (this.dataSource.driver as unknown as { master?: Pool }).master;
    pool?.on('connect', (client: PoolClient) =>
      client.on('error', (err: Error) => this.logger.warn({ err: err.message }, 'PostgreSQL connection lost; the pool replaces it')),
    );
  }
}

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [Env],
      useFactory: (env: Env) => dataSourceOptions(env.DATABASE_URL),
    }),
  ],
  providers: [
    { provide: ConnectionErrors, inject: [DataSource], useFactory: (ds: DataSource) => new ConnectionErrors(ds) },
    { provide: MigrateOnStart, inject: [DataSource, Env], useFactory: (ds: DataSource, env: Env) => new MigrateOnStart(ds, env) },
    Transactions,
    SQL_PROVIDER,
    PreparedSql,
  ],
  exports: [Transactions, Sql, PreparedSql],
})
export class DatabaseModule {}
