import Redis from 'ioredis';
import { Client } from 'pg';

/** Where the tests find PostgreSQL and Redis; each test file gets its own database and Redis prefix. */
export const TEST_PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * The ordinary role the app connects as in the tests, as in production (no superuser, owner of
 * its databases): created by the global setup when missing (and by .ci/run).
 */
export const TEST_APP_ROLE = process.env.TEST_APP_ROLE ?? 'ct_app';

/** A database as the admin connection (superuser, for arranging data and recounting). */
export function databaseUrl(name: string): string {
  const url = new URL(TEST_PG_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** The same database as the app's role (trust authentication on the test server, no password). */
export function appDatabaseUrl(name: string): string {
  const url = new URL(databaseUrl(name));
  url.username = TEST_APP_ROLE;
  url.password = '';
  return url.toString();
}

/** Creates the app's role if missing: LOGIN, not a superuser, may not create roles or databases. */
export async function ensureAppRole(): Promise<void> {
  await adminQuery(
    `DO $$ BEGIN
       IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${TEST_APP_ROLE}') THEN
         CREATE ROLE ${TEST_APP_ROLE} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE;
       END IF;
     EXCEPTION WHEN duplicate_object THEN NULL; -- another run created it meanwhile
     END $$`,
  );
}

export async function adminQuery(sql: string): Promise<void> {
  const client = new Client({ connectionString: TEST_PG_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** One clear sentence when PostgreSQL or Redis is not there. */
export async function assertInfrastructure(): Promise<void> {
  const client = new Client({ connectionString: TEST_PG_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.end();
  } catch {
    throw new Error(
      `PostgreSQL is not reachable at ${TEST_PG_URL}: start it (for example "pg_ctlcluster 15 main start") or set TEST_DATABASE_URL.`,
    );
  }
  const redis = new Redis(TEST_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 3000 });
  try {
    await redis.connect();
    await redis.ping();
  } catch {
    throw new Error(
      `Redis is not reachable at ${TEST_REDIS_URL}: start it (for example "redis-server --daemonize yes") or set TEST_REDIS_URL.`,
    );
  } finally {
    redis.disconnect();
  }
}
