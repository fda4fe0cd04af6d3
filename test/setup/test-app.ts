import 'reflect-metadata';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { hashPassword } from '@app/auth';
import { Clock, type Role } from '@app/core';
import { createApp } from '../../apps/api/src/create-app';
import { adminQuery, appDatabaseUrl, databaseUrl, TEST_APP_ROLE, TEST_REDIS_URL } from './infra';

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface TestApp {
  app: NestFastifyApplication;
  baseUrl: string;
  /** Direct SQL on this test's own database, for arranging data and recounting. */
  db: Pool;
  dbName: string;
  redisPrefix: string;
  adminToken: string;
  rootUnitId: number;
  request<T = any>(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown; headers?: Record<string, string>; raw?: RequestInit['body'] },
  ): Promise<ApiResponse<T>>;
  /** Creates a user directly in the database and returns a token for it. */
  loginAs(role: Role, unitId: number, email?: string): Promise<string>;
  /** Sets the app's Clock: a day (YYYY-MM-DD, read as noon in Vietnam), an ISO instant, or null for the real time. */
  setClock(at: string | null): void;
  close(): Promise<void>;
}

/**
 * Starts the real API on a random port against a fresh copy of the migrated template database
 * and its own Redis key prefix, so test files never share state and can run twice in a row.
 */
export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const suffix = randomBytes(4).toString('hex');
  const dbName = `ct_test_${suffix}`;
  await adminQuery(`CREATE DATABASE ${dbName} TEMPLATE ${process.env.TEST_TEMPLATE_DB} OWNER ${TEST_APP_ROLE}`);
  const redisPrefix = `ct-test-${suffix}`;
  Object.assign(process.env, {
    // The app connects as the ordinary role that owns the database; `db` below is the admin's.
    DATABASE_URL: appDatabaseUrl(dbName),
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: redisPrefix,
    LOG_LEVEL: 'silent',
    DB_MIGRATIONS_RUN: 'false',
    ADMIN_EMAIL: 'admin@test.vn',
    ADMIN_PASSWORD: 'admin-password',
    DB_POOL_SIZE: '10',
    // No built web app unless a test names one: the API's own answers (404s) do not depend on
    // whether apps/web/dist happens to exist in the working tree.
    WEB_DIST_DIR: 'test/no-web-app',
    // Every test logs in from 127.0.0.1: the per-address login limit is tested on its own (test/security).
    LOGIN_ADDRESS_RATE_LIMIT: '100000',
    ...env,
  });
  const app = await createApp();
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address();
  const baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const db = new Pool({ connectionString: databaseUrl(dbName), max: 4 });
  // DROP DATABASE … WITH (FORCE) at teardown ends any connection still open; that is expected, not a failure.
  db.on('error', () => undefined);

  const request: TestApp['request'] = async (method, path, options = {}) => {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: RequestInit['body'] | undefined = options.raw;
    if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    const res = await fetch(`${baseUrl}${path}`, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON: keep the text */
    }
    return { status: res.status, body: parsed as any, headers: res.headers };
  };

  const login = await request('POST', '/api/auth/login', {
    body: { email: process.env.ADMIN_EMAIL, password: process.env.ADMIN_PASSWORD },
  });
  if (login.status !== 200) throw new Error(`admin login failed: ${JSON.stringify(login.body)}`);

  let users = 0;
  const clock = app.get(Clock);
  const realNow = clock.now.bind(clock);
  return {
    app,
    baseUrl,
    db,
    dbName,
    redisPrefix,
    adminToken: login.body.accessToken,
    rootUnitId: login.body.user.unitId,
    request,
    async loginAs(role, unitId, email = `${role}-${unitId}-${++users}@test.vn`) {
      const password = 'password-123';
      await db.query(`INSERT INTO users (email, name, password_hash, role, unit_id) VALUES ($1, $2, $3, $4, $5)`, [
        email,
        `Test ${role}`,
        await hashPassword(password),
        role,
        unitId,
      ]);
      const res = await request('POST', '/api/auth/login', { body: { email, password } });
      if (res.status !== 200) throw new Error(`login failed: ${JSON.stringify(res.body)}`);
      return res.body.accessToken as string;
    },
    setClock(at) {
      const fixed = at === null ? null : new Date(at.length === 10 ? `${at}T12:00:00+07:00` : at);
      clock.now = fixed ? () => new Date(fixed) : realNow;
    },
    async close() {
      await app.close();
      await db.end();
      await adminQuery(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    },
  };
}
