import { ROLE_RANK, type Role } from '@app/core';
import { ACTIONS, STEP_STATUSES, TRANSITION_BY_ACTION, TRANSITIONS, type Action, type StepStatus } from '@app/workflow';
import { startTestApp, TestApp } from '../setup/test-app';
import { expectError } from '../setup/errors';
import { act, completeBefore, outboxOf, plannedTree, setStatus, SMALL_TREE, stepRow, usersOf } from '../factories/workflow';

/**
 * Every (state, action, role, relation) against the one declarative transition table: the
 * expectation is derived from TRANSITIONS and the scope rule, the answer comes from the API.
 * The step is put into each state directly with SQL on a commune (D1-1) whose prerequisites
 * are all completed; step 3 needs no approval, step 7 does.
 */
const ROLES: Role[] = ['viewer', 'editor', 'supervisor', 'admin'];
const RELATIONS = ['self', 'ancestor', 'outside'] as const;
type Relation = (typeof RELATIONS)[number];
const NO_APPROVAL_STEP = 3;
const APPROVAL_STEP = 7;

/** The step(s) each action is tried on: its own kind of step, and both kinds where the kind decides (complete vs submit). */
function stepsFor(action: Action): number[] {
  const t = TRANSITION_BY_ACTION[action];
  if (t.approvalStep !== undefined) return [NO_APPROVAL_STEP, APPROVAL_STEP];
  return action === 'approve' || action === 'return' ? [APPROVAL_STEP] : [NO_APPROVAL_STEP];
}

/** The rule as the table states it, for a caller who is in scope (prerequisites met, no congress step). */
function permitted(action: Action, role: Role, relation: Relation): boolean {
  const t = TRANSITION_BY_ACTION[action];
  return ROLE_RANK[role] >= ROLE_RANK[t.minRole] && (t.actor === 'unit' || relation === 'ancestor');
}

function fits(action: Action, status: StepStatus, stepNo: number): boolean {
  const t = TRANSITION_BY_ACTION[action];
  return t.from.includes(status) && (t.approvalStep === undefined || t.approvalStep === (stepNo === APPROVAL_STEP));
}

function expectedAllowed(status: StepStatus, stepNo: number, role: Role, relation: Relation): Action[] {
  if (relation === 'outside') return [];
  return ACTIONS.filter((a) => permitted(a, role, relation) && fits(a, status, stepNo));
}

type Outcome = { status: 200; to: StepStatus; allowedActions: Action[] } | { status: 403 | 409; code: string; allowedActions?: Action[] };

function expected(status: StepStatus, action: Action, stepNo: number, role: Role, relation: Relation): Outcome {
  if (relation === 'outside' || !permitted(action, role, relation)) return { status: 403, code: 'FORBIDDEN_SCOPE' };
  if (!fits(action, status, stepNo)) {
    return { status: 409, code: 'INVALID_TRANSITION', allowedActions: expectedAllowed(status, stepNo, role, relation) };
  }
  const to = TRANSITION_BY_ACTION[action].to;
  return { status: 200, to, allowedActions: expectedAllowed(to, stepNo, role, relation) };
}

describe('the transition table, walked through the API', () => {
  let t: TestApp;
  let unitId: number;
  const tokens = {} as Record<Relation, Record<Role, string>>;

  beforeAll(async () => {
    t = await startTestApp();
    const { ids } = await plannedTree(t, SMALL_TREE);
    unitId = ids['D1-1'];
    await completeBefore(t, unitId, 15);
    tokens.self = await usersOf(t, unitId);
    tokens.ancestor = await usersOf(t, ids.D1);
    tokens.outside = await usersOf(t, ids['D1-2']);
  });
  afterAll(async () => t?.close());

  it('the table is the one of ARCHITECTURE.md', () => {
    expect(TRANSITIONS.map((x) => [x.action, [...x.from], x.to, x.actor, x.minRole])).toEqual([
      ['start', ['not_started'], 'in_progress', 'unit', 'editor'],
      ['complete', ['in_progress'], 'completed', 'unit', 'editor'],
      ['submit', ['in_progress', 'returned'], 'awaiting_approval', 'unit', 'editor'],
      ['approve', ['awaiting_approval'], 'completed', 'superior', 'supervisor'],
      ['return', ['awaiting_approval'], 'returned', 'superior', 'supervisor'],
      ['reopen', ['completed', 'skipped'], 'in_progress', 'superior', 'supervisor'],
      ['skip', ['not_started'], 'skipped', 'superior', 'supervisor'],
    ]);
  });

  const cases = STEP_STATUSES.flatMap((state) => ACTIONS.map((action) => [state, action] as const));

  it.each(cases)('from %s, action %s: every role and relation', async (state, action) => {
    const outcomes: Record<string, unknown> = {};
    const wanted: Record<string, unknown> = {};
    let allowedCalls = 0;
    for (const stepNo of stepsFor(action)) {
      for (const relation of RELATIONS) {
        for (const role of ROLES) {
          const key = `step ${stepNo} by ${role} of ${relation}`;
          const version = await setStatus(t, unitId, stepNo, state);
          const outboxBefore = (await outboxOf(t, unitId)).length;
          const res = await act(t, tokens[relation][role], unitId, stepNo, action, { expectedVersion: version, note: 'Ghi chú kiểm thử' });
          const after = await stepRow(t, unitId, stepNo);
          const published = (await outboxOf(t, unitId)).slice(outboxBefore).map((r) => r.topic);
          const want = expected(state, action, stepNo, role, relation);
          wanted[key] = want;
          if (res.status === 200) {
            outcomes[key] = { status: 200, to: res.body.status, allowedActions: res.body.allowedActions };
            // The stored row moved, once, and the outbox got what the table says this transition emits.
            expect({ key, status: after.status, version: after.version, bodyVersion: res.body.version }).toEqual({
              key,
              status: TRANSITION_BY_ACTION[action].to,
              version: version + 1,
              bodyVersion: version + 1,
            });
            expect({ key, published }).toEqual({
              key,
              published: TRANSITION_BY_ACTION[action].emits ? [TRANSITION_BY_ACTION[action].emits] : [],
            });
            allowedCalls++;
          } else {
            expectError(res, res.status, res.body?.code);
            outcomes[key] = {
              status: res.status,
              code: res.body.code,
              ...(res.body.code === 'INVALID_TRANSITION' ? { allowedActions: res.body.details?.allowedActions } : {}),
            };
            // A refusal changes nothing.
            expect({ key, status: after.status, version: after.version, published }).toEqual({
              key,
              status: state,
              version,
              published: [],
            });
          }
        }
      }
    }
    expect(outcomes).toEqual(wanted);
    // Sanity of the oracle: a transition whose from-state this is has someone allowed to do it.
    const fromHere = TRANSITION_BY_ACTION[action].from.includes(state);
    expect(allowedCalls > 0).toBe(fromHere);
  });

  it('an INVALID_TRANSITION names the current status and the allowed actions', async () => {
    const version = await setStatus(t, unitId, APPROVAL_STEP, 'in_progress');
    const res = await act(t, tokens.self.editor, unitId, APPROVAL_STEP, 'complete', { expectedVersion: version });
    expectError(res, 409, 'INVALID_TRANSITION');
    expect(res.body.details).toEqual(expect.objectContaining({ status: 'in_progress', allowedActions: ['submit'] }));
  });
});
