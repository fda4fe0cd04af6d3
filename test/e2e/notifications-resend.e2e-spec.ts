import { plannedTree, SMALL_TREE } from '../factories/workflow';
import {
  addUser,
  auditDelivery,
  clearDueDates,
  listNotifications,
  notificationRows,
  setContacts,
  setDue,
  settle,
  sweep,
  waitUntil,
} from '../factories/notifications';
import { MailStack, startMailStack } from '../setup/test-worker';

/**
 * After the last attempt a mail is `failed`: listed by GET /api/notifications?status=failed, counted
 * in /health, and sent again by POST /api/notifications/:id/resend, POST /api/notifications/resend
 * (admins, in their subtree) or Bull Board's retry (which re-runs the sender, which claims the row
 * again). Each way sends it once.
 */
describe('failed mails: visible, resendable, once', () => {
  let stack: MailStack;
  let ids: Record<string, number>;
  let adminD1: string;
  const asOf = '2025-04-07';
  const rowOf = async (unit: string) => (await notificationRows(stack.t, `reminder:${ids[unit]}:`))[0];

  beforeAll(async () => {
    // Two attempts: the outage below fails them for good quickly.
    stack = await startMailStack({ env: { MAIL_ATTEMPTS: '2' } });
    const { t, smtp } = stack;
    ({ ids } = await plannedTree(t, SMALL_TREE));
    await clearDueDates(t);
    adminD1 = await addUser(t, 'admin', ids.D1, 'admin.d1@test.vn');
    for (const code of ['D1-1', 'D1-2', 'D2-1']) {
      await setContacts(t, ids[code], [`vp.${code.toLowerCase()}@test.vn`]);
      await setDue(t, ids[code], asOf, { 4: 3 });
    }
    await smtp.down();
    expect((await sweep(t, asOf)).notifications).toBe(3);
    await waitUntil(
      'three failed mails',
      async () => (await notificationRows(t, 'reminder:')).filter((r) => r.status === 'failed').length === 3,
    );
    await smtp.up();
  });
  afterAll(async () => stack?.close());

  it('failed mails are listed and counted in /health, which stays 200', async () => {
    const { t } = stack;
    const failed = await listNotifications(t, 'status=failed');
    expect(failed.status).toBe(200);
    expect(failed.body.total).toBe(3);
    expect(failed.body.items.every((n: { error: string }) => /ECONNREFUSED|connect/i.test(n.error))).toBe(true);
    const health = await t.request('GET', '/health');
    expect(health.status).toBe(200);
    expect(health.body.info.mail).toEqual({ status: 'up', failed: 3, oldestPendingSeconds: null });
    // Nothing sends a failed mail by itself.
    await settle(t);
    expect(stack.smtp.messages).toEqual([]);
  });

  it("the log filters by status, kind, unit and day (Vietnam time), within the caller's subtree, with the unit named", async () => {
    const { t } = stack;
    const today: string = (await t.db.query(`SELECT ((now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date)::text AS d`)).rows[0].d;
    const keys = (res: { body: { items: { key: string }[] } }) => res.body.items.map((n) => n.key).sort();
    // D1's admin sees D1's two failed mails, not D2-1's.
    const d1 = await listNotifications(t, `status=failed&kind=reminder&from=${today}&to=${today}`, adminD1);
    expect(d1.status).toBe(200);
    expect(d1.body.total).toBe(2);
    expect(keys(d1)).toEqual([`reminder:${ids['D1-1']}:${asOf}`, `reminder:${ids['D1-2']}:${asOf}`].sort());
    const one = await listNotifications(t, `unitId=${ids['D1-1']}`, adminD1);
    expect(one.body.items).toHaveLength(1);
    expect(one.body.items[0]).toMatchObject({ unitId: ids['D1-1'], unitCode: 'D1-1', status: 'failed' });
    expect(one.body.items[0].unitName).toEqual(expect.any(String));
    // Another kind, or days without mail, select nothing; the root's admin sees all three.
    expect((await listNotifications(t, 'status=failed&kind=digest', adminD1)).body.total).toBe(0);
    expect((await listNotifications(t, 'from=2099-01-01', adminD1)).body.total).toBe(0);
    expect((await listNotifications(t, 'to=2000-01-01', adminD1)).body.total).toBe(0);
    expect((await listNotifications(t, `status=failed&from=${today}`)).body.total).toBe(3);
    // A notification without a unit belongs to the root's people, as for resend.
    await t.db.query(
      `INSERT INTO notifications (key, kind, unit_id, recipients, payload, status) VALUES ('test:unitless', 'digest', NULL, '{}', '{}', 'sent')`,
    );
    try {
      expect(keys(await listNotifications(t, 'kind=digest'))).toEqual(['test:unitless']);
      expect((await listNotifications(t, 'kind=digest', adminD1)).body.total).toBe(0);
    } finally {
      await t.db.query(`DELETE FROM notifications WHERE key = 'test:unitless'`);
    }
    // Checked query: real dates, in order; known statuses and kinds.
    for (const query of ['from=2025-02-30', 'to=yesterday', 'from=2025-05-02&to=2025-05-01', 'status=lost', 'kind=sms']) {
      const res = await listNotifications(t, query, adminD1);
      expect([query, res.status, res.body.code]).toEqual([query, 400, 'VALIDATION_FAILED']);
    }
  });

  it('resend is for admins, within their subtree, with a checked body', async () => {
    const { t } = stack;
    const editor = await addUser(t, 'editor', ids.D1, 'editor.d1@test.vn');
    expect((await t.request('POST', '/api/notifications/resend', { token: editor, body: { status: 'failed' } })).status).toBe(403);
    for (const body of [{}, { status: 'sent' }, { status: 'failed', since: 'yesterday' }]) {
      const res = await t.request('POST', '/api/notifications/resend', { token: adminD1, body });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    }
    expect((await t.request('POST', '/api/notifications/abc/resend', { token: adminD1 })).status).toBe(400);
    // D2-1 is outside D1's subtree: as if it did not exist.
    const outside = await t.request('POST', `/api/notifications/${(await rowOf('D2-1')).id}/resend`, { token: adminD1 });
    expect(outside.status).toBe(404);
    expect(outside.body.code).toBe('NOT_FOUND');
    // A date in the future selects nothing.
    expect(
      (await t.request('POST', '/api/notifications/resend', { token: adminD1, body: { status: 'failed', since: '2999-01-01' } })).body,
    ).toEqual({
      requeued: 0,
    });
  });

  it('POST /api/notifications/:id/resend sends one failed mail once; a second call finds nothing to do', async () => {
    const { t, smtp } = stack;
    const row = await rowOf('D1-1');
    const res = await t.request('POST', `/api/notifications/${row.id}/resend`, { token: adminD1 });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ requeued: 1 });
    await smtp.waitFor('the resent mail', () => smtp.to('vp.d1-1@test.vn').length >= 1);
    await settle(t);
    expect((await t.request('POST', `/api/notifications/${row.id}/resend`, { token: adminD1 })).body).toEqual({ requeued: 0 });
    await settle(t);
    expect(smtp.to('vp.d1-1@test.vn')).toHaveLength(1);
    expect(await rowOf('D1-1')).toMatchObject({ status: 'sent', error: null });
  });

  it('POST /api/notifications/resend {status: "failed"} requeues the failed mails of the subtree only', async () => {
    const { t, smtp } = stack;
    const res = await t.request('POST', '/api/notifications/resend', { token: adminD1, body: { status: 'failed', since: '2020-01-01' } });
    expect(res.body).toEqual({ requeued: 1 });
    await smtp.waitFor('the D1-2 mail', () => smtp.to('vp.d1-2@test.vn').length >= 1);
    await settle(t);
    expect(smtp.to('vp.d1-2@test.vn')).toHaveLength(1);
    expect(smtp.to('vp.d2-1@test.vn')).toEqual([]);
    expect((await rowOf('D2-1')).status).toBe('failed');
  });

  it("Bull Board's retry re-runs the sender: a failed mail is sent once, a completed one is not sent again", async () => {
    const { t, smtp } = stack;
    // The board opens from the web session cookie (never a token in the URL).
    const cookie = `ct_session=${t.adminToken}`;
    const retried = await t.request('PUT', '/admin/queues/api/queues/mail/retry/failed', { headers: { cookie } });
    expect(retried.status).toBe(200);
    await smtp.waitFor('the D2-1 mail', () => smtp.to('vp.d2-1@test.vn').length >= 1);
    await settle(t);
    expect(await rowOf('D2-1')).toMatchObject({ status: 'sent', error: null });
    const again = await t.request('PUT', '/admin/queues/api/queues/mail/retry/completed', { headers: { cookie } });
    expect(again.status).toBe(200);
    await settle(t);
    expect(smtp.to('vp.d2-1@test.vn')).toHaveLength(1);
    expect(await auditDelivery(t, smtp.messages, 'reminder:%')).toEqual({ expected: 3, delivered: 3, duplicated: 0, lost: 0 });
    const health = await t.request('GET', '/health');
    expect(health.body.info.mail).toEqual({ status: 'up', failed: 0, oldestPendingSeconds: null });
  });

  it('/health gives the age of the oldest mail waiting to go out', async () => {
    const { t } = stack;
    await t.db.query(
      `INSERT INTO notifications (key, kind, unit_id, recipients, payload, created_at)
       VALUES ('test:waiting', 'approved', $1, '{}', '{}', now() - interval '2 hours')`,
      [ids['D1-1']],
    );
    // A row with no recipient waits without a job; a real one would be sent by the reclaim pass.
    await t.db.query(`UPDATE notifications SET status = 'sending', lease_until = now() + interval '1 hour' WHERE key = 'test:waiting'`);
    const health = await t.request('GET', '/health');
    expect(health.status).toBe(200);
    expect(health.body.info.mail.failed).toBe(0);
    expect(health.body.info.mail.oldestPendingSeconds).toBeGreaterThanOrEqual(7200);
    await t.db.query(`DELETE FROM notifications WHERE key = 'test:waiting'`);
  });
});
