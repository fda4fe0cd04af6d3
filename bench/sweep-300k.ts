/**
 * The reminder sweep on a national tree, for the closing note of the reminders issue: sweep time
 * and the Redis memory it takes (the mail jobs it enqueues stay waiting: no worker runs, so this
 * is the peak), against the Redis memory one delayed BullMQ job per deadline would take
 * (measured per job on 10,000 real jobs, then extrapolated).
 *
 *   flock /tmp/bench.lock npx ts-node -r tsconfig-paths/register --transpile-only bench/sweep-300k.ts
 *
 * Steps: its own database (dropped at the end) and its own REDIS_PREFIX (its keys deleted at the
 * end; other prefixes on the shared Redis are never touched); the API in this process; 300,000
 * units imported through POST /api/units/import; congress dates inside each tier's window; the
 * default plan activated through the API (the product computes every due date); then a realistic
 * day set with SQL: steps due before the day completed, ~10% of units with open overdue steps,
 * ~7.5% with an open step due in D-7/D-3/D-1/today, later steps not started; contact emails on
 * every unit, a supervisor on every committee and an editor on every commune.
 *
 * Env: BENCH_UNITS (300000), BENCH_AS_OF (2025-02-17), BENCH_DUE_SOON_SHARE (0.075),
 * BENCH_OVERDUE_SHARE (0.10), BENCH_DELAYED_JOBS (10000), BENCH_TIMEOUT_S (1800), BENCH_EXPLAIN=1 (plans of the sweep SQL),
 * BENCH_DATABASE_URL, REDIS_URL (redis://127.0.0.1:6379), DVHCVN_PATH.
 * Writes bench/results/sweep-latest.json.
 */
import 'reflect-metadata';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { DataSource } from 'typeorm';
import { MailQueue, NotificationsService, RETENTION } from '@app/notifications';
import { SWEEP_SQL } from '@app/notifications/notifications.repository';
import { createMigratedBenchDatabase, printTable, SPREAD_CONGRESS_DATES_SQL, rssMb, startInProcessApi, watchdog, runMain } from './setup';
import { nationalTree } from './national-tree';

const TOTAL = Number(process.env.BENCH_UNITS ?? 300_000);
const AS_OF = process.env.BENCH_AS_OF ?? '2025-02-17';
const DUE_SOON_SHARE = Number(process.env.BENCH_DUE_SOON_SHARE ?? 0.075);
const OVERDUE_SHARE = Number(process.env.BENCH_OVERDUE_SHARE ?? 0.1);
const DELAYED_JOBS = Number(process.env.BENCH_DELAYED_JOBS ?? 10_000);
const RUN_TIMEOUT_S = Number(process.env.BENCH_TIMEOUT_S ?? 1800);
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PREFIX = `ct-bench-sweep-${randomBytes(4).toString('hex')}`;
/** The queue of the one-delayed-job-per-deadline design, under a prefix of its own. */
const DELAYED_PREFIX = `${PREFIX}-delayed`;
const ADMIN_EMAIL = 'bench-admin@bench.vn';
const ADMIN_PASSWORD = `bench-${randomBytes(6).toString('hex')}`;
const STEPS_PER_UNIT = 15;
const REMINDERS_PER_STEP = 4; // D-7, D-3, D-1 and the day itself
const MB = 1024 * 1024;

