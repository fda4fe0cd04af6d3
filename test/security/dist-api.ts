import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { hashPassword } from '@app/auth';
import type { Role } from '@app/core';
import type { FixtureHost } from './fixture';
import type { ApiResponse } from '../setup/test-app';
import { adminQuery, appDatabaseUrl, databaseUrl, TEST_APP_ROLE, TEST_REDIS_URL } from '../setup/infra';
import { freePort } from '../setup/own-redis';

const ROOT = join(__dirname, '..', '..');
const MAIN = join(ROOT, 'dist', 'apps', 'api', 'src', 'main.js');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * Builds dist/ when it is missing or older than the sources (once, under a lock: two test files
 * may ask at once). The build runs the Swagger CLI plugin, so the OpenAPI document of the built
 * API describes every DTO field — what the fuzzer is driven by.
 */
function ensureBuilt(): void {
  const lock = join(ROOT, '.build-lock');
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      execFileSync('sleep', ['1']);
    }
  }
  try {
    const built = (() => {
      try {
        return statSync(MAIN).mtimeMs;
      } catch {
        return 0;
      }
    })();
    if (built < Math.max(newestSource(join(ROOT, 'apps')), newestSource(join(ROOT, 'libs')))) {
      execFileSync('npx', ['nest', 'build', 'api'], { cwd: ROOT, stdio: 'ignore' });
    }
  } finally {
    rmdirSync(lock);
  }
}

export interface DistApi {
  baseUrl: string;
  pid: number;
  /** The API's stdout (its JSON log lines) so far. */
  output(): string;
  db: Pool;
  /** Resident set size of the API process, in MB (from /proc). */
  rssMb(): number;
  stop(): Promise<void>;
}

/** The built API (node dist/apps/api/src/main.js) as a child process, on its own database and Redis prefix. */
export async function startDistApi(env: Record<string, string> = {}): Promise<DistApi> {
  ensureBuilt();
  const suffix = randomBytes(4).toString('hex');
  const dbName = `ct_dist_${suffix}`;
  await adminQuery(`CREATE DATABASE ${dbName} TEMPLATE ${process.env.TEST_TEMPLATE_DB} OWNER ${TEST_APP_ROLE}`);
  const port = await freePort();
  const child = spawn(process.execPath, [MAIN], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: appDatabaseUrl(dbName),
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: `ct-dist-${suffix}`,
      PORT: String(port),
      LOG_LEVEL: 'info',
      DB_MIGRATIONS_RUN: 'false',
      ADMIN_EMAIL: 'admin@test.vn',
      ADMIN_PASSWORD: 'admin-password',
      DB_POOL_SIZE: '10',
      LOGIN_ADDRESS_RATE_LIMIT: '100000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the API exited: ${out.slice(-2000)}`);
    try {
      if ((await fetch(`${baseUrl}/health`)).status < 600) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the API did not start: ${out.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const db = new Pool({ connectionString: databaseUrl(dbName), max: 2 });
  db.on('error', () => undefined);
  return {
    baseUrl,
    pid: child.pid!,
    output: () => out,
    db,
    rssMb() {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
      await db.end();
      await adminQuery(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    },
  };
}

/** A client of the built API with the TestApp conveniences the fixtures use. */
export async function distClient(api: DistApi): Promise<FixtureHost & { request: FixtureHost['request'] }> {
  const request: FixtureHost['request'] = async (method, path, options = {}) => {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: RequestInit['body'] | undefined = options.raw;
    if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    const res = await fetch(`${api.baseUrl}${path}`, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON */
    }
    return { status: res.status, body: parsed as any, headers: res.headers } as ApiResponse;
  };
  const login = await request('POST', '/api/auth/login', { body: { email: 'admin@test.vn', password: 'admin-password' } });
  if (login.status !== 200) throw new Error(`admin login failed: ${JSON.stringify(login.body)}`);
  let users = 0;
  return {
    request,
    adminToken: login.body.accessToken,
    rootUnitId: login.body.user.unitId,
    async loginAs(role: Role, unitId: number, email = `${role}-${unitId}-${++users}@dist.vn`) {
      const password = 'password-123';
      await api.db.query(`INSERT INTO users (email, name, password_hash, role, unit_id) VALUES ($1, $2, $3, $4, $5)`, [
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
  };
}
