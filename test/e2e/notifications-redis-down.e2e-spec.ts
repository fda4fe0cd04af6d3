import { act, completeBefore, plannedTree, SMALL_TREE, stepRow } from '../factories/workflow';
import { addUser, notificationRows, setContacts, settle, TITLES, waitUntil } from '../factories/notifications';
import { OwnRedis, startOwnRedis } from '../setup/own-redis';
import { MailStack, startMailStack } from '../setup/test-worker';

/**
 * Redis down while units move their steps: the transitions commit (state, history, outbox) and
 * the emails they trigger go out once Redis is back. Uses a redis-server of its own, never the shared one.
 */
describe('queue Redis down during transitions', () => {
  let redis: OwnRedis;
  let stack: MailStack;
  let ids: Record<string, number>;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    redis = await startOwnRedis();
    stack = await startMailStack({ redisUrl: redis.url });
    const { t } = stack;
    ({ ids } = await plannedTree(t, SMALL_TREE));
    tokens.supP = await addUser(t, 'supervisor', ids.P, 'sup.p@test.vn');
    tokens.supD1 = await addUser(t, 'supervisor', ids.D1, 'sup.d1@test.vn');
    tokens.editorD11 = await addUser(t, 'editor', ids['D1-1'], 'editor.d11@test.vn');
    tokens.editorD21 = await addUser(t, 'editor', ids['D2-1'], 'editor.d21@test.vn');
    await setContacts(t, ids['D1-1'], ['vp.d11@test.vn']);
  });
  afterAll(async () => {
    await stack?.close();
    await redis?.stop();
  });

  it('transitions commit while Redis is down; their emails arrive once, after it comes back on the same port', async () => {
    const { t, smtp } = stack;
    const d11 = ids['D1-1'];
    const d21 = ids['D2-1'];
    for (const unit of [d11, d21]) await completeBefore(t, unit, 7);
    expect((await act(t, tokens.editorD11, d11, 7, 'start')).status).toBe(200);
    expect((await act(t, tokens.editorD21, d21, 7, 'start')).status).toBe(200);
    const { rows: before } = await t.db.query(`SELECT coalesce(max(id), 0)::int AS id FROM outbox`);

    await redis.stop();
    try {
      expect((await act(t, tokens.editorD11, d11, 7, 'submit', { note: 'Trình khi Redis ngừng' })).status).toBe(200);
      expect((await act(t, tokens.editorD21, d21, 7, 'submit')).status).toBe(200);
      expect((await act(t, tokens.supD1, d11, 7, 'approve')).status).toBe(200);
      expect((await act(t, tokens.supP, d21, 7, 'return', { note: 'Thiếu biên bản hội nghị' })).status).toBe(200);
      expect(await stepRow(t, d11, 7)).toMatchObject({ status: 'completed' });
      expect(await stepRow(t, d21, 7)).toMatchObject({ status: 'returned' });

      const { rows: events } = await t.db.query(
        `SELECT unit_id AS "unitId", action FROM step_events WHERE step_no = 7 AND action IN ('submit', 'approve', 'return') ORDER BY id`,
      );
      expect(events).toEqual([
        { unitId: d11, action: 'submit' },
        { unitId: d21, action: 'submit' },
        { unitId: d11, action: 'approve' },
        { unitId: d21, action: 'return' },
      ]);
      // The relay keeps trying (every 100 ms) and rolls back: the rows stay unpublished, nothing is sent.
      await new Promise((r) => setTimeout(r, 1500));
      const { rows: outbox } = await t.db.query(`SELECT topic, published_at AS "publishedAt" FROM outbox WHERE id > $1 ORDER BY id`, [
        before[0].id,
      ]);
      expect(outbox).toEqual([
        { topic: 'step.submitted', publishedAt: null },
        { topic: 'step.submitted', publishedAt: null },
        { topic: 'step.approved', publishedAt: null },
        { topic: 'step.returned', publishedAt: null },
      ]);
      expect(smtp.messages).toEqual([]);
    } finally {
      redis = await startOwnRedis(redis.port);
    }

    await smtp.waitFor('the four event emails', (all) => all.length >= 4, 30_000);
    await waitUntil('the outbox to be relayed', async () => {
      const { rows } = await t.db.query(`SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL`);
      return rows[0].n === 0;
    });
    await settle(t);

    const subjects = smtp.messages.map((m) => `${m.to.join(',')} ${m.subject}`).sort();
    expect(subjects).toEqual([
      `editor.d11@test.vn,vp.d11@test.vn [Đã cho ý kiến / phê duyệt] Đảng ủy xã D1-1: Bước 7. ${TITLES[7]}`,
      `editor.d21@test.vn [Trả lại, đề nghị hoàn thiện] Đảng ủy xã D2-1: Bước 7. ${TITLES[7]}`,
      `sup.d1@test.vn [Chờ cho ý kiến / phê duyệt] Đảng ủy xã D1-1: Bước 7. ${TITLES[7]}`,
      `sup.p@test.vn [Chờ cho ý kiến / phê duyệt] Đảng ủy xã D2-1: Bước 7. ${TITLES[7]}`,
    ]);
    expect(smtp.messages.find((m) => m.subject.startsWith('[Trả lại, đề nghị hoàn thiện]'))!.text).toContain(
      'Lý do: Thiếu biên bản hội nghị',
    );
    expect(smtp.messages.find((m) => m.to.includes('sup.d1@test.vn'))!.text).toContain('Ghi chú: Trình khi Redis ngừng');
    const sent = await notificationRows(t, 'event:');
    expect(sent.map((n) => n.status)).toEqual(['sent', 'sent', 'sent', 'sent']);
  });
});