// ---- timing of the sweep's parts (DataSource.query and MailQueue.enqueuePending, this process) ----
const sqlName = new Map<string, string>(Object.entries(SWEEP_SQL).map(([k, v]) => [v, k]));
const partMs: Record<string, number> = {};
let timingOn = false;
const originalQuery = DataSource.prototype.query;
DataSource.prototype.query = async function (this: DataSource, ...args: Parameters<typeof originalQuery>) {
  const t0 = performance.now();
  try {
    return await originalQuery.apply(this, args);
  } finally {
    const name = sqlName.get(args[0]);
    if (timingOn && name) partMs[`sql ${name}`] = (partMs[`sql ${name}`] ?? 0) + performance.now() - t0;
  }
} as typeof originalQuery;
const originalEnqueuePending = MailQueue.prototype.enqueuePending;
MailQueue.prototype.enqueuePending = async function (this: MailQueue, ...args: Parameters<typeof originalEnqueuePending>) {
  const t0 = performance.now();
  try {
    return await originalEnqueuePending.apply(this, args);
  } finally {
    if (timingOn)
      partMs['enqueuePending (incl. its sql pending)'] = (partMs['enqueuePending (incl. its sql pending)'] ?? 0) + performance.now() - t0;
  }
};

// ---- Redis measurement: only keys of our own prefixes ----------------------------------------
interface PrefixUsage {
  keys: number;
  bytes: number;
  /** Bytes by key kind: the part of the key after `prefix:queue:` when it is not a job id. */
  byKind: Record<string, { keys: number; bytes: number }>;
}

async function scanKeys(redis: Redis, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 5000);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  return keys;
}

/** MEMORY USAGE (all nested values sampled) of every key of the prefix, grouped by kind. */
async function prefixUsage(redis: Redis, prefix: string): Promise<PrefixUsage> {
  const keys = await scanKeys(redis, prefix);
  const usage: PrefixUsage = { keys: keys.length, bytes: 0, byKind: {} };
  for (let i = 0; i < keys.length; i += 1000) {
    const batch = keys.slice(i, i + 1000);
    const pipeline = redis.pipeline();
    for (const k of batch) pipeline.memory('USAGE', k, 'SAMPLES', 0);
    const results = (await pipeline.exec()) ?? [];
    batch.forEach((k, j) => {
      const bytes = Number(results[j]?.[1] ?? 0);
      const rest = k
        .slice(prefix.length + 1)
        .split(':')
        .slice(1);
      const kind = rest.length > 1 ? rest.slice(1).join(':') || 'job' : /^[a-z-]+$/.test(rest[0] ?? '') ? rest[0] : 'job hash';
      const e = (usage.byKind[kind] ??= { keys: 0, bytes: 0 });
      e.keys++;
      e.bytes += bytes;
      usage.bytes += bytes;
    });
  }
  return usage;
}

async function deletePrefix(redis: Redis, prefix: string): Promise<number> {
  const keys = await scanKeys(redis, prefix);
  for (let i = 0; i < keys.length; i += 1000) await redis.unlink(...keys.slice(i, i + 1000));
  return keys.length;
}

async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? NaN);
}

/** Samples the server's used_memory every 50 ms until stopped; returns the maximum seen. */
function memorySampler(redis: Redis): { stop(): Promise<number> } {
  let max = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      max = Math.max(max, await usedMemory(redis));
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return max;
    },
  };
}

const mb = (bytes: number) => (bytes / MB).toFixed(1);
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

