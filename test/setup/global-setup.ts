import { DataSource } from 'typeorm';
// globalSetup runs outside Jest's module mapper, so the @app aliases are not available here.
// eslint-disable-next-line no-restricted-imports
import { dataSourceOptions, runMigrations } from '../../libs/core/src/database/data-source';
import { adminQuery, appDatabaseUrl, assertInfrastructure, ensureAppRole, TEST_APP_ROLE } from './infra';

/**
 * Checks the infrastructure, then migrates one template database that every test file copies:
 * owned by the app's ordinary role and migrated as it, as in production.
 */
export default async function globalSetup(): Promise<void> {
  await assertInfrastructure();
  await ensureAppRole();
  const template = `ct_tmpl_${process.pid}_${Date.now()}`;
  await adminQuery(`CREATE DATABASE ${template} OWNER ${TEST_APP_ROLE}`);
  const ds = new DataSource(dataSourceOptions(appDatabaseUrl(template)));
  await ds.initialize();
  await runMigrations(ds);
  await ds.destroy();
  process.env.TEST_TEMPLATE_DB = template;
}
