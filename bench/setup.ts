/**
 * What every benchmark script shares: its own database (migrated like a release job would),
 * the API in this process or a client of one in another, timing and table helpers.
 */
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { Client, Pool } from 'pg';
import { migrateDatabase } from '@app/core';
import { DUE_DATES_SQL } from '@app/plan/plans.repository';
import { createApp } from '../apps/api/src/create-app';

/** The server the benchmarks create their databases on (a maintenance database URL). */
export const BENCH_PG_URL =
  process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export function databaseUrl(name: string): string {
  const url = new URL(BENCH_PG_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function adminQuery(sql: string): Promise<void> {
  const client = new Client({ connectionString: BENCH_PG_URL, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * The ordinary role the product connects as (as in the tests and in production: no superuser,
 * owner of its database). The benchmark's databases are owned by it, migrated and used as it.
 */
export const BENCH_APP_ROLE = process.env.BENCH_APP_ROLE ?? process.env.TEST_APP_ROLE ?? 'ct_app';

/** Creates the app's role if missing: LOGIN, not a superuser, may not create roles or databases. */
export async function ensureAppRole(): Promise<void> {
  await adminQuery(
    `DO $$ BEGIN
       IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${BENCH_APP_ROLE}') THEN
         CREATE ROLE ${BENCH_APP_ROLE} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE;
       END IF;
     EXCEPTION WHEN duplicate_object THEN NULL;
     END $$`,
  );
}

/** The database `name` as the app's ordinary role (BENCH_APP_PASSWORD when the server asks for one). */
export function appDatabaseUrl(name: string): string {
  const url = new URL(databaseUrl(name));
  url.username = BENCH_APP_ROLE;
  url.password = process.env.BENCH_APP_PASSWORD ?? '';
  return url.toString();
}

/**
 * A fresh, empty database with a random name, owned by the app's ordinary role: `url` connects as
 * the maintenance (superuser) role, `appUrl` as the app's role; `drop()` removes it (idempotent).
 */
export async function createBenchDatabase(prefix: string): Promise<{ name: string; url: string; appUrl: string; drop(): Promise<void> }> {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  await ensureAppRole();
  await adminQuery(`CREATE DATABASE ${name} OWNER ${BENCH_APP_ROLE}`);
  let dropped = false;
  return {
    name,
    url: databaseUrl(name),
    appUrl: appDatabaseUrl(name),
    async drop() {
      if (dropped) return;
      dropped = true;
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

/** A fresh database with the product's migrations applied as the app's role, on a connection of their own (as a release job would). */
export async function createMigratedBenchDatabase(
  prefix: string,
): Promise<{ name: string; url: string; appUrl: string; drop(): Promise<void> }> {
  const db = await createBenchDatabase(prefix);
  try {
    await migrateDatabase(db.appUrl);
  } catch (error) {
    await db.drop();
    throw error;
  }
  return db;
}

export interface ApiClient {
  base: string;
  /** One request; the body parsed as JSON when it is JSON. */
  call(method: string, path: string, token: string | null, body?: unknown): Promise<{ status: number; body: any }>;
  /** As `call`, for a request that must succeed: its body, or an error naming the status. */
  ok(method: string, path: string, token: string | null, body?: unknown): Promise<any>;
  /** A bearer token for the user. */
  login(email: string, password: string): Promise<string>;
}

/**
 * A client of the API at `base` (requests time out after `timeoutMs`). node:http with keep-alive
 * connections rather than fetch: the load generator shares the machine's 2 cores with the API and
 * PostgreSQL, and fetch's web streams cost it ~1.5 ms of CPU per request (measured), which the
 * transitions benchmark would count against the product.
 */
export function apiClient(base: string, timeoutMs = 900_000): ApiClient {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const origin = new URL(base);
  const send = (method: string, path: string, token: string | null, payload: string | undefined) =>
    new Promise<{ status: number; text: string }>((resolveSend, rejectSend) => {
      const headers: Record<string, string | number> = {};
      if (payload !== undefined) {
        headers['content-type'] = 'application/json';
        headers['content-length'] = Buffer.byteLength(payload);
      }
      if (token) headers.authorization = `Bearer ${token}`;
      const req = httpRequest({ host: origin.hostname, port: origin.port, method, path, headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolveSend({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', rejectSend);
      });
      req.setTimeout(timeoutMs, () => req.destroy(new Error(`${method} ${path}: no answer in ${timeoutMs} ms`)));
      req.on('error', rejectSend);
      req.end(payload);
    });
  const call: ApiClient['call'] = async (method, path, token, body) => {
    const res = await send(method, path, token, body === undefined ? undefined : JSON.stringify(body));
    let parsed: unknown = res.text;
    try {
      parsed = res.text ? JSON.parse(res.text) : undefined;
    } catch {
      /* not JSON: keep the text */
    }
    return { status: res.status, body: parsed as any };
  };
  const ok: ApiClient['ok'] = async (method, path, token, body) => {
    const res = await call(method, path, token, body);
    if (res.status >= 300) throw new Error(`${method} ${path}: HTTP ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
    return res.body;
  };
  return {
    base,
    call,
    ok,
    login: async (email, password) =>
      ((await ok('POST', '/api/auth/login', null, { email, password })) as { accessToken: string }).accessToken,
  };
}

/**
 * The API in this process (createApp, as the tests start it) on a random local port, against the
 * database and environment in `env` (DATABASE_URL, ADMIN_* …); migrations are not run on start.
 */
export async function startInProcessApi(env: Record<string, string>): Promise<{ app: NestFastifyApplication; client: ApiClient }> {
  Object.assign(process.env, { LOG_LEVEL: 'silent', DB_MIGRATIONS_RUN: 'false', ...env });
  const app = await createApp();
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address();
  return { app, client: apiClient(`http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`) };
}

/**
 * Congress dates inside each tier's window (spread evenly by a hash of the id) and a contact email
 * on every unit: a realistic national state to measure deadlines and reminders on.
 */
export const SPREAD_CONGRESS_DATES_SQL = `
    UPDATE units u SET congress_date = w.f + (abs(hashint4(u.id)) % (w.t - w.f + 1)),
           contact_emails = ARRAY['vanphong.' || lower(u.code) || '@dang.vn']
      FROM (VALUES ('cell', date '2025-01-01', date '2025-03-31'), ('grassroots', date '2025-04-01', date '2025-06-30'),
                   ('district', date '2025-07-01', date '2025-08-31'), ('province', date '2025-09-01', date '2025-10-31'),
                   ('central', date '2026-01-19', date '2026-01-23')) w(tier, f, t)
     WHERE w.tier = u.tier`;

/**
 * A realistic day (set with SQL) as of `asOf`: congress dates in the tier windows, steps due before
 * asOf+8 completed except ~10% of units behind, ~7.5% with steps due this week open; a few thousand
 * congress records.
 */
export async function setRealisticState(pg: Pool, asOf: string): Promise<void> {
  await pg.query(SPREAD_CONGRESS_DATES_SQL);
  await pg.query(DUE_DATES_SQL.recomputeAll);
  await pg.query(
    `UPDATE unit_steps us SET status = CASE
        WHEN us.due_date < $1::date AND us.due_date >= $1::date - 40 AND abs(hashint4(us.unit_id + 7919)) % 100 < 10
          THEN CASE WHEN us.step_no IN (7, 10, 13) THEN 'awaiting_approval' WHEN us.step_no % 4 = 0 THEN 'returned' ELSE 'in_progress' END
        WHEN us.due_date >= $1::date AND us.due_date <= $1::date + 7 AND abs(hashint4(us.unit_id)) % 1000 < 75 THEN 'in_progress'
        WHEN us.due_date < $1::date + 8 THEN 'completed'
        ELSE 'not_started' END
      WHERE us.status = 'not_started'`,
    [asOf],
  );
  // Congress records: every cell whose congress was before AS_OF, a mix of 4-, 3- and 2-content congresses.
  await pg.query(
    `INSERT INTO congress_records (unit_id, held_on, kind, content1, content2, content3, content4, content_notes,
       committee_size, women, young, ethnic_minority, newly_elected, min_vote_pct, delegates_allocated, delegates_elected)
     SELECT u.id, u.congress_date, 'members', 'done', 'done',
            CASE WHEN u.id % 10 = 0 THEN 'not_applicable' ELSE 'done' END,
            CASE WHEN u.id % 25 = 0 THEN 'not_applicable' WHEN u.id % 40 = 0 THEN 'not_done' ELSE 'done' END,
            CASE WHEN u.id % 10 = 0 THEN '{"3":"khó khăn về nhân sự"}'::jsonb ELSE '{}'::jsonb END,
            5, 1 + u.id % 2, u.id % 2, u.id % 3 / 2, 2, 90 + u.id % 10, 3, 3 - (u.id % 40 = 0)::int
       FROM units u WHERE u.tier = 'cell' AND u.congress_date < $1::date AND u.id % 20 = 0`,
    [asOf],
  );
  await pg.query(`VACUUM ANALYZE unit_steps`);
  await pg.query(`ANALYZE units`);
}

/** Runs a script's main and exits: 0 when it resolves (open handles do not keep it alive), 1 with the error otherwise. */
export function runMain(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}

/** A Redis key prefix of its own for one run. */
export function benchPrefix(): string {
  return `ct-bench-${randomBytes(4).toString('hex')}`;
}

/**
 * Stops the process after `seconds` whatever happens, after running `cleanup` (bounded too),
 * so that a stuck benchmark never leaves its database behind.
 */
export function watchdog(seconds: number, cleanup: () => Promise<void>): NodeJS.Timeout {
  const timer = setTimeout(() => {
    console.error(`\nTimed out after ${seconds} s: cleaning up and exiting.`);
    const hard = setTimeout(() => process.exit(2), 30_000);
    hard.unref();
    cleanup()
      .catch((e) => console.error('cleanup failed:', e))
      .finally(() => process.exit(2));
  }, seconds * 1000);
  timer.unref();
  return timer;
}

/** Resident set size now, in MB. */
export function rssMb(): number {
  return process.memoryUsage.rss() / 1024 / 1024;
}

/** Resets the kernel's peak-RSS mark of this process (Linux); false when not possible. */
export function resetPeakRss(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

/** The kernel's peak RSS of this process since start or the last reset (VmHWM), in MB. */
export function peakRssMb(): number | null {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Prints rows as an aligned text table (first column left-aligned, the others right-aligned). */
export function printTable(headers: string[], rows: (string | number)[][]): void {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(line(headers));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of cells.slice(1)) console.log(line(r));
}

/** A free TCP port on 127.0.0.1 (for an API started as a child process). */
export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => ok(port));
    });
    server.on('error', fail);
  });
}

/** Polls `check` every 200 ms until it holds (a failed check counts as not yet), or fails after `timeoutMs`. */
export async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out after ${timeoutMs} ms`);
}
