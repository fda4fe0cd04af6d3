/**
 * Where the machine's CPU goes during a load: the API process, the load generator (this process),
 * every PostgreSQL process, and the rest of the machine (the kernel's loopback, Redis, other work),
 * read from /proc (Linux). Used by the transitions benchmark to say, per transition, how many
 * milliseconds of CPU each part spent — the figures a ratio against raw SQL is made of on 2 cores.
 * Optionally (BENCH_PG_STATS=1, with pg_stat_statements preloaded on the server) the statements
 * PostgreSQL spent that time on, with planning and execution apart.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { Pool } from 'pg';

const TICK_MS = 10; // USER_HZ is 100 on Linux

function ticksOf(pid: number | string): number {
  try {
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0; // the process has ended
  }
}

/** Ticks of every PostgreSQL process, by pid (a connection that ends between two samples is left out of both). */
function postgresTicks(): Map<string, number> {
  const ticks = new Map<string, number>();
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres') ticks.set(pid, ticksOf(pid));
    } catch {
      /* gone */
    }
  }
  return ticks;
}

function machineBusyTicks(): number {
  const [cpu] = readFileSync('/proc/stat', 'utf8').split('\n');
  const v = cpu.split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal: busy = all but idle and iowait
  return v[0] + v[1] + v[2] + v[5] + v[6] + v[7];
}

export interface CpuSample {
  api: number;
  generator: number;
  postgres: Map<string, number>;
  machine: number;
}

export function cpuSample(apiPid: number): CpuSample {
  const self = process.cpuUsage();
  return {
    api: ticksOf(apiPid) * TICK_MS,
    generator: (self.user + self.system) / 1000,
    postgres: postgresTicks(),
    machine: machineBusyTicks() * TICK_MS,
  };
}

/** CPU ms per operation between two samples, by part; `other` is the machine's busy time not in the three. */
export function cpuPerOperation(before: CpuSample, after: CpuSample, operations: number) {
  const n = Math.max(1, operations);
  const api = (after.api - before.api) / n;
  const generator = (after.generator - before.generator) / n;
  let postgresTicksUsed = 0;
  // A connection opened during the load counts whole; one that ended during it is lost (rare under load).
  for (const [pid, t] of after.postgres) postgresTicksUsed += t - (before.postgres.get(pid) ?? 0);
  const postgres = (postgresTicksUsed * TICK_MS) / n;
  const machine = (after.machine - before.machine) / n;
  return { api, generator, postgres, other: Math.max(0, machine - api - generator - postgres), machine };
}

export function formatCpu(c: ReturnType<typeof cpuPerOperation>): string {
  const f = (v: number) => v.toFixed(2);
  return `CPU per transition: API ${f(c.api)} ms, PostgreSQL ${f(c.postgres)} ms, load generator ${f(c.generator)} ms, other ${f(c.other)} ms`;
}

/** pg_stat_statements of one database, when BENCH_PG_STATS=1 and the server preloads it (as a superuser connection). */
export async function statementStats(admin: Pool, database: string, reset: boolean) {
  if (process.env.BENCH_PG_STATS !== '1') return null;
  try {
    await admin.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    const { rows } = await admin.query(
      `SELECT s.calls::int, round(s.total_exec_time::numeric / s.calls, 3)::float AS "execMs",
              round(s.total_plan_time::numeric / s.calls, 3)::float AS "planMs", s.toplevel,
              left(regexp_replace(s.query, '\\s+', ' ', 'g'), 90) AS query
         FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
        WHERE d.datname = $1 AND s.calls > 100
        ORDER BY s.total_exec_time + s.total_plan_time DESC LIMIT 10`,
      [database],
    );
    if (reset) await admin.query('SELECT pg_stat_statements_reset()');
    return rows as { calls: number; execMs: number; planMs: number; toplevel: boolean; query: string }[];
  } catch (error) {
    console.log(`  (pg_stat_statements not available: ${(error as Error).message})`);
    return null;
  }
}
