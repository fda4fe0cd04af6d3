import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import Redis from 'ioredis';
import { mailRetrySpanMs, toLocalDate } from '@app/core';
import { QUEUES } from '@app/notifications';
import { act, communes, completeBefore, plannedTree } from '../factories/workflow';
import {
  addUser,
  auditDelivery,
  clearDueDates,
  DeliveryAudit,
  notificationRows,
  setContacts,
  setDue,
  settle,
  sweep,
  vnDate,
  waitUntil,
} from '../factories/notifications';
import { OwnRedis, startOwnRedis } from '../setup/own-redis';
import { startSmtpSink, SmtpSink } from '../setup/smtp-sink';
import { startTestApp, TestApp } from '../setup/test-app';
import { MAIL_TEST_ENV } from '../setup/test-worker';
import { startWorkerProcess, WorkerProcess } from '../setup/worker-process';

/**
 * No email lost, none sent twice, with real faults on a real worker process: kill -9 mid-send, an
 * SMTP server down for longer than the old retry budget, PostgreSQL connections terminated in
 * bursts, Redis data flushed. Every case counts the messages the SMTP server received against the
 * notification rows (each message names its row in its Message-ID).
 */
describe('mail delivery under faults (worker process, SMTP server, Redis and PostgreSQL faults)', () => {
  /** Short, but the same shape as production: capped exponential backoff, a lease, a reclaim pass, schedules re-asserted. */
  const FAULT_ENV = {
    ...MAIL_TEST_ENV,
    MAIL_ATTEMPTS: '12',
    MAIL_BACKOFF_MS: '100',
    MAIL_BACKOFF_MAX_MS: '1000',
    MAIL_LEASE_MS: '5000',
    MAIL_RECLAIM_MS: '500',
    SCHEDULE_REASSERT_MS: '1000',
    // The sweep's fire time today (midnight in Vietnam) is always past: a worker that finds no run today catches it up.
    SWEEP_CRON: '0 0 * * *',
  };
  /** Before this change: 6 attempts, plain exponential backoff from the same first wait (100+200+…+1600 ms). */
  const OLD_ATTEMPTS = 6;
  const OLD_BUDGET_MS = [1, 2, 4, 8, 16].reduce((sum, k) => sum + 100 * k, 0);

  let t: TestApp;
  let smtp: SmtpSink;
  /** A redis-server of this file's own: the last case stops and restarts it. */
  let redisServer: OwnRedis;
  let worker: WorkerProcess;
  let ids: Record<string, number>;
  const table: Record<string, DeliveryAudit> = {};
  const contact = (i: number) => `vp.c${i}@test.vn`;
  const workerEnv = () => ({ ...FAULT_ENV, SMTP_URL: smtp.url, REDIS_URL: redisServer.url });
  const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, k) => from + k);
  const rowsOfDay = async (asOf: string) => (await notificationRows(t, 'reminder:')).filter((r) => r.key.endsWith(`:${asOf}`));

  async function dueOn(asOf: string, units: number[], days = 3): Promise<void> {
    for (const i of units) await setDue(t, ids[`C${i}`], asOf, { 6: days });
  }

  /** The mails of the rows whose key is LIKE one of `patterns`, against the SMTP server's messages. */
  async function audited(name: string, ...patterns: string[]): Promise<DeliveryAudit> {
    const audit: DeliveryAudit = { expected: 0, delivered: 0, duplicated: 0, lost: 0 };
    for (const pattern of patterns) {
      const a = await auditDelivery(t, smtp.messages, pattern);
      for (const k of Object.keys(audit) as (keyof DeliveryAudit)[]) audit[k] += a[k];
    }
    table[name] = audit;
    return audit;
  }

  beforeAll(async () => {
    smtp = await startSmtpSink();
    redisServer = await startOwnRedis();
    t = await startTestApp({ ...FAULT_ENV, SMTP_URL: smtp.url, REDIS_URL: redisServer.url });
    ({ ids } = await plannedTree(t, communes(40)));
    await clearDueDates(t);
    for (const i of range(1, 40)) await setContacts(t, ids[`C${i}`], [contact(i)]);
    worker = await startWorkerProcess(t, workerEnv());
    // At its start the worker caught up today's sweep (nothing is due): wait for it, so that it does not see what the tests arrange.
    const today = toLocalDate(new Date());
    await waitUntil('the catch-up of the sweep', async () => {
      const { rowCount } = await t.db.query(`SELECT 1 FROM schedule_runs WHERE job = 'sweep' AND day = $1::date`, [today]);
      return rowCount === 1;
    });
  }, 120_000);
  // Each case arranges its own due dates: earlier ones would be reminded again on the overdue cadence.
  beforeEach(async () => clearDueDates(t));

  afterAll(async () => {
    console.log(
      `Fault table (mails expected / delivered / duplicated / lost):\n${Object.entries(table)
        .map(([fault, a]) => `  ${fault}: ${a.expected} / ${a.delivered} / ${a.duplicated} / ${a.lost}`)
        .join('\n')}`,
    );
    await worker?.stop();
    await t?.close();
    await smtp?.close();
    await redisServer?.stop();
  });

  it('worker killed with kill -9 while a slow SMTP server takes its mails: every mail arrives exactly once', async () => {
    const asOf = '2025-03-10';
    await dueOn(asOf, range(1, 12));
    smtp.setDelay(1000);
    expect((await sweep(t, asOf)).notifications).toBe(12);
    // Mid-send: some mails accepted (and recorded as sent), others claimed (`sending`) with their data
    // at the server, which has not answered yet. The server is held while the kill happens, so no
    // acceptance races it: the window MailSender documents (accepted, not yet recorded), where a
    // second send cannot be ruled out, is not what this test aims at.
    await waitUntil('some mails accepted and others in flight', async () => smtp.messages.length >= 2 && smtp.inFlight() > 0, 30_000);
    smtp.hold(true);
    const atKill = await waitUntil(
      'every accepted mail recorded, the held ones still sending',
      async () => {
        const received = smtp.messages.length;
        const rows = await rowsOfDay(asOf);
        const sent = rows.filter((r) => r.status === 'sent').length;
        const sending = rows.filter((r) => r.status === 'sending').length;
        return sent === received && sending > 0 && smtp.inFlight() > 0 && { sending, received };
      },
      30_000,
    );
    await worker.kill9();
    // Release only once the server has seen the killed worker's connections close: released earlier,
    // a held message could be accepted for a client that is gone, and its row would be sent again.
    await waitUntil("the killed worker's connections closed at the server", async () => smtp.inFlightConnected() === 0, 30_000);
    smtp.hold(false);
    expect(atKill.sending).toBeGreaterThan(0);
    expect((await rowsOfDay(asOf)).some((r) => r.status === 'sending')).toBe(true);

    smtp.setDelay(100);
    worker = await startWorkerProcess(t, workerEnv());
    await waitUntil('every reminder sent', async () => (await rowsOfDay(asOf)).every((r) => r.status === 'sent'), 60_000);
    await settle(t);
    expect(await audited('kill -9 mid-send (slow SMTP)', `reminder:%:${asOf}`)).toEqual({
      expected: 12,
      delivered: 12,
      duplicated: 0,
      lost: 0,
    });
    for (const i of range(1, 12)) expect(smtp.to(contact(i), vnDate(asOf))).toHaveLength(1);
  });

  it('SMTP down for longer than the old retry budget: nothing fails, everything arrives once when it is back', async () => {
    const asOf = '2025-03-11';
    // The configured retries outlast the outage, the old ones would not have.
    expect(mailRetrySpanMs({ MAIL_ATTEMPTS: 12, MAIL_BACKOFF_MS: 100, MAIL_BACKOFF_MAX_MS: 1000 })).toBeGreaterThan(2 * OLD_BUDGET_MS);
    const before = smtp.messages.length;
    await dueOn(asOf, range(13, 24));
    smtp.setDelay(0);
    await smtp.down();
    try {
      expect((await sweep(t, asOf)).notifications).toBe(12);
      // Every mail has had more attempts than the old configuration allowed, and none is failed.
      await waitUntil(
        `more than ${OLD_ATTEMPTS} attempts each`,
        async () => (await rowsOfDay(asOf)).every((r) => r.attempts > OLD_ATTEMPTS),
        30_000,
      );
      const rows = await rowsOfDay(asOf);
      expect(rows.filter((r) => r.status === 'failed')).toEqual([]);
      expect(rows.every((r) => /ECONNREFUSED|connect/i.test(r.error ?? ''))).toBe(true);
    } finally {
      await smtp.up();
    }
    await waitUntil('every reminder sent', async () => (await rowsOfDay(asOf)).every((r) => r.status === 'sent'), 30_000);
    await settle(t);
    expect(smtp.messages.length - before).toBe(12);
    expect(await audited('SMTP down > old budget', `reminder:%:${asOf}`)).toEqual({ expected: 12, delivered: 12, duplicated: 0, lost: 0 });
  });

  it('PostgreSQL connections terminated in bursts: the worker stays up and keeps relaying and sending', async () => {
    const asOf = '2025-03-12';
    await dueOn(asOf, range(25, 32));
    const editor = await addUser(t, 'editor', ids.C33, 'editor.c33@test.vn');
    await completeBefore(t, ids.C33, 7);
    smtp.setDelay(150);
    expect((await sweep(t, asOf)).notifications).toBe(8);
    let terminated = 0;
    for (let burst = 0; burst < 6; burst++) {
      const { rows } = await t.db.query<{ n: number }>(
        `SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))::int AS n
           FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
      );
      terminated += rows[0].n;
      await new Promise((r) => setTimeout(r, 300));
    }
    expect(terminated).toBeGreaterThan(0);
    // After the bursts: a transition writes an outbox row; the worker relays it and mails the approvers.
    await addUser(t, 'supervisor', ids.D, 'sup.d@test.vn');
    const started = await waitUntil('the step started', async () => (await act(t, editor, ids.C33, 7, 'start')).status === 200);
    expect(started).toBe(true);
    expect((await act(t, editor, ids.C33, 7, 'submit', { note: 'Kính trình' })).status).toBe(200);
    await waitUntil(
      'the reminders and the submission sent',
      async () => {
        const rows = [...(await rowsOfDay(asOf)), ...(await notificationRows(t, 'event:'))];
        return rows.length === 9 && rows.every((r) => r.status === 'sent');
      },
      60_000,
    );
    await settle(t);
    expect(worker.alive()).toBe(true);
    expect(smtp.to('sup.d@test.vn')).toHaveLength(1);
    const audit = await audited('PG connections terminated in bursts', `reminder:%:${asOf}`, 'event:%');
    expect(audit.expected).toBe(9);
    expect(audit).toMatchObject({ duplicated: 0, lost: 0 });
    expect(audit.delivered).toBe(audit.expected);
  });

  it('Redis data flushed: the schedulers come back, the missed sweep of the day runs, mails whose jobs vanished are sent once', async () => {
    const schedule = t.app.get<Queue>(getQueueToken(QUEUES.schedule));
    const today = toLocalDate(new Date());
    const ids3 = async () => (await schedule.getJobSchedulers()).map((s) => s.key).sort();
    await waitUntil('the schedulers', async () => (await ids3()).length === 3);
    // The worker caught up today's sweep when it started (nothing was due yet).
    const ran = await t.db.query(`SELECT 1 FROM schedule_runs WHERE job = 'sweep' AND day = $1::date`, [today]);
    expect(ran.rowCount).toBe(1);

    // Mails waiting in the queue when Redis loses its data: a slow server keeps them queued.
    const asOf = '2025-03-13';
    await dueOn(asOf, [39, 40]);
    smtp.setDelay(1500);
    expect((await sweep(t, asOf)).notifications).toBe(2);
    // Their steps stay open (they are still sent) but are no longer due in today's sweep.
    await t.db.query(`UPDATE unit_steps SET due_date = NULL WHERE unit_id = ANY($1::int[])`, [[ids.C39, ids.C40]]);
    // Today's sweep has not run (Redis came back empty before its fire time): units C34–C38 are due tomorrow.
    await t.db.query(`DELETE FROM schedule_runs WHERE job = 'sweep' AND day = $1::date`, [today]);
    for (const i of range(34, 38)) await setDue(t, ids[`C${i}`], today, { 6: 1 });

    // Only this test's keys, as on a shared server (FLUSHDB would be the same here).
    const redis = new Redis(redisServer.url);
    try {
      const keys = await redis.keys(`${t.redisPrefix}:*`);
      expect(keys.length).toBeGreaterThan(0);
      for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
    } finally {
      redis.disconnect();
    }
    smtp.setDelay(100);

    await waitUntil('the schedulers re-registered', async () => (await ids3()).length === 3, 30_000);
    expect(await ids3()).toEqual(['daily-digest', 'overdue-roll', 'reminder-sweep']);
    await waitUntil(
      "today's sweep and the queued mails sent",
      async () => {
        const rows = [...(await rowsOfDay(today)), ...(await rowsOfDay(asOf))];
        return rows.length === 7 && rows.every((r) => r.status === 'sent');
      },
      60_000,
    );
    await settle(t);
    for (const i of range(34, 38)) expect(smtp.to(contact(i), vnDate(today))).toHaveLength(1);
    expect(smtp.to(contact(39), vnDate(asOf))).toHaveLength(1);
    expect(smtp.to(contact(40), vnDate(asOf))).toHaveLength(1);
    const audit = await audited('Redis flushed (schedules + queued mails)', `reminder:%:${asOf}`, `reminder:%:${today}`);
    expect(audit.expected).toBe(7);
    expect(audit).toMatchObject({ duplicated: 0, lost: 0 });
    expect(audit.delivered).toBe(audit.expected);
    expect(worker.alive()).toBe(true);
  });

  it('Redis restarted empty (connections lost): the worker reconnects, re-registers its schedulers and sends what was queued once', async () => {
    const asOf = '2025-03-14';
    const schedule = t.app.get<Queue>(getQueueToken(QUEUES.schedule));
    await dueOn(asOf, range(1, 4));
    smtp.setDelay(1500);
    expect((await sweep(t, asOf)).notifications).toBe(4);
    await redisServer.stop();
    await new Promise((r) => setTimeout(r, 2000));
    redisServer = await startOwnRedis(redisServer.port);
    smtp.setDelay(100);
    await waitUntil('the schedulers re-registered', async () => (await schedule.getJobSchedulers().catch(() => [])).length === 3, 30_000);
    await waitUntil('every reminder sent', async () => (await rowsOfDay(asOf)).every((r) => r.status === 'sent'), 60_000);
    await settle(t);
    expect(worker.alive()).toBe(true);
    const audit = await audited('Redis restarted empty', `reminder:%:${asOf}`);
    expect(audit).toEqual({ expected: 4, delivered: 4, duplicated: 0, lost: 0 });
  });
});
