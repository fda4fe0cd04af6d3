import { DataSource } from 'typeorm';
// globalSetup runs outside Jest's module mapper, so the @app aliases are not available here.
// eslint-disable-next-line no-restricted-imports
import { dataSourceOptions, runMigrations } from '../../libs/core/src/database/data-source';
import { adminQuery, assertInfrastructure, databaseUrl } from './infra';

/** Checks the infrastructure, then migrates one template database that every test file copies. */
export default async function globalSetup(): Promise<void> {
  await assertInfrastructure();
  const template = `ct_tmpl_${process.pid}_${Date.now()}`;
  await adminQuery(`CREATE DATABASE ${template}`);
  const ds = new DataSource(dataSourceOptions(databaseUrl(template)));
  await ds.initialize();
  await runMigrations(ds);
  await ds.destroy();
  process.env.TEST_TEMPLATE_DB = template;
}
