/**
 * The Thái Bình demo's busiest reminder day, for the closing note of the notifications issue: the
 * sweep of that day (how many reminders go to a unit's own addresses, how many into a digest, how
 * many are skipped), then the daily digest, and the figures of the Vũ Thư district editor's digest
 * (how many units, how long the email).
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/<scratch> npm run seed:demo   # with ROOT_UNIT_TIER=province as in Docker
 *   DATABASE_URL=… npx ts-node -r tsconfig-paths/register --transpile-only bench/digest-demo.ts
 *
 * Env: DATABASE_URL (a database with the demo), REDIS_URL, BENCH_AS_OF (default: the day the most
 * Vũ Thư units are reminded), DIGEST_USER (editor.vuthu@thaibinh.example). Mail jobs go to a Redis
 * prefix of its own, deleted at the end; nothing is sent.
 */
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { CoreModule } from '@app/core';
import { NotificationsModule, NotificationsService, TemplateRenderer } from '@app/notifications';
import { printTable, runMain } from './setup';

@Module({ imports: [CoreModule, NotificationsModule] })
class DigestBenchModule {}

const PREFIX = `ct-bench-digest-${randomBytes(4).toString('hex')}`;

runMain(async () => {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL must name a database with the demo');
  const user = process.env.DIGEST_USER ?? 'editor.vuthu@thaibinh.example';
  Object.assign(process.env, { REDIS_PREFIX: PREFIX, LOG_LEVEL: 'warn', DB_MIGRATIONS_RUN: 'false' });
  const pg = new Client({ connectionString: url });
  await pg.connect();
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  try {
    const {
      rows: [me],
    } = await pg.query<{ id: number; unit_id: number; path: string }>(
      `SELECT r.id, r.unit_id, u.path FROM users r JOIN units u ON u.id = r.unit_id WHERE r.email = $1`,
      [user],
    );
    if (!me) throw new Error(`no user ${user}`);
    let asOf = process.env.BENCH_AS_OF;
    if (!asOf) {
      // The reminder rule of the sweep (D-7, D-3, D-1, the day, overdue every 3 days) counted per day over the plan's span.
      const { rows } = await pg.query<{ d: string; n: number }>(
        `WITH days AS (SELECT d::date AS d FROM generate_series((SELECT min(due_date) - 7 FROM unit_steps), (SELECT max(due_date) + 1 FROM unit_steps), interval '1 day') d)
         SELECT to_char(d, 'YYYY-MM-DD') AS d, (SELECT count(DISTINCT us.unit_id)::int FROM unit_steps us JOIN units u ON u.id = us.unit_id
             WHERE u.path LIKE $1 AND us.status NOT IN ('completed', 'skipped') AND us.due_date <= d + 7
               AND ((us.due_date - d) IN (7, 3, 1) OR us.due_date = d OR (us.due_date < d AND (d - us.due_date - 1) % 3 = 0))) AS n
           FROM days ORDER BY n DESC, d LIMIT 1`,
        [`${me.path}%`],
      );
      asOf = rows[0].d;
    }
    const app = await NestFactory.createApplicationContext(DigestBenchModule, { logger: ['warn', 'error'] });
    try {
      const notifications = app.get(NotificationsService);
      const t0 = performance.now();
      const sweep = await notifications.sweep(asOf);
      const sweepMs = performance.now() - t0;
      const t1 = performance.now();
      const digest = await notifications.digest(asOf);
      const digestMs = performance.now() - t1;
      const { rows: byStatus } = await pg.query<{ status: string; n: number }>(
        `SELECT status, count(*)::int AS n FROM notifications WHERE kind = 'reminder' AND key LIKE '%:' || $1 GROUP BY status ORDER BY status`,
        [asOf],
      );
      const {
        rows: [row],
      } = await pg.query<{ payload: { reminders: { total: number; groups: unknown[] } | null } }>(
        `SELECT payload FROM notifications WHERE key = $1`,
        [`digest:${me.id}:${asOf}`],
      );
      const mail = app.get(TemplateRenderer).render('digest', row.payload);
      console.log(
        `Sweep as of ${asOf}: ${JSON.stringify(sweep)} in ${sweepMs.toFixed(0)} ms; digest ${JSON.stringify(digest)} in ${digestMs.toFixed(0)} ms`,
      );
      printTable(
        ['reminders of the day', 'count'],
        byStatus.map((r) => [r.status, r.n]),
      );
      printTable(
        ['digest of ' + user, 'value'],
        [
          ['day', asOf],
          ['units listed', row.payload.reminders?.total ?? 0],
          ['groups (unit above)', row.payload.reminders?.groups.length ?? 0],
          ['subject', mail.subject],
          ['text: lines', mail.text.split('\n').length],
          ['text: characters', mail.text.length],
          ['html: bytes', Buffer.byteLength(mail.html)],
        ],
      );
      if (process.env.DIGEST_PRINT) console.log(mail.text);
    } finally {
      await app.close();
    }
  } finally {
    const keys = await redis.keys(`${PREFIX}:*`);
    for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
    redis.disconnect();
    await pg.end();
  }
});
