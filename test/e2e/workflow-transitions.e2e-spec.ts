import { startTestApp, TestApp } from '../setup/test-app';
import { expectError } from '../setup/errors';
import { act, completeBefore, history, plannedTree, setStatus, SMALL_TREE, stepRow } from '../factories/workflow';

/** Prerequisites, approval by a superior, return with a reason, the notes rule, and the append-only history. */
describe('workflow transitions', () => {
  let t: TestApp;
  let ids: Record<string, number>;
  let communeEditor: string;
  let communeSupervisor: string;
  let districtSupervisor: string;
  let provinceSupervisor: string;
  let districtEditor: string;

  beforeAll(async () => {
    t = await startTestApp();
    ({ ids } = await plannedTree(t, SMALL_TREE));
    communeEditor = await t.loginAs('editor', ids['D1-1']);
    communeSupervisor = await t.loginAs('supervisor', ids['D1-1']);
    districtSupervisor = await t.loginAs('supervisor', ids.D1);
    districtEditor = await t.loginAs('editor', ids.D1);
    provinceSupervisor = await t.loginAs('supervisor', ids.P);
  });
  afterAll(async () => t?.close());

  describe('prerequisites', () => {
    it('starting step 3 before step 2 is finished → 409 PREREQUISITES_PENDING [2], nothing changes', async () => {
      const unit = ids['D1-2'];
      await setStatus(t, unit, 1, 'completed');
      await setStatus(t, unit, 2, 'in_progress');
      const before = await stepRow(t, unit, 3);
      const res = await act(t, districtEditor, unit, 3, 'start');
      expectError(res, 409, 'PREREQUISITES_PENDING');
      expect(res.body.details.pending).toEqual([2]);
      expect(await stepRow(t, unit, 3)).toEqual(before);
      expect((await history(t, districtEditor, unit, 3)).body).toEqual([]);
    });

    it('walks 1 → 2 → 3 through the API, each start unlocked by the completion before it', async () => {
      const unit = ids['D1-1'];
      expectError(await act(t, communeEditor, unit, 2, 'start'), 409, 'PREREQUISITES_PENDING');
      for (const no of [1, 2]) {
        expect((await act(t, communeEditor, unit, no, 'start')).status).toBe(200);
        expect((await act(t, communeEditor, unit, no, 'complete')).status).toBe(200);
      }
      const started = await act(t, communeEditor, unit, 3, 'start', { documentRef: 'QĐ 12-QĐ/ĐU' });
      expect(started.status).toBe(200);
      expect(started.body).toMatchObject({ no: 3, status: 'in_progress', version: 2, allowedActions: ['complete'] });
      // Steps 4 and 6 can run in parallel with 3 once 2 is done.
      expect((await act(t, communeEditor, unit, 4, 'start')).status).toBe(200);
      expect((await act(t, communeEditor, unit, 6, 'start')).status).toBe(200);
    });

    it('a skipped prerequisite counts as met', async () => {
      // A grassroots committee (a cell has no step 2 at all: rules-step-tiers).
      const unit = ids['D2-1'];
      await setStatus(t, unit, 1, 'completed');
      const skipped = await act(t, provinceSupervisor, unit, 2, 'skip', { note: 'Đảng bộ nhỏ, không lập tiểu ban' });
      expect(skipped.status).toBe(200);
      expect(skipped.body.status).toBe('skipped');
      const res = await act(t, provinceSupervisor, unit, 3, 'start');
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('in_progress');
    });

    it('step 10 needs 3, 5 and 9: lists exactly the ones pending', async () => {
      const unit = ids['D1-1-2'];
      await completeBefore(t, unit, 3);
      let res = await act(t, communeEditor, unit, 10, 'start');
      expectError(res, 409, 'PREREQUISITES_PENDING');
      expect(res.body.details.pending).toEqual([3, 5, 9]);

      await setStatus(t, unit, 3, 'completed');
      await setStatus(t, unit, 5, 'skipped');
      await setStatus(t, unit, 9, 'awaiting_approval');
      res = await act(t, communeEditor, unit, 10, 'start');
      expectError(res, 409, 'PREREQUISITES_PENDING');
      expect(res.body.details.pending).toEqual([9]);

      await setStatus(t, unit, 9, 'completed');
      res = await act(t, communeEditor, unit, 10, 'start');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ no: 10, status: 'in_progress', allowedActions: ['submit'] });
    });
  });

  describe('approval by a superior', () => {
    const unit = () => ids['D1-2'];

    beforeAll(async () => {
      await completeBefore(t, unit(), 7);
    });

    it('the commune submits; its own supervisor cannot approve; the district supervisor can', async () => {
      const editor = await t.loginAs('editor', unit());
      const ownSupervisor = await t.loginAs('supervisor', unit());
      expect((await act(t, editor, unit(), 7, 'start')).status).toBe(200);
      const submitted = await act(t, editor, unit(), 7, 'submit', { documentRef: 'Đề án 05-ĐA/ĐU' });
      expect(submitted.status).toBe(200);
      expect(submitted.body).toMatchObject({ status: 'awaiting_approval', allowedActions: [] });

      const self = await act(t, ownSupervisor, unit(), 7, 'approve');
      expectError(self, 403, 'FORBIDDEN_SCOPE');
      expectError(await act(t, districtEditor, unit(), 7, 'approve'), 403, 'FORBIDDEN_SCOPE');
      expect((await stepRow(t, unit(), 7)).status).toBe('awaiting_approval');

      const approved = await act(t, districtSupervisor, unit(), 7, 'approve', { note: 'Đồng ý' });
      expect(approved.status).toBe(200);
      expect(approved.body).toMatchObject({ no: 7, status: 'completed', allowedActions: ['reopen'] });
      expect(await stepRow(t, unit(), 7)).toMatchObject({ status: 'completed', version: 4 });
    });

    it('the history lists every transition, oldest first, with actor and notes', async () => {
      const res = await history(t, districtSupervisor, unit(), 7);
      expect(res.status).toBe(200);
      expect(res.body.map((e: any) => [e.action, e.fromStatus, e.toStatus])).toEqual([
        ['start', 'not_started', 'in_progress'],
        ['submit', 'in_progress', 'awaiting_approval'],
        ['approve', 'awaiting_approval', 'completed'],
      ]);
      expect(res.body[1]).toMatchObject({ documentRef: 'Đề án 05-ĐA/ĐU', note: null, actor: { email: expect.stringContaining('editor') } });
      expect(res.body[2]).toMatchObject({ note: 'Đồng ý', actor: { email: expect.stringContaining('supervisor') } });
      expect(Date.parse(res.body[2].at)).toBeGreaterThanOrEqual(Date.parse(res.body[0].at));
    });

    it('return with a reason → returned; resubmit; a grand-ancestor (province) may approve', async () => {
      const u = ids['D1-1-2'];
      await completeBefore(t, u, 13);
      await setStatus(t, u, 13, 'in_progress');
      expect((await act(t, communeEditor, u, 13, 'submit')).status).toBe(200);
      // The commune is the cell's superior: its supervisor may return the cell's step.
      const returned = await act(t, communeSupervisor, u, 13, 'return', { note: 'Thiếu biên bản kiểm phiếu' });
      expect(returned.status).toBe(200);
      expect(returned.body.status).toBe('returned');
      const again = await act(t, communeEditor, u, 13, 'submit', { note: 'Đã bổ sung biên bản' });
      expect(again.status).toBe(200);
      expect(again.body.status).toBe('awaiting_approval');
      const approved = await act(t, provinceSupervisor, u, 13, 'approve');
      expect(approved.status).toBe(200);
      expect(approved.body.status).toBe('completed');
      const events = (await history(t, communeEditor, u, 13)).body;
      expect(events.map((e: any) => e.action)).toEqual(['submit', 'return', 'submit', 'approve']);
      expect(events[1]).toMatchObject({ note: 'Thiếu biên bản kiểm phiếu', fromStatus: 'awaiting_approval', toStatus: 'returned' });
    });
  });

  describe('notes are required to return, reopen and skip', () => {
    it.each([
      ['return', 'awaiting_approval', 7],
      ['reopen', 'completed', 3],
      ['reopen', 'skipped', 3],
      ['skip', 'not_started', 5],
    ])('%s from %s without a note → 400 VALIDATION_FAILED, step unchanged', async (action, status, no) => {
      const unit = ids['D2-1'];
      const version = await setStatus(t, unit, no, status);
      for (const note of [undefined, '', '   ']) {
        const res = await act(t, provinceSupervisor, unit, no, action, { expectedVersion: version, note });
        expectError(res, 400, 'VALIDATION_FAILED');
      }
      expect(await stepRow(t, unit, no)).toMatchObject({ status, version });
      const withNote = await act(t, provinceSupervisor, unit, no, action, { expectedVersion: version, note: 'Lý do' });
      expect(withNote.status).toBe(200);
    });
  });

  describe('step_events is append-only in the database', () => {
    it('UPDATE, DELETE and TRUNCATE are rejected, and the rows stay', async () => {
      const { rows } = await t.db.query(`SELECT count(*)::int AS n FROM step_events`);
      const n = rows[0].n;
      expect(n).toBeGreaterThan(0);
      await expect(t.db.query(`UPDATE step_events SET note = 'sửa lịch sử'`)).rejects.toThrow(/append-only/);
      await expect(t.db.query(`DELETE FROM step_events WHERE unit_id = $1`, [ids['D1-2']])).rejects.toThrow(/append-only/);
      await expect(t.db.query(`TRUNCATE step_events`)).rejects.toThrow(/append-only/);
      const after = await t.db.query(
        `SELECT count(*)::int AS n, count(*) FILTER (WHERE note = 'sửa lịch sử')::int AS edited FROM step_events`,
      );
      expect(after.rows[0]).toEqual({ n, edited: 0 });
    });
  });
});
