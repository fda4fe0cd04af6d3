import { startTestApp, TestApp } from '../setup/test-app';
import { expectError } from '../setup/errors';
import { act, completeBefore, plannedTree, setStatus, SMALL_TREE, usersOf } from '../factories/workflow';

/**
 * The root's own submissions are not in anybody's "Chờ phê duyệt": nobody in the tree is above the
 * root, its approvals are outside decisions. GET /api/approvals never lists them; the root's admin,
 * who records the outside decision, finds them with `outside=true` (nobody else gets any).
 */
describe("the root's own submissions await an outside decision, not anyone's approvals", () => {
  let t: TestApp;
  let ids: Record<string, number>;
  let root: number;
  const STEP = 7;
  const DECISION = 'Quyết định số 1234-QĐ/TW';

  beforeAll(async () => {
    t = await startTestApp();
    ({ ids } = await plannedTree(t, SMALL_TREE));
    root = t.rootUnitId;
    for (const unit of [root, ids.P]) {
      await completeBefore(t, unit, STEP);
      await setStatus(t, unit, STEP, 'in_progress');
    }
    const rootEditor = (await usersOf(t, root)).editor;
    expect((await act(t, rootEditor, root, STEP, 'submit')).status).toBe(200);
    expect((await act(t, (await usersOf(t, ids.P)).editor, ids.P, STEP, 'submit')).status).toBe(200);
  });
  afterAll(async () => t?.close());

  const approvals = async (token: string, query = '') => {
    const res = await t.request('GET', `/api/approvals${query}`, { token });
    expect(res.status).toBe(200);
    return res.body as { total: number; items: { unitId: number; stepNo: number }[] };
  };

  it.each(['admin', 'supervisor'] as const)("the root's %s: the root's own submission is not in GET /api/approvals", async (role) => {
    const page = await approvals((await usersOf(t, root))[role]);
    expect(page.items.map((i) => [i.unitId, i.stepNo])).toEqual([[ids.P, STEP]]);
    expect(page.total).toBe(1);
  });

  it("the root's admin finds it with outside=true, and only it", async () => {
    const page = await approvals(t.adminToken, '?outside=true');
    expect(page.items).toEqual([expect.objectContaining({ unitId: root, stepNo: STEP, submittedBy: expect.any(Object) })]);
    expect(page.total).toBe(1);
  });

  // Who else asks for outside=true: nobody else records an outside decision.
  const others: [string, () => Promise<string>][] = [
    ["the root's supervisor", async () => (await usersOf(t, root)).supervisor],
    ["the root's editor", async () => (await usersOf(t, root)).editor],
    ["the province's admin", async () => (await usersOf(t, ids.P)).admin],
  ];
  it.each(others)('%s gets an empty page with outside=true', async (_who, token) => {
    expect(await approvals(await token(), '?outside=true')).toEqual({ items: [], total: 0 });
  });

  it('outside must be true or false', async () => {
    expectError(await t.request('GET', '/api/approvals?outside=maybe', { token: t.adminToken }), 400, 'VALIDATION_FAILED');
  });

  it('recording the outside decision closes it: the list is empty again', async () => {
    const res = await act(t, t.adminToken, root, STEP, 'approve', { documentRef: DECISION });
    expect([res.status, res.body.status]).toEqual([200, 'completed']);
    expect(await approvals(t.adminToken, '?outside=true')).toEqual({ items: [], total: 0 });
  });
});