async function main(): Promise<void> {
  const db = await createMigratedBenchDatabase('ct_bench_sweep');
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 3 });
  let app: NestFastifyApplication | undefined;
  let delayedQueue: Queue | undefined;
  let cleaned = false;
  const cleanup = async () => {
    if (cleaned) return;
    cleaned = true;
    await delayedQueue?.close().catch(() => undefined);
    await app?.close().catch(() => undefined);
    for (const p of [PREFIX, DELAYED_PREFIX]) {
      const n = await deletePrefix(redis, p).catch(() => -1);
      console.log(`Deleted ${n} Redis keys of ${p}`);
    }
    await db.drop();
    console.log(`Dropped database ${db.name}`);
    redis.disconnect();
  };
  watchdog(RUN_TIMEOUT_S, cleanup);
  const result: Record<string, unknown> = {
    at: new Date().toISOString(),
    units: TOTAL,
    asOf: AS_OF,
    redisPrefix: PREFIX,
    loadAverageAtStart: load(),
  };
  try {
    const started = await startInProcessApi({
      DATABASE_URL: db.appUrl,
      REDIS_URL,
      REDIS_PREFIX: PREFIX,
      ADMIN_EMAIL,
      ADMIN_PASSWORD,
      REMINDER_DAYS_BEFORE: '7,3,1',
      OVERDUE_EVERY_DAYS: '3',
      ESCALATE_AFTER_DAYS: '7',
    });
    app = started.app;
    const call = started.client.ok;
    const ds = app.get(DataSource);

    // ---- setup through the product ----------------------------------------------------------
    const token = (await call('POST', '/api/auth/login', null, { email: ADMIN_EMAIL, password: ADMIN_PASSWORD })).accessToken as string;
    const tree = nationalTree(TOTAL);
    let t0 = performance.now();
    const imported = await call('POST', '/api/units/import', token, tree.rows);
    const importS = (performance.now() - t0) / 1000;
    console.log(`Import (API): ${JSON.stringify(imported).slice(0, 120)} in ${importS.toFixed(1)} s (source ${tree.source})`);

    // Congress dates inside each tier's window (spread evenly by a hash of the id), contact
    // emails on every unit, a supervisor on every committee and an editor on every commune.
    t0 = performance.now();
    await ds.query(SPREAD_CONGRESS_DATES_SQL);
    await ds.query(`
      INSERT INTO users (email, name, password_hash, role, unit_id)
      SELECT 'bithu.' || lower(code) || '@dang.vn', 'Bí thư ' || name, 'bench-no-login', 'supervisor', id
        FROM units WHERE tier IN ('province', 'district', 'grassroots')
      UNION ALL
      SELECT 'vanthu.' || lower(code) || '@dang.vn', 'Văn thư ' || name, 'bench-no-login', 'editor', id
        FROM units WHERE tier = 'grassroots'`);
    const datesS = (performance.now() - t0) / 1000;

    const plan = await call('POST', '/api/plans', token, { code: 'DH-2025', name: 'Đại hội nhiệm kỳ 2025–2030' });
    const [{ id: rootId }]: { id: number }[] = await ds.query(`SELECT id FROM units WHERE parent_id IS NULL`);
    t0 = performance.now();
    const activated = await call('POST', `/api/plans/${plan.id}/activate`, token, { rootUnitId: rootId });
    const activateS = (performance.now() - t0) / 1000;
    console.log(`Plan activation (API): ${activated.units} units / ${activated.steps} steps in ${activateS.toFixed(1)} s`);

    // ---- the day's state, with SQL --------------------------------------------------------------
    // Overdue group: ~OVERDUE_SHARE of units keep their steps due in the 40 days before the day open.
    // Due-soon group: of the units with a step due in D-7/D-3/D-1/today, enough to make
    // ~DUE_SOON_SHARE of all units keep their steps due this week open. Everything else due
    // before the next 8 days is completed (early steps done; the rest finished ahead of time).
    t0 = performance.now();
    const [{ candidates }]: { candidates: number }[] = await ds.query(
      `SELECT count(DISTINCT unit_id)::int AS candidates FROM unit_steps WHERE due_date - $1::date IN (0, 1, 3, 7)`,
      [AS_OF],
    );
    const [{ late }]: { late: number }[] = await ds.query(
      `SELECT count(DISTINCT unit_id)::int AS late FROM unit_steps WHERE due_date < $1::date AND due_date >= $1::date - 40`,
      [AS_OF],
    );
    const perMille = (share: number, of: number) => Math.min(1000, Math.round((share * (TOTAL + 1) * 1000) / Math.max(1, of)));
    const dueSoonPerMille = perMille(DUE_SOON_SHARE, candidates);
    const overduePerMille = perMille(OVERDUE_SHARE, late);
    // In slices of units: the step-count triggers take a lock per unit changed, and one
    // statement over 4.5 million rows would exhaust the server's lock table.
    const [{ maxId }]: { maxId: number }[] = await ds.query(`SELECT max(id)::int AS "maxId" FROM units`);
    for (let from = 0; from <= maxId; from += 1000) {
      await ds.query(
        `UPDATE unit_steps us SET status = CASE
            WHEN us.due_date < $1::date AND us.due_date >= $1::date - 40 AND abs(hashint4(us.unit_id + 7919)) % 1000 < $2
              THEN CASE WHEN us.step_no % 4 = 0 THEN 'returned' ELSE 'in_progress' END
            WHEN us.due_date >= $1::date AND us.due_date <= $1::date + 7 AND abs(hashint4(us.unit_id)) % 1000 < $3
              THEN 'in_progress'
            WHEN us.due_date < $1::date + 8 THEN 'completed'
            ELSE 'not_started' END
          WHERE us.unit_id > $4 AND us.unit_id <= $4 + 1000`,
        [AS_OF, overduePerMille, dueSoonPerMille, from],
      );
    }
    await ds.query(`VACUUM ANALYZE unit_steps`);
    await ds.query(`VACUUM ANALYZE units`);
    await ds.query(`VACUUM ANALYZE users`);
    const mixS = (performance.now() - t0) / 1000;
    const [mix]: Record<string, number>[] = await ds.query(
      `WITH open AS (SELECT * FROM unit_steps WHERE status NOT IN ('completed', 'skipped'))
       SELECT (SELECT count(*)::int FROM units) AS units,
              (SELECT count(*)::int FROM unit_steps) AS steps,
              (SELECT count(*)::int FROM unit_steps WHERE status = 'completed') AS "stepsCompleted",
              (SELECT count(*)::int FROM open) AS "stepsOpen",
              (SELECT count(DISTINCT unit_id)::int FROM open WHERE due_date - $1::date IN (0, 1, 3, 7)) AS "unitsDueSoon",
              (SELECT count(*)::int FROM open WHERE due_date - $1::date IN (0, 1, 3, 7)) AS "stepsDueSoon",
              (SELECT count(DISTINCT unit_id)::int FROM open WHERE due_date < $1::date) AS "unitsOverdue",
              (SELECT count(*)::int FROM open WHERE due_date < $1::date) AS "stepsOverdue",
              (SELECT count(DISTINCT unit_id)::int FROM open WHERE due_date < $1::date AND ($1::date - due_date - 1) % 3 = 0)
                AS "unitsOverdueRemindedToday",
              (SELECT count(DISTINCT unit_id)::int FROM open WHERE due_date < $1::date - 7) AS "unitsOverdueOver7Days"`,
      [AS_OF],
    );
    const pct = (n: number) => `${((100 * n) / mix.units).toFixed(1)}%`;
    console.log(
      `Day ${AS_OF}: ${mix.units} units, ${mix.steps} steps (${mix.stepsCompleted} completed, ${mix.stepsOpen} open); ` +
        `due in D-7/D-3/D-1/today: ${mix.unitsDueSoon} units (${pct(mix.unitsDueSoon)}), ${mix.stepsDueSoon} steps; ` +
        `overdue: ${mix.unitsOverdue} units (${pct(mix.unitsOverdue)}), ${mix.stepsOverdue} steps; ` +
        `overdue on today's cadence: ${mix.unitsOverdueRemindedToday} units; overdue > 7 days: ${mix.unitsOverdueOver7Days} units`,
    );
    result.setup = {
      importS,
      datesAndUsersS: datesS,
      activateS,
      mixS,
      activation: activated,
      unitsWithAStepDueOnAReminderDay: candidates,
      unitsWithAStepDueInThe40DaysBefore: late,
      mix,
    };

    // ---- BENCH_EXPLAIN=1: the plans of the sweep's SQL, run and rolled back ------------------------
    if (process.env.BENCH_EXPLAIN === '1') {
      const days = [7, 3, 1];
      const plans: Record<string, string> = {};
      for (const [name, params] of [
        ['reminders', [AS_OF, days, 3]],
        ['escalations', [AS_OF, days, 3, 7]],
      ] as const) {
        const runner = ds.createQueryRunner();
        await runner.startTransaction();
        try {
          const rows: { 'QUERY PLAN': string }[] = await runner.query(
            `EXPLAIN (ANALYZE, BUFFERS) ${SWEEP_SQL[name]}`,
            params as unknown as unknown[],
          );
          plans[name] = rows.map((r) => r['QUERY PLAN']).join('\n');
        } finally {
          await runner.rollbackTransaction();
          await runner.release();
        }
        console.log(`\nEXPLAIN ANALYZE ${name}:\n${plans[name]}\n`);
      }
      result.explain = plans;
    }

    // ---- the sweep ------------------------------------------------------------------------------
    const notifications = app.get(NotificationsService);
    const sweepOnce = async (label: string) => {
      const redisBefore = await prefixUsage(redis, PREFIX);
      const usedBefore = await usedMemory(redis);
      const sampler = memorySampler(redis);
      for (const k of Object.keys(partMs)) delete partMs[k];
      const loadBefore = load();
      timingOn = true;
      const s0 = performance.now();
      const out = await notifications.sweep(AS_OF);
      const seconds = (performance.now() - s0) / 1000;
      timingOn = false;
      const usedPeak = await sampler.stop();
      const usedAfter = await usedMemory(redis);
      const redisAfter = await prefixUsage(redis, PREFIX);
      const [counts]: Record<string, number>[] = await ds.query(
        `SELECT count(*) FILTER (WHERE kind = 'reminder')::int AS reminders, count(*) FILTER (WHERE kind = 'escalation')::int AS escalations,
                count(*) FILTER (WHERE status = 'pending')::int AS pending, count(*) FILTER (WHERE status = 'skipped')::int AS skipped,
                coalesce(sum(pg_column_size(payload)), 0)::bigint AS "payloadBytes"
           FROM notifications`,
      );
      const waiting = await redis.llen(`${PREFIX}:mail:wait`);
      const r = {
        label,
        seconds,
        loadBefore,
        loadAfter: load(),
        parts: Object.fromEntries(Object.entries(partMs).map(([k, v]) => [k, Math.round(v)])),
        result: out,
        rowsInDb: counts,
        mailJobsWaiting: waiting,
        redisPrefix: { before: redisBefore, after: redisAfter },
        redisUsedMemory: { before: usedBefore, peakSampled: Math.max(usedPeak, usedAfter), after: usedAfter },
      };
      console.log(
        `${label}: ${seconds.toFixed(2)} s ${JSON.stringify(out)} parts ${JSON.stringify(r.parts)}; prefix ${mb(redisBefore.bytes)} → ${mb(
          redisAfter.bytes,
        )} MB (${redisAfter.keys} keys); server used_memory ${mb(usedBefore)} → peak ${mb(r.redisUsedMemory.peakSampled)} → ${mb(
          usedAfter,
        )} MB; load ${r.loadAfter}`,
      );
      return r;
    };
    const first = await sweepOnce('sweep (first run of the day)');
    const again = await sweepOnce('sweep again, same day (nothing new)');
    result.sweep = first;
    result.sweepAgain = again;
    result.rssMbAfterSweeps = Math.round(rssMb());

    // ---- one delayed BullMQ job per deadline: measured per job ---------------------------------
    // The design the architecture rejects: for each open step, one delayed job per reminder
    // (D-7, D-3, D-1, the day), with an id to find it again when the deadline moves, and the
    // same retry/retention options as the mail jobs.
    const steps: { unitId: number; stepNo: number; dueDate: string }[] = await ds.query(
      `SELECT unit_id AS "unitId", step_no AS "stepNo", to_char(due_date, 'YYYY-MM-DD') AS "dueDate" FROM unit_steps
        WHERE status NOT IN ('completed', 'skipped') AND due_date IS NOT NULL ORDER BY unit_id, step_no LIMIT $1`,
      [Math.ceil(DELAYED_JOBS / REMINDERS_PER_STEP)],
    );
    delayedQueue = new Queue('reminders', {
      connection: { host: new URL(REDIS_URL).hostname, port: Number(new URL(REDIS_URL).port || 6379) },
      prefix: DELAYED_PREFIX,
    });
    await delayedQueue.waitUntilReady();
    const kinds = [
      { kind: 'd-7', days: 7 },
      { kind: 'd-3', days: 3 },
      { kind: 'd-1', days: 1 },
      { kind: 'due', days: 0 },
    ];
    const jobs = steps
      .flatMap((s) => kinds.map((k) => ({ s, k })))
      .slice(0, DELAYED_JOBS)
      .map(({ s, k }) => {
        // 08:00 in Vietnam on the reminder day; far enough in the future that every job stays delayed.
        const at = Date.parse(`${s.dueDate}T08:00:00+07:00`) - k.days * 86_400_000;
        return {
          name: 'reminder',
          data: { unitId: s.unitId, stepNo: s.stepNo, dueDate: s.dueDate, kind: k.kind },
          opts: {
            jobId: `reminder-${s.unitId}-${s.stepNo}-${k.kind}`,
            delay: Math.max(at - Date.now(), 0) + 365 * 86_400_000,
            attempts: 6,
            backoff: { type: 'exponential', delay: 2000 },
            ...RETENTION,
          },
        };
      });
    const delayedBefore = await prefixUsage(redis, DELAYED_PREFIX);
    const usedBeforeDelayed = await usedMemory(redis);
    t0 = performance.now();
    for (let i = 0; i < jobs.length; i += 1000) await delayedQueue.addBulk(jobs.slice(i, i + 1000));
    const addS = (performance.now() - t0) / 1000;
    const usedAfterDelayed = await usedMemory(redis);
    const delayedAfter = await prefixUsage(redis, DELAYED_PREFIX);
    const delayedCount = await delayedQueue.getDelayedCount();
    const events = delayedAfter.byKind['events']?.bytes ?? 0;
    const perJobAll = (delayedAfter.bytes - delayedBefore.bytes) / jobs.length;
    // The events stream is capped (~10,000 entries): it does not grow with the number of jobs.
    const perJobScaling = (delayedAfter.bytes - delayedBefore.bytes - events) / jobs.length;
    const perJobUsedMemory = (usedAfterDelayed - usedBeforeDelayed) / jobs.length;
    const deadlines = TOTAL * STEPS_PER_UNIT * REMINDERS_PER_STEP;
    const extrapolated = perJobScaling * deadlines + events;
    result.delayedJobs = {
      jobs: jobs.length,
      delayedCount,
      addSeconds: addS,
      prefix: { before: delayedBefore, after: delayedAfter },
      usedMemory: { before: usedBeforeDelayed, after: usedAfterDelayed },
      perJobBytes: {
        prefixMemoryUsage: perJobAll,
        prefixMemoryUsageWithoutCappedEventStream: perJobScaling,
        usedMemoryDelta: perJobUsedMemory,
      },
      extrapolated: {
        note: 'extrapolated, not measured: per-job bytes (without the capped events stream) × units × 15 steps × 4 reminders + the stream',
        jobs: deadlines,
        bytes: extrapolated,
        byUsedMemoryDelta: perJobUsedMemory * deadlines,
      },
      sampleJob: jobs[0],
    };
    console.log(
      `${jobs.length} delayed jobs (${delayedCount} delayed) in ${addS.toFixed(1)} s: prefix ${mb(delayedBefore.bytes)} → ${mb(delayedAfter.bytes)} MB; ` +
        `${perJobAll.toFixed(0)} B/job (${perJobScaling.toFixed(0)} without the events stream), used_memory delta ${perJobUsedMemory.toFixed(0)} B/job`,
    );
    await delayedQueue.obliterate({ force: true }).catch(() => undefined);

    // ---- the table ----------------------------------------------------------------------------
    result.loadAverageAtEnd = load();
    const s = first;
    const rows: (string | number)[][] = [
      ['units / steps', `${mix.units} / ${mix.steps}`],
      ['units with an open step due D-7/D-3/D-1/today', `${mix.unitsDueSoon} (${pct(mix.unitsDueSoon)})`],
      [
        'units with open overdue steps',
        `${mix.unitsOverdue} (${pct(mix.unitsOverdue)}); ${mix.unitsOverdueRemindedToday} on today's cadence`,
      ],
      ['sweep wall time (first run of the day)', `${s.seconds.toFixed(2)} s`],
      ['  of which reminders SQL / escalations SQL', `${s.parts['sql reminders'] ?? '?'} ms / ${s.parts['sql escalations'] ?? '?'} ms`],
      ['  of which enqueuePending (addBulk)', `${s.parts['enqueuePending (incl. its sql pending)'] ?? '?'} ms`],
      ['notifications created (reminders + escalations)', `${s.result.notifications} + ${s.result.escalations}`],
      ['mail jobs enqueued / waiting in Redis', `${s.result.enqueued} / ${s.mailJobsWaiting}`],
      ['Redis, this prefix, before sweep', `${mb(s.redisPrefix.before.bytes)} MB (${s.redisPrefix.before.keys} keys)`],
      ['Redis, this prefix, after = peak (no worker)', `${mb(s.redisPrefix.after.bytes)} MB (${s.redisPrefix.after.keys} keys)`],
      [
        'Redis server used_memory before / peak / after',
        `${mb(s.redisUsedMemory.before)} / ${mb(s.redisUsedMemory.peakSampled)} / ${mb(s.redisUsedMemory.after)} MB (shared server)`,
      ],
      [
        'sweep again same day',
        `${again.seconds.toFixed(2)} s, ${JSON.stringify(again.result)}, prefix ${mb(again.redisPrefix.after.bytes)} MB`,
      ],
      [
        'one delayed job per deadline: measured per job',
        `${perJobAll.toFixed(0)} B (${perJobScaling.toFixed(0)} B without the capped events stream; used_memory delta ${perJobUsedMemory.toFixed(0)} B)`,
      ],
      [
        `  extrapolated to ${TOTAL} × ${STEPS_PER_UNIT} × ${REMINDERS_PER_STEP} = ${deadlines} jobs`,
        `${(extrapolated / 1024 ** 3).toFixed(2)} GiB (EXTRAPOLATED)`,
      ],
      ['load average start / end', `${result.loadAverageAtStart} / ${result.loadAverageAtEnd}`],
    ];
    console.log('');
    const width = Math.max(...rows.map((r) => String(r[0]).length));
    for (const [k, v] of rows) console.log(`${String(k).padEnd(width)}  ${v}`);
    for (const [label, u] of [
      ['mail prefix after the sweep', s.redisPrefix.after],
      ['delayed-job prefix', delayedAfter],
    ] as const) {
      console.log(`\n${label}, by key kind:`);
      printTable(
        ['kind', 'keys', 'bytes'],
        Object.entries(u.byKind)
          .sort((a, b) => b[1].bytes - a[1].bytes)
          .map(([k, v]) => [k, v.keys, v.bytes]),
      );
    }
    const dir = resolve(__dirname, 'results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(resolve(dir, 'sweep-latest.json'), JSON.stringify(result, null, 2) + '\n');
    console.log(`\nWrote ${resolve(dir, 'sweep-latest.json')}`);
  } finally {
    await cleanup();
  }
}

runMain(main);
