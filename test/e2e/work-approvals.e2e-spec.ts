import { startTestApp, TestApp } from '../setup/test-app';
import { expectError } from '../setup/errors';
import { act, completeBefore, plannedTree, setStatus, SMALL_TREE, stepRow } from '../factories/workflow';

/**
 * GET /api/work ("Việc cần làm") and GET /api/approvals ("Chờ phê duyệt") on a small tree whose due
 * dates and statuses are set by hand, on a fixed day.
 *
 *   P ─ D1 ─ D1-1 ─ D1-1-1   step 1 due 01/03 (overdue 9 days), step 2 due 12/03 (due soon)
 *      │     │    └ D1-1-2   step 3 returned
 *      │     │  D1-1         step 7 submitted first (awaiting approval), step 9 due 30/03 (later: not listed)
 *      │     └ D1-2          step 7 submitted second, step 8 due 15/03 (due soon), step 10 completed, due long ago
 *      └ D2 ─ D2-1           step 1 due 18/02 (overdue 20 days)
 */
const TODAY = '2026-03-10';

describe('"Việc cần làm" and "Chờ phê duyệt"', () => {
  let t: TestApp;
  let ids: Record<string, number>;
  const tokens: Record<string, string> = {};
  let editorId: number;

  const due = (code: string, no: number, date: string | null) =>
    t.db.query(`UPDATE unit_steps SET due_date = $3 WHERE unit_id = $1 AND step_no = $2`, [ids[code], no, date]);

  beforeAll(async () => {
    t = await startTestApp();
    ({ ids } = await plannedTree(t, SMALL_TREE));
    await t.db.query(`UPDATE unit_steps SET due_date = NULL`);
    t.setClock(TODAY);
    tokens.districtEditor = await t.loginAs('editor', ids.D1, 'editor.d1@test.vn');
    editorId = (await t.db.query(`SELECT id FROM users WHERE email = 'editor.d1@test.vn'`)).rows[0].id;
    tokens.districtSupervisor = await t.loginAs('supervisor', ids.D1);
    tokens.communeSupervisor = await t.loginAs('supervisor', ids['D1-1']);
    tokens.otherDistrict = await t.loginAs('supervisor', ids.D2);
    tokens.viewer = await t.loginAs('viewer', ids.D1);

    await due('D1-1-1', 1, '2026-03-01');
    await due('D1-1-1', 3, '2026-03-12'); // a cell: step 3 (it has no step 2)
    await setStatus(t, ids['D1-1-2'], 3, 'returned');
    await due('D2-1', 1, '2026-02-18');
    await due('D1-1', 9, '2026-03-30');
    await due('D1-2', 8, '2026-03-15');
    await due('D1-2', 10, '2026-01-01');
    await setStatus(t, ids['D1-2'], 10, 'completed');
    // Two real submissions, D1-1 first: the approvals list shows their notes.
    for (const [code, note, documentRef] of [
      ['D1-1', 'Trình phương án nhân sự', 'Tờ trình số 12-TTr/ĐU'],
      ['D1-2', 'Đề nghị phê duyệt', null],
    ] as const) {
      await completeBefore(t, ids[code], 7);
      await setStatus(t, ids[code], 7, 'in_progress');
      const res = await act(t, tokens.districtEditor, ids[code], 7, 'submit', { note, ...(documentRef ? { documentRef } : {}) });
      expect(res.status).toBe(200);
      // Distinct submission instants, in this order, whatever the clock's resolution.
      await t.db.query(`UPDATE unit_steps SET updated_at = $2 WHERE unit_id = $1 AND step_no = 7`, [
        ids[code],
        code === 'D1-1' ? '2026-03-01T08:00:00Z' : '2026-03-05T08:00:00Z',
      ]);
    }
  });
  afterAll(async () => t?.close());

  const work = async (who: string, query = '') => {
    const res = await t.request('GET', `/api/work${query}`, { token: tokens[who] ?? who });
    expect(res.status).toBe(200);
    return res.body;
  };
  const codesOf = (items: any[]) => items.map((i) => i.code);

  describe('GET /api/work', () => {
    it("a district editor: the subtree's units with overdue, due-soon and returned steps, most urgent first", async () => {
      const body = await work('districtEditor');
      expect(codesOf(body.items)).toEqual(['D1-1-1', 'D1-1-2', 'D1-2']);
      expect(body.total).toBe(3);
      // Awaiting approval is not the editor's work; the completed step due long ago is nobody's.
      expect(body.counts).toEqual({ overdue: 1, dueSoon: 2, returned: 1, awaitingApproval: 0 });
      const [first, second, third] = body.items;
      expect(first).toEqual({
        unitId: ids['D1-1-1'],
        code: 'D1-1-1',
        name: 'Chi bộ thôn D1-1-1',
        tier: 'cell',
        parentId: ids['D1-1'],
        parentName: 'Đảng ủy xã D1-1',
        urgency: 'overdue',
        steps: [
          expect.objectContaining({
            no: 1,
            status: 'not_started',
            dueDate: '2026-03-01',
            daysOverdue: 9,
            daysLeft: -9,
            reason: 'overdue',
            version: 1,
          }),
          expect.objectContaining({ no: 3, status: 'not_started', dueDate: '2026-03-12', daysOverdue: 0, daysLeft: 2, reason: 'due_soon' }),
        ],
      });
      expect(first.steps[0]).toEqual(expect.objectContaining({ code: expect.any(String), title: expect.any(String) }));
      expect(second).toMatchObject({
        code: 'D1-1-2',
        urgency: 'returned',
        steps: [{ no: 3, status: 'returned', reason: 'returned', dueDate: null, daysLeft: null, daysOverdue: 0 }],
      });
      expect(third).toMatchObject({ code: 'D1-2', urgency: 'due_soon', steps: [{ no: 8, reason: 'due_soon', daysLeft: 5 }] });
    });

    it('a district supervisor also sees the submissions awaiting approval, oldest first', async () => {
      const body = await work('districtSupervisor');
      expect(codesOf(body.items)).toEqual(['D1-1-1', 'D1-1-2', 'D1-1', 'D1-2']);
      expect(body.counts).toEqual({ overdue: 1, dueSoon: 2, returned: 1, awaitingApproval: 2 });
      const d12 = body.items[3];
      expect(d12.urgency).toBe('approval');
      expect(d12.steps.map((s: any) => [s.no, s.reason])).toEqual([
        [7, 'awaiting_approval'],
        [8, 'due_soon'],
      ]);
      expect(d12.steps[0].version).toBe((await stepRow(t, ids['D1-2'], 7)).version);
    });

    it("never the caller's own unit's submissions: a commune supervisor does not approve their own", async () => {
      const body = await work('communeSupervisor');
      expect(codesOf(body.items)).toEqual(['D1-1-1', 'D1-1-2']);
      expect(body.counts.awaitingApproval).toBe(0);
    });

    it('rootId narrows to a subtree; outside the caller subtree is 403', async () => {
      expect(codesOf((await work('districtEditor', `?rootId=${ids['D1-1']}`)).items)).toEqual(['D1-1-1', 'D1-1-2']);
      expectError(await t.request('GET', `/api/work?rootId=${ids['D2-1']}`, { token: tokens.districtEditor }), 403, 'FORBIDDEN_SCOPE');
      expectError(await t.request('GET', `/api/work?rootId=${ids.P}`, { token: tokens.districtEditor }), 403, 'FORBIDDEN_SCOPE');
      expectError(await t.request('GET', `/api/work?rootId=999999`, { token: tokens.districtEditor }), 404, 'NOT_FOUND');
    });

    it('the national root (partial-index plan) and the province (per-unit plan) agree', async () => {
      const national = await work(t.adminToken);
      expect(codesOf(national.items)).toEqual(['D2-1', 'D1-1-1', 'D1-1-2', 'D1-1', 'D1-2']);
      expect(national.items[0].steps[0]).toMatchObject({ no: 1, daysOverdue: 20 });
      expect(national.counts).toEqual({ overdue: 2, dueSoon: 2, returned: 1, awaitingApproval: 2 });
      const province = await work(t.adminToken, `?rootId=${ids.P}`);
      expect(province).toEqual(national);
    });

    it('pages by unit, the total and counts unchanged', async () => {
      const page2 = await work(t.adminToken, '?page=2&pageSize=2');
      expect(codesOf(page2.items)).toEqual(['D1-1-2', 'D1-1']);
      expect(page2.total).toBe(5);
      const beyond = await work(t.adminToken, '?page=9&pageSize=2');
      expect(beyond).toMatchObject({ items: [], total: 5, counts: { overdue: 2 } });
    });

    it('moves with the day: a due-soon step becomes overdue, a completed one leaves', async () => {
      t.setClock('2026-03-13');
      try {
        const body = await work('districtEditor');
        expect(body.items[0].steps.map((s: any) => [s.no, s.reason, s.daysOverdue])).toEqual([
          [1, 'overdue', 12],
          [3, 'overdue', 1],
        ]);
        expect(body.counts).toMatchObject({ overdue: 2, dueSoon: 1 });
      } finally {
        t.setClock(TODAY);
      }
      await setStatus(t, ids['D1-1-2'], 3, 'completed');
      try {
        expect(codesOf((await work('districtEditor')).items)).toEqual(['D1-1-1', 'D1-2']);
      } finally {
        await setStatus(t, ids['D1-1-2'], 3, 'returned');
      }
    });

    it('refuses bad paging with 400', async () => {
      for (const q of ['?pageSize=101', '?page=0', '?pageSize=abc', '?rootId=1.5']) {
        expectError(await t.request('GET', `/api/work${q}`, { token: tokens.districtEditor }), 400, 'VALIDATION_FAILED');
      }
    });
  });

  describe('GET /api/approvals', () => {
    it('a district supervisor: submissions below, oldest first, with the note and document reference', async () => {
      const res = await t.request('GET', '/api/approvals', { token: tokens.districtSupervisor });
      expect(res.status).toBe(200);
      expect(res.body.total).toBe(2);
      expect(res.body.items.map((i: any) => i.code)).toEqual(['D1-1', 'D1-2']);
      expect(res.body.items[0]).toEqual({
        unitId: ids['D1-1'],
        code: 'D1-1',
        name: 'Đảng ủy xã D1-1',
        tier: 'grassroots',
        parentName: 'Huyện ủy D1',
        stepNo: 7,
        stepCode: 'personnel_scheme',
        stepTitle: expect.any(String),
        submittedAt: '2026-03-01T08:00:00.000Z',
        submittedBy: { id: editorId, name: 'Test editor', email: 'editor.d1@test.vn' },
        note: 'Trình phương án nhân sự',
        documentRef: 'Tờ trình số 12-TTr/ĐU',
        version: (await stepRow(t, ids['D1-1'], 7)).version,
        dueDate: null,
      });
      expect(res.body.items[1]).toMatchObject({ code: 'D1-2', note: 'Đề nghị phê duyệt', documentRef: null });
    });

    it('the approved one leaves the list; pageSize=1 gives the count for the navigation', async () => {
      const one = await t.request('GET', '/api/approvals?pageSize=1', { token: t.adminToken });
      expect(one.body).toMatchObject({ total: 2, items: [{ code: 'D1-1' }] });
      const approved = await act(t, tokens.districtSupervisor, ids['D1-1'], 7, 'approve');
      expect(approved.status).toBe(200);
      const after = await t.request('GET', '/api/approvals', { token: tokens.districtSupervisor });
      expect(after.body.items.map((i: any) => i.code)).toEqual(['D1-2']);
      expect(after.body.total).toBe(1);
    });

    it('only for those who may approve: editors and viewers get none, a unit never its own', async () => {
      for (const who of ['districtEditor', 'viewer']) {
        const res = await t.request('GET', '/api/approvals', { token: tokens[who] });
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ items: [], total: 0 });
      }
      const own = await t.loginAs('supervisor', ids['D1-2']);
      expect((await t.request('GET', '/api/approvals', { token: own })).body.total).toBe(0);
      expect((await t.request('GET', '/api/approvals', { token: tokens.otherDistrict })).body.total).toBe(0);
    });

    it('rootId outside the subtree is 403', async () => {
      expectError(await t.request('GET', `/api/approvals?rootId=${ids.D1}`, { token: tokens.otherDistrict }), 403, 'FORBIDDEN_SCOPE');
      const inside = await t.request('GET', `/api/approvals?rootId=${ids['D1-2']}`, { token: tokens.districtSupervisor });
      expect(inside.body.items.map((i: any) => i.code)).toEqual(['D1-2']);
    });
  });
});
