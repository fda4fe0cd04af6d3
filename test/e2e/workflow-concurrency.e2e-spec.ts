import { startTestApp, TestApp } from '../setup/test-app';
import { expectError } from '../setup/errors';
import { act, communes, completeBefore, history, outboxOf, plannedTree, setStatus, stepRow } from '../factories/workflow';

/** Optimistic versions under concurrent requests, and the outbox rows a transition writes in its transaction. */
describe('concurrent transitions and the outbox', () => {
  let t: TestApp;
  let ids: Record<string, number>;
  let editor: string;
  let superior: string;

  beforeAll(async () => {
    t = await startTestApp();
    ({ ids } = await plannedTree(t, communes(24)));
    editor = await t.loginAs('editor', ids.D);
    superior = await t.loginAs('supervisor', ids.P);
  });
  afterAll(async () => t?.close());

  const events = async (unitId: number, stepNo: number) => (await history(t, editor, unitId, stepNo)).body as unknown[];

  describe('two requests with the same expectedVersion', () => {
    it.each(Array.from({ length: 10 }, (_, i) => i + 1))('round %i: exactly one wins, the other gets VERSION_CONFLICT', async (round) => {
      const unit = ids[`C${round}`];
      // Odd rounds race the same action; even rounds race approve against return on an awaiting step.
      const same = round % 2 === 1;
      let version: number;
      if (same) {
        await completeBefore(t, unit, 3);
        version = (await stepRow(t, unit, 3)).version;
      } else {
        await completeBefore(t, unit, 7);
        version = await setStatus(t, unit, 7, 'awaiting_approval');
      }
      const stepNo = same ? 3 : 7;
      const [a, b] = await Promise.all(
        same
          ? [act(t, editor, unit, 3, 'start', { expectedVersion: version }), act(t, editor, unit, 3, 'start', { expectedVersion: version })]
          : [
              act(t, superior, unit, 7, 'approve', { expectedVersion: version, note: 'Đồng ý' }),
              act(t, superior, unit, 7, 'return', { expectedVersion: version, note: 'Chưa đạt' }),
            ],
      );
      const statuses = [a.status, b.status].sort();
      expect(statuses).toEqual([200, 409]);
      const [winner, loser] = a.status === 200 ? [a, b] : [b, a];
      expectError(loser, 409, 'VERSION_CONFLICT');
      expect(loser.body.details.currentVersion).toBe(version + 1);
      expect(winner.body.version).toBe(version + 1);

      const stored = await stepRow(t, unit, stepNo);
      expect(stored).toMatchObject({ status: winner.body.status, version: version + 1 });
      expect(await events(unit, stepNo)).toHaveLength(1);
      // The loser wrote no outbox row either: approve and return both publish, only one may have.
      expect((await outboxOf(t, unit)).length).toBe(same ? 0 : 1);
    });
  });

  it('a stale expectedVersion → 409 VERSION_CONFLICT with the current version, nothing written', async () => {
    const unit = ids.C11;
    await completeBefore(t, unit, 3);
    const v = (await stepRow(t, unit, 3)).version;
    expect((await act(t, editor, unit, 3, 'start', { expectedVersion: v })).status).toBe(200);
    const stale = await act(t, editor, unit, 3, 'complete', { expectedVersion: v });
    expectError(stale, 409, 'VERSION_CONFLICT');
    expect(stale.body.details).toEqual({ currentVersion: v + 1 });
    const future = await act(t, editor, unit, 3, 'complete', { expectedVersion: v + 5 });
    expectError(future, 409, 'VERSION_CONFLICT');
    expect(await stepRow(t, unit, 3)).toMatchObject({ status: 'in_progress', version: v + 1 });
    expect(await events(unit, 3)).toHaveLength(1);
  });

  it('expectedVersion is required and must be a positive integer', async () => {
    const unit = ids.C12;
    for (const body of [
      { action: 'start' },
      { action: 'start', expectedVersion: 0 },
      { action: 'start', expectedVersion: '1' },
      { action: 'fly', expectedVersion: 1 },
    ]) {
      const res = await t.request('POST', `/api/units/${unit}/steps/1/actions`, { token: editor, body });
      expectError(res, 400, 'VALIDATION_FAILED');
    }
    expect(await stepRow(t, unit, 1)).toMatchObject({ status: 'not_started', version: 1 });
  });

  describe('the outbox', () => {
    it('start and complete write no outbox row', async () => {
      const unit = ids.C13;
      expect((await act(t, editor, unit, 1, 'start')).status).toBe(200);
      expect((await act(t, editor, unit, 1, 'complete')).status).toBe(200);
      expect(await outboxOf(t, unit)).toEqual([]);
    });

    it('submit → step.submitted, return → step.returned, approve → step.approved, each once with unitId and stepNo', async () => {
      const unit = ids.C14;
      await completeBefore(t, unit, 7);
      await act(t, editor, unit, 7, 'start');
      const steps = [
        [editor, 'submit', undefined, 'step.submitted'],
        [superior, 'return', 'Cơ cấu nữ chưa đạt 15%', 'step.returned'],
        [editor, 'submit', undefined, 'step.submitted'],
        [superior, 'approve', undefined, 'step.approved'],
      ] as const;
      for (const [token, action, note, topic] of steps) {
        const before = (await outboxOf(t, unit)).length;
        const res = await act(t, token, unit, 7, action, { note });
        expect(res.status).toBe(200);
        const added = (await outboxOf(t, unit)).slice(before);
        expect(added).toHaveLength(1);
        expect(added[0]).toMatchObject({ topic, payload: { unitId: unit, stepNo: 7, action, toStatus: res.body.status } });
        if (note) expect(added[0].payload.note).toBe(note);
      }
      expect((await outboxOf(t, unit)).map((r) => r.topic)).toEqual(['step.submitted', 'step.returned', 'step.submitted', 'step.approved']);
    });

    it('skip and reopen write no outbox row; a refused transition writes none', async () => {
      const unit = ids.C15;
      expect((await act(t, superior, unit, 2, 'skip', { note: 'Không cần' })).status).toBe(200);
      expect((await act(t, superior, unit, 2, 'reopen', { note: 'Cần lập lại' })).status).toBe(200);
      expectError(await act(t, editor, unit, 5, 'submit'), 409, 'INVALID_TRANSITION');
      expect(await outboxOf(t, unit)).toEqual([]);
    });

    it('the outbox row and the event are written in the same transaction as the state', async () => {
      const unit = ids.C16;
      await completeBefore(t, unit, 13);
      await setStatus(t, unit, 13, 'in_progress');
      expect((await act(t, editor, unit, 13, 'submit')).status).toBe(200);
      const { rows } = await t.db.query(
        `SELECT o.payload ->> 'eventId' AS "eventId", e.id::text AS id
           FROM outbox o JOIN step_events e ON e.id = (o.payload ->> 'eventId')::bigint
          WHERE (o.payload ->> 'unitId')::int = $1`,
        [unit],
      );
      expect(rows).toHaveLength(1);
      expect(rows[0].eventId).toBe(rows[0].id);
    });
  });
});
