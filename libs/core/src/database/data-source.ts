import { DataSource, DataSourceOptions } from 'typeorm';
import { LOCKS } from '../locks';
import { MIGRATIONS } from './migrations';
import { SnakeNamingStrategy } from './snake-naming.strategy';

/**
 * The one description of the database connection, shared by the apps, the CLI and the tests.
 * The schema comes from migrations only (`synchronize: false`).
 */
export function dataSourceOptions(url: string): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    synchronize: false,
    migrationsRun: false,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    namingStrategy: new SnakeNamingStrategy(),
    extra: { max: Number(process.env.DB_POOL_SIZE ?? 20) },
  };
}

/** Runs pending migrations under an advisory lock so that several instances can start at once. */
export async function runMigrations(dataSource: DataSource): Promise<number> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [LOCKS.migrations]);
    const done = await dataSource.runMigrations({ transaction: 'each' });
    return done.length;
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [LOCKS.migrations]).catch(() => undefined);
    await runner.release();
  }
}

/** Applies pending migrations on a connection of its own (two sessions at most), then closes it; returns how many ran. */
export async function migrateDatabase(url: string): Promise<number> {
  const dataSource = new DataSource({ ...dataSourceOptions(url), extra: { max: 2 } });
  await dataSource.initialize();
  try {
    return await runMigrations(dataSource);
  } finally {
    await dataSource.destroy();
  }
}

/** Used by the TypeORM CLI (`typeorm migration:generate -d …`). */
export default new DataSource(dataSourceOptions(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/congress'));
