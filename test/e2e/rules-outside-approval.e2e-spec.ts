import type { Role } from '@app/core';
import { TRANSITIONS, type Action } from '@app/workflow';
import { startTestApp, TestApp } from '../setup/test-app';
import { expectError } from '../setup/errors';
import { act, completeBefore, history, plannedTree, setStatus, SMALL_TREE, stepRow, usersOf } from '../factories/workflow';

/**
 * The tree's root has no superior inside the tree: its approvals are outside decisions (the
 * Politburo / Secretariat for a province) that an admin of the root records with the decision's
 * reference. Table-driven over the transitions that have a root variant × the roles of the root.
 */
const ROLES: Role[] = ['viewer', 'editor', 'supervisor', 'admin'];
const APPROVAL_STEP = 7;
const NO_APPROVAL_STEP = 3;
const REF = 'Quyết định số 123-QĐ/TW ngày 10/10/2025';

/** Each superior's action with the state it starts from and the step it is tried on. */
const CASES: { action: Action; from: string; stepNo: number; to: string }[] = [
  { action: 'approve', from: 'awaiting_approval', stepNo: APPROVAL_STEP, to: 'completed' },
  { action: 'return', from: 'awaiting_approval', stepNo: APPROVAL_STEP, to: 'returned' },
  { action: 'reopen', from: 'completed', stepNo: NO_APPROVAL_STEP, to: 'in_progress' },
  { action: 'skip', from: 'not_started', stepNo: NO_APPROVAL_STEP, to: 'skipped' },
];

describe("root outside approval: the root's own workflow can finish", () => {
  let t: TestApp;
  let root: number;
  let rootUsers: Record<Role, string>;
  let provinceId: number;

  beforeAll(async () => {
    t = await startTestApp();
    const { ids } = await plannedTree(t, SMALL_TREE);
    root = t.rootUnitId;
    provinceId = ids.P;
    await completeBefore(t, root, 15);
    rootUsers = await usersOf(t, root);
  });
  afterAll(async () => t?.close());

  it('the table gives every superior transition a root variant: admin of the root, documentRef required', () => {
    for (const tr of TRANSITIONS) {
      if (tr.actor === 'superior')
        expect({ action: tr.action, atRoot: tr.atRoot }).toEqual({
          action: tr.action,
          atRoot: { actor: 'outside', minRole: 'admin', documentRefRequired: true },
        });
      else expect({ action: tr.action, atRoot: tr.atRoot }).toEqual({ action: tr.action, atRoot: undefined });
    }
  });

  const table = CASES.flatMap((c) => ROLES.map((role) => [c.action, role, c] as const));

  it.each(table)('%s on the root by its %s', async (_action, role, c) => {
    const version = await setStatus(t, root, c.stepNo, c.from);
    const res = await act(t, rootUsers[role], root, c.stepNo, c.action, {
      expectedVersion: version,
      note: 'Ý kiến của Bộ Chính trị',
      documentRef: REF,
    });
    if (role === 'admin') {
      expect({ status: res.status, to: res.body.status }).toEqual({ status: 200, to: c.to });
      expect((await stepRow(t, root, c.stepNo)).status).toBe(c.to);
      const events = (await history(t, rootUsers.admin, root, c.stepNo)).body as { action: string; documentRef: string }[];
      expect(events[events.length - 1]).toEqual(expect.objectContaining({ action: c.action, documentRef: REF }));
    } else {
      expectError(res, 403, 'FORBIDDEN_SCOPE');
      expect(res.body.details).toEqual(expect.objectContaining({ requiredRole: 'admin', requiredActor: 'outside' }));
      expect((await stepRow(t, root, c.stepNo)).status).toBe(c.from);
    }
  });

  it.each(CASES.map((c) => [c.action, c] as const))(
    '%s on the root without documentRef is refused (400), nothing changes',
    async (_a, c) => {
      const version = await setStatus(t, root, c.stepNo, c.from);
      const res = await act(t, rootUsers.admin, root, c.stepNo, c.action, { expectedVersion: version, note: 'Lý do' });
      expectError(res, 400, 'VALIDATION_FAILED');
      expect(res.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'documentRef' })]));
      expect(await stepRow(t, root, c.stepNo)).toEqual(expect.objectContaining({ status: c.from, version }));
    },
  );

  it("the root admin's allowedActions on an awaiting step include approve and return; a supervisor's do not", async () => {
    await setStatus(t, root, APPROVAL_STEP, 'awaiting_approval');
    const asAdmin = await t.request('GET', `/api/units/${root}/workflow`, { token: rootUsers.admin });
    const asSupervisor = await t.request('GET', `/api/units/${root}/workflow`, { token: rootUsers.supervisor });
    const step = (body: any) => body.steps.find((s: { no: number }) => s.no === APPROVAL_STEP);
    expect(step(asAdmin.body).allowedActions).toEqual(['approve', 'return']);
    expect(step(asSupervisor.body).allowedActions).toEqual([]);
  });

  it("below the root nothing changes: the unit's own admin still cannot approve its own step", async () => {
    await completeBefore(t, provinceId, 15);
    const version = await setStatus(t, provinceId, APPROVAL_STEP, 'awaiting_approval');
    const own = await act(t, await t.loginAs('admin', provinceId), provinceId, APPROVAL_STEP, 'approve', {
      expectedVersion: version,
      documentRef: REF,
    });
    expectError(own, 403, 'FORBIDDEN_SCOPE');
    const bySuperior = await act(t, rootUsers.supervisor, provinceId, APPROVAL_STEP, 'approve', { expectedVersion: version });
    expect({ status: bySuperior.status, to: bySuperior.body.status }).toEqual({ status: 200, to: 'completed' });
  });

  it('the OpenAPI description of the action route shows the root variant', async () => {
    const doc = await t.request('GET', '/docs-json');
    const op = doc.body.paths['/api/units/{id}/steps/{no}/actions'].post;
    expect(op.description).toContain('admin of the root records the outside decision, documentRef required');
  });
});
