import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { QUEUES } from '@app/notifications';
import { startTestApp, TestApp } from '../setup/test-app';

/**
 * The sweep hands every pending notification to the mail queue, in pages of 1,000 by id. Ids of
 * different lengths (9, 10, 999, 1000, …) must not be skipped: a page ordered as text ('10' < '9')
 * ended on the wrong id and left hundreds of reminders out of the queue.
 */
describe('sweep hand-over of pending notifications to the mail queue', () => {
  let t: TestApp;
  let mail: Queue;
  beforeAll(async () => {
    t = await startTestApp(); // no worker: the jobs stay waiting
    mail = t.app.get<Queue>(getQueueToken(QUEUES.mail));
  });
  afterAll(async () => {
    await mail?.obliterate({ force: true }).catch(() => undefined);
    await t?.close();
  });

  it('enqueues all 2,500 pending notifications whose ids span 1 to 4 digits, one job each', async () => {
    await t.db.query(
      `INSERT INTO notifications (key, kind, unit_id, recipients, payload)
       SELECT 'reminder:' || $1::int || ':paging-' || g, 'reminder', $1::int, ARRAY['vp@test.vn'], '{}' FROM generate_series(1, 2500) g`,
      [t.rootUnitId],
    );
    const { rows } = await t.db.query(`SELECT id::text FROM notifications WHERE status = 'pending' ORDER BY id`);
    expect(rows).toHaveLength(2500);
    expect(rows[0].id.length).toBeLessThan(rows[rows.length - 1].id.length);

    const res = await t.request('POST', '/api/reminders/sweep', { token: t.adminToken, body: { asOf: '2025-03-10' } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ notifications: 0, escalations: 0, approvals: 0, enqueued: 2500 });
    expect(await mail.getWaitingCount()).toBe(2500);
    const jobIds = new Set((await mail.getWaiting(0, 2500)).map((j) => j.id));
    expect(rows.filter((r: { id: string }) => !jobIds.has(`notification-${r.id}`))).toEqual([]);
  });
});
