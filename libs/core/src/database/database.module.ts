import { Global, Logger, Module, OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Env } from '../config/env';
import { dataSourceOptions, runMigrations } from './data-source';
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

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [Env],
      useFactory: (env: Env) => dataSourceOptions(env.DATABASE_URL),
    }),
  ],
  providers: [
    { provide: MigrateOnStart, inject: [DataSource, Env], useFactory: (ds: DataSource, env: Env) => new MigrateOnStart(ds, env) },
    Transactions,
    SQL_PROVIDER,
  ],
  exports: [Transactions, Sql],
})
export class DatabaseModule {}
