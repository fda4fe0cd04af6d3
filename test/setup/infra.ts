import Redis from 'ioredis';
import { Client } from 'pg';

/** Where the tests find PostgreSQL and Redis; each test file gets its own database and Redis prefix. */
export const TEST_PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export function databaseUrl(name: string): string {
  const url = new URL(TEST_PG_URL);
  url.pathname = `/${name}`;
  return url.toString();
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
