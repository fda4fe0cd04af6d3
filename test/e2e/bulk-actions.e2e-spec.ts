import { startTestApp, TestApp } from '../setup/test-app';
import { expectError } from '../setup/errors';
import { communes, history, plannedTree, setStatus, stepRow } from '../factories/workflow';

/**
 * POST /api/steps/bulk-actions: each item its own transition with the rules of the single-step
 * endpoint and its own scope check, a result per item, one refusal undoing nothing else. And the
 * fields of the workflow view the unit page reads (who changed a step, its last note, days overdue).
 */
describe('bulk actions', () => {
  let t: TestApp;
  let ids: Record<string, number>;
  let editor: string;
  let editorId: number;

  beforeAll(async () => {
    t = await startTestApp();
    const rows = [
      ...communes(40),
      { code: 'E', name: 'Huyện ủy E', tier: 'district' as const, parentCode: 'P' },
      { code: 'E1', name: 'Đảng ủy xã E1', tier: 'grassroots' as const, parentCode: 'E' },
    ];
    ({ ids } = await plannedTree(t, rows));
    await t.db.query(`UPDATE unit_steps SET due_date = NULL`);
    t.setClock('2026-03-10');
    editor = await t.loginAs('editor', ids.D, 'editor.d@test.vn');
    editorId = (await t.db.query(`SELECT id FROM users WHERE email = 'editor.d@test.vn'`)).rows[0].id;
  });
  afterAll(async () => t?.close());

  const bulk = (body: unknown, token = editor) => t.request('POST', '/api/steps/bulk-actions', { token, body });
  const item = (code: string, stepNo: number, expectedVersion = 1) => ({ unitId: ids[code], stepNo, expectedVersion });

  it('mixed results: one done, a stale version, one out of scope, an invalid transition, prerequisites, a missing unit', async () => {
    expect(await setStatus(t, ids.C2, 1, 'not_started')).toBe(2); // C2 step 1 now at version 2: the item's 1 is stale
    await setStatus(t, ids.C5, 1, 'in_progress');
    const res = await bulk({
      action: 'start',
      note: 'Bắt đầu đồng loạt',
      documentRef: 'Kế hoạch số 01-KH/HU',
      items: [
        item('C1', 1),
        item('C2', 1),
        item('E1', 1),
        item('C5', 1, 2),
        item('C4', 2),
        { unitId: 999999, stepNo: 1, expectedVersion: 1 },
      ],
    });
    expect(res.status).toBe(200);
    const results = res.body.results;
    expect(results.map((r: any) => [r.unitId, r.stepNo, r.ok, r.code ?? null])).toEqual([
      [ids.C1, 1, true, null],
      [ids.C2, 1, false, 'VERSION_CONFLICT'],
      [ids.E1, 1, false, 'FORBIDDEN_SCOPE'],
      [ids.C5, 1, false, 'INVALID_TRANSITION'],
      [ids.C4, 2, false, 'PREREQUISITES_PENDING'],
      [999999, 1, false, 'NOT_FOUND'],
    ]);
    expect(results[0].step).toMatchObject({
      no: 1,
      status: 'in_progress',
      version: 2,
      updatedBy: { id: editorId, name: 'Test editor' },
      lastNote: 'Bắt đầu đồng loạt',
      lastDocumentRef: 'Kế hoạch số 01-KH/HU',
    });
    expect(results[1]).toMatchObject({ message: expect.any(String), details: { currentVersion: 2 } });
    expect(results[3].details).toEqual({ status: 'in_progress', allowedActions: ['complete'] });
    expect(results[4].details.pending).toEqual([1]);
    for (const r of results.slice(1)) expect(r).not.toHaveProperty('step');
    // What the database holds: only C1 moved; the others are as they were.
    expect(await stepRow(t, ids.C1, 1)).toMatchObject({ status: 'in_progress', version: 2 });
    expect(await stepRow(t, ids.C2, 1)).toMatchObject({ status: 'not_started', version: 2 });
    expect(await stepRow(t, ids.E1, 1)).toMatchObject({ status: 'not_started', version: 1 });
    expect(await stepRow(t, ids.C5, 1)).toMatchObject({ status: 'in_progress', version: 2 });
    const events = await history(t, editor, ids.C1, 1);
    expect(events.body).toEqual([
      expect.objectContaining({
        action: 'start',
        actor: { id: editorId, name: 'Test editor', email: 'editor.d@test.vn' },
        note: 'Bắt đầu đồng loạt',
        documentRef: 'Kế hoạch số 01-KH/HU',
      }),
    ]);
  });

  it('many items at once, each applied once: the same step twice gives one success and one VERSION_CONFLICT', async () => {
    const codes = Array.from({ length: 30 }, (_, i) => `C${i + 10}`);
    const res = await bulk({ action: 'start', items: [...codes.map((c) => item(c, 1)), item('C10', 1)] });
    expect(res.status).toBe(200);
    expect(res.body.results).toHaveLength(31);
    expect(res.body.results.slice(0, 30).map((r: any) => r.unitId)).toEqual(codes.map((c) => ids[c]));
    const ok = res.body.results.filter((r: any) => r.ok);
    expect(ok).toHaveLength(30);
    const c10 = res.body.results.filter((r: any) => r.unitId === ids.C10);
    expect(c10.map((r: any) => r.ok).sort()).toEqual([false, true]);
    expect(c10.find((r: any) => !r.ok).code).toBe('VERSION_CONFLICT');
    const { rows } = await t.db.query(
      `SELECT count(*)::int AS n FROM unit_steps WHERE unit_id = ANY($1::int[]) AND step_no = 1 AND status = 'in_progress' AND version = 2`,
      [codes.map((c) => ids[c])],
    );
    expect(rows[0].n).toBe(30);
    const { rows: events } = await t.db.query(`SELECT count(*)::int AS n FROM step_events WHERE unit_id = $1 AND step_no = 1`, [ids.C10]);
    expect(events[0].n).toBe(1);
  });

  it('refuses the whole request when the body is invalid: 0 or 1001 items, a missing note, an unknown action', async () => {
    const many = Array.from({ length: 1001 }, () => item('C3', 1));
    const tooMany = await bulk({ action: 'start', items: many });
    expectError(tooMany, 400, 'VALIDATION_FAILED');
    expect(tooMany.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'items' })]));
    expectError(await bulk({ action: 'start', items: [] }), 400, 'VALIDATION_FAILED');
    expectError(await bulk({ action: 'fly', items: [item('C3', 1)] }), 400, 'VALIDATION_FAILED');
    expectError(await bulk({ action: 'start', items: [{ unitId: ids.C3, stepNo: 16, expectedVersion: 1 }] }), 400, 'VALIDATION_FAILED');
    const supervisor = await t.loginAs('supervisor', ids.D);
    const noNote = await bulk({ action: 'skip', items: [item('C3', 2)] }, supervisor);
    expectError(noNote, 400, 'VALIDATION_FAILED');
    expect(noNote.body.details).toEqual([expect.objectContaining({ field: 'note' })]);
    expect(await stepRow(t, ids.C3, 2)).toMatchObject({ status: 'not_started', version: 1 });
    // 1,000 is allowed (all refused here: stale versions, nothing written).
    const thousand = await bulk({ action: 'start', items: Array.from({ length: 1000 }, () => item('C3', 1, 7)) });
    expect(thousand.status).toBe(200);
    expect(new Set(thousand.body.results.map((r: any) => r.code))).toEqual(new Set(['VERSION_CONFLICT']));
  });

  it('editor+ only; a superior-only action is refused per item for an editor', async () => {
    const viewer = await t.loginAs('viewer', ids.D);
    expectError(await bulk({ action: 'start', items: [item('C3', 1)] }, viewer), 403, 'FORBIDDEN_SCOPE');
    const res = await bulk({ action: 'skip', note: 'Không tổ chức', items: [item('C3', 2)] });
    expect(res.body.results[0]).toMatchObject({ ok: false, code: 'FORBIDDEN_SCOPE' });
  });

  it('the workflow view names who changed a step, its last note and document, and the days overdue', async () => {
    await t.db.query(`UPDATE unit_steps SET due_date = '2026-03-05' WHERE unit_id = $1 AND step_no IN (1, 2)`, [ids.C1]);
    const res = await t.request('GET', `/api/units/${ids.C1}/workflow`, { token: editor });
    expect(res.status).toBe(200);
    const [s1, s2] = res.body.steps;
    expect(s1).toMatchObject({
      no: 1,
      status: 'in_progress',
      overdue: true,
      daysOverdue: 5,
      updatedBy: { id: editorId, name: 'Test editor' },
      lastNote: 'Bắt đầu đồng loạt',
      lastDocumentRef: 'Kế hoạch số 01-KH/HU',
    });
    expect(s2).toMatchObject({ no: 2, overdue: true, daysOverdue: 5, updatedBy: null, lastNote: null, lastDocumentRef: null });
    expect(res.body.steps[2]).toMatchObject({ no: 3, overdue: false, daysOverdue: 0 });
    expect(res.body.progress).toEqual({ completed: 0, total: 15, overdue: 2 });
  });
});
