import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { QUEUES, SCHEDULE_JOBS } from '@app/core';
import { countersAndRecount } from '../factories/reports';
import { waitUntil } from '../factories/notifications';
import { communes, plannedTree } from '../factories/workflow';
import { MailStack, startMailStack } from '../setup/test-worker';

/**
 * The worker as the job registry describes it: one processor per queue, the schedules it registers
 * on start, a job whose name the registry does not know failing at once, and the midnight
 * roll-forward of the progress counters' overdue day done by the worker rather than by a report.
 */
describe('worker: the job registry and the schedule processor', () => {
  let stack: MailStack;
  let schedule: Queue;
  const DUE = '2025-05-14'; // a Wednesday (a date rule on a day off moves to the next working day)

  beforeAll(async () => {
    stack = await startMailStack();
    schedule = stack.worker.app.get<Queue>(getQueueToken(QUEUES.schedule));
    const { t } = stack;
    const { planId } = await plannedTree(t, communes(3));
    const res = await t.request('PATCH', `/api/plans/${planId}/steps/1`, {
      token: t.adminToken,
      body: { deadlines: { grassroots: { date: DUE } } },
    });
    expect(res.status).toBe(200);
  });
  afterAll(async () => {
    await schedule?.obliterate({ force: true }).catch(() => undefined);
    await stack?.close();
  });

  it('registers the sweep, the digest and the overdue roll-forward as job schedulers in Vietnam time', async () => {
    const schedulers = await waitUntil('the three schedulers', async () => {
      const all = await schedule.getJobSchedulers();
      return all.length === 3 && all;
    });
    expect(schedulers.map((s) => [s.key, s.name, s.tz]).sort()).toEqual([
      ['daily-digest', SCHEDULE_JOBS.digest, 'Asia/Ho_Chi_Minh'],
      ['overdue-roll', SCHEDULE_JOBS.rollOverdue, 'Asia/Ho_Chi_Minh'],
      ['reminder-sweep', SCHEDULE_JOBS.sweep, 'Asia/Ho_Chi_Minh'],
    ]);
    expect(schedulers.find((s) => s.key === 'overdue-roll')!.pattern).toBe('0 0 * * *');
  });

  it('a job whose name the registry does not know fails at once, without its retries', async () => {
    const job = await schedule.add('no-such-job' as never, {}, { jobId: 'test-unknown-job', attempts: 5, backoff: 10 });
    const failed = await waitUntil('the unknown job to fail', async () => {
      const state = await job.getState();
      return state === 'failed' && (await schedule.getJob(job.id!));
    });
    expect(failed.failedReason).toBe('Unknown job "no-such-job" on queue schedule');
    expect(failed.attemptsMade).toBe(1);
  });

  it('the roll-forward job moves the counters to the day after the deadline: the steps count as overdue without any read', async () => {
    const { t } = stack;
    const overdue = async () =>
      (await t.db.query(`SELECT coalesce(sum(overdue), 0)::int AS n FROM step_counts WHERE step_no = 1 AND tier = 'grassroots'`)).rows[0].n;
    const asOf = async () => (await t.db.query(`SELECT to_char(overdue_as_of, 'YYYY-MM-DD') AS d FROM report_state`)).rows[0].d;

    await schedule.add(SCHEDULE_JOBS.rollOverdue, { asOf: DUE }, { jobId: 'test-roll-due-day' });
    await waitUntil('the roll to the due day', async () => (await asOf()) === DUE);
    expect(await overdue()).toBe(0);

    await schedule.add(SCHEDULE_JOBS.rollOverdue, { asOf: '2025-05-15' }, { jobId: 'test-roll-next-day' });
    await waitUntil('the roll to the next day', async () => (await asOf()) === '2025-05-15');
    expect(await overdue()).toBe(3);
    const { stored, recounted } = await countersAndRecount(t);
    expect(stored).toEqual(recounted);
  });
});
