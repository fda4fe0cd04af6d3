import { startTestApp, TestApp } from '../setup/test-app';
import { expectError } from '../setup/errors';
import { act, plannedTree, setStatus, SMALL_TREE } from '../factories/workflow';
import type { ImportRow } from '../factories/tree';

/**
 * Units merged and dissolved mid-campaign (API.md "Reorganisation"): one transaction closes the
 * sources and their open steps (history kept), moves their active children under the target, records
 * the lineage; closed units are read-only, left out of listings and reports unless asked, and the
 * progress counters stay equal to a recount of the active units after every operation.
 */
const TREE: ImportRow[] = [
  ...SMALL_TREE,
  { code: 'D1-2-1', name: 'Chi bộ thôn D1-2-1', tier: 'cell', parentCode: 'D1-2' },
  { code: 'D2-1-1', name: 'Chi bộ thôn D2-1-1', tier: 'cell', parentCode: 'D2-1' },
  { code: 'D2-2', name: 'Đảng ủy xã D2-2', tier: 'grassroots', parentCode: 'D2' },
];
const DECISION = 'Nghị quyết số 1656/NQ-UBTVQH15';

/** The counters tables next to a recount of the active units' steps (bucket: the depth-2 ancestor, from the path). */
async function countersAndRecount(t: TestApp): Promise<{ stored: unknown[]; recounted: unknown[] }> {
  const q = async (sql: string) => (await t.db.query(sql)).rows;
  const bucket = `(CASE WHEN u.depth >= 2 THEN split_part(u.path, '/', 3)::int ELSE u.id END)`;
  const anchor = `(CASE WHEN u.depth >= 1 THEN split_part(u.path, '/', 2)::int ELSE u.id END)`;
  const open = `us.status NOT IN ('completed', 'skipped', 'closed')`;
  const asOf = `(SELECT overdue_as_of FROM report_state)`;
  const stored = [
    ...(await q(`SELECT 'step' AS kind, bucket_id AS key, tier, step_no AS no, status, n, overdue FROM step_counts
                  WHERE n <> 0 OR overdue <> 0 ORDER BY 2, 3, 4, 5`)),
    ...(await q(`SELECT 'top' AS kind, anchor_id AS key, step_no AS no, status, n, overdue FROM step_counts_top
                  WHERE n <> 0 OR overdue <> 0 ORDER BY 2, 3, 4`)),
    ...(await q(`SELECT 'unit' AS kind, bucket_id AS key, tier, units, units_done AS done FROM unit_counts
                  WHERE units <> 0 OR units_done <> 0 ORDER BY 2, 3`)),
  ];
  const recounted = [
    ...(await q(`SELECT 'step' AS kind, ${bucket} AS key, u.tier, us.step_no AS no, us.status, count(*)::int AS n,
                        (count(*) FILTER (WHERE ${open} AND us.due_date < ${asOf}))::int AS overdue
                   FROM unit_steps us JOIN units u ON u.id = us.unit_id WHERE u.status = 'active'
                  GROUP BY 2, 3, 4, 5 ORDER BY 2, 3, 4, 5`)),
    ...(await q(`SELECT 'top' AS kind, ${anchor} AS key, us.step_no AS no, us.status, count(*)::int AS n,
                        (count(*) FILTER (WHERE ${open} AND us.due_date < ${asOf}))::int AS overdue
                   FROM unit_steps us JOIN units u ON u.id = us.unit_id WHERE u.status = 'active'
                  GROUP BY 2, 3, 4 ORDER BY 2, 3, 4`)),
    ...(await q(`SELECT 'unit' AS kind, ${bucket} AS key, u.tier, count(*)::int AS units,
                        (count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM unit_steps us WHERE us.unit_id = u.id AND ${open})))::int AS done
                   FROM units u WHERE u.status = 'active' AND EXISTS (SELECT 1 FROM unit_steps x WHERE x.unit_id = u.id)
                  GROUP BY 2, 3 ORDER BY 2, 3`)),
  ];
  return { stored, recounted };
}

describe('reorganisation: merge, dissolve, lineage, closed units', () => {
  let t: TestApp;
  let ids: Record<string, number>;
  let newId: number;

  const unit = async (id: number) => (await t.db.query(`SELECT * FROM units WHERE id = $1`, [id])).rows[0];
  const expectCountersExact = async () => {
    const { stored, recounted } = await countersAndRecount(t);
    expect(stored).toEqual(recounted);
  };
  const stepStatuses = async (id: number) =>
    (await t.db.query(`SELECT step_no AS no, status FROM unit_steps WHERE unit_id = $1 ORDER BY step_no`, [id])).rows.map(
      (r) => r.status as string,
    );

  beforeAll(async () => {
    t = await startTestApp();
    t.setClock('2025-07-10');
    ({ ids } = await plannedTree(t, TREE));
    // Some history: D1-1 finished step 1 and is overdue on step 3; D1-2 is in progress on step 1.
    // (Step 3, which cells have too: a cell has no step 2.)
    await setStatus(t, ids['D1-1'], 1, 'completed');
    await t.db.query(`UPDATE unit_steps SET due_date = NULL`);
    await t.db.query(`UPDATE unit_steps SET due_date = '2025-06-01' WHERE unit_id = ANY($1::int[]) AND step_no = 3`, [
      [ids['D1-1'], ids['D1-2'], ids['D1-1-1']],
    ]);
    await t.db.query(`SELECT step_counts_rebuild()`);
    const started = await act(t, t.adminToken, ids['D1-2'], 1, 'start');
    expect(started.status).toBe(200);
    await expectCountersExact();
  });
  afterAll(async () => t?.close());

  it('merges two communes into a new one: sources closed, open steps closed with history, cells moved, new unit gets the plan', async () => {
    const overdueBefore = await t.request('GET', `/api/reports/overdue?rootId=${ids.D1}`, { token: t.adminToken });
    expect(overdueBefore.body.items.map((i: any) => i.code).sort()).toEqual(['D1-1', 'D1-1-1', 'D1-2']);

    const res = await t.request('POST', '/api/units/merge', {
      token: t.adminToken,
      body: {
        sourceIds: [ids['D1-1'], ids['D1-2']],
        into: { code: 'XN', name: 'Đảng bộ xã Xuân Nam', committeeName: 'Đảng ủy xã Xuân Nam', tier: 'grassroots', parentId: ids.D2 },
        effectiveOn: '2025-07-01',
        decisionRef: DECISION,
        note: 'Sắp xếp đơn vị hành chính cấp xã',
      },
    });
    expect(res.status).toBe(200);
    newId = res.body.target.id;
    // D1-1: 14 open steps (step 1 completed); D1-2: 15 open (step 1 in progress).
    expect(res.body).toEqual({ target: { id: newId, code: 'XN' }, closedUnits: 2, closedSteps: 29, movedChildren: 3 });

    for (const code of ['D1-1', 'D1-2']) {
      const u = await unit(ids[code]);
      expect({ status: u.status, successor: u.successor_id, closedOn: u.closed_on.toISOString().slice(0, 10) }).toEqual({
        status: 'merged',
        successor: newId,
        closedOn: expect.any(String),
      });
    }
    expect(await stepStatuses(ids['D1-1'])).toEqual(['completed', ...Array(14).fill('closed')]);
    expect(await stepStatuses(ids['D1-2'])).toEqual(Array(15).fill('closed'));
    // History kept and readable: step 1 of D1-2 went in_progress → closed by the merge, with the decision.
    const hist = await t.request('GET', `/api/units/${ids['D1-2']}/steps/1/history`, { token: t.adminToken });
    expect(hist.status).toBe(200);
    expect(hist.body.map((h: any) => [h.action, h.fromStatus, h.toStatus])).toEqual([
      ['start', 'not_started', 'in_progress'],
      ['merge', 'in_progress', 'closed'],
    ]);
    expect(hist.body[1].documentRef).toBe(DECISION);

    // The cells moved with their paths rewritten; the new unit walks the plan.
    const xn = await unit(newId);
    expect(xn.committee_name).toBe('Đảng ủy xã Xuân Nam');
    for (const code of ['D1-1-1', 'D1-1-2', 'D1-2-1']) {
      const c = await unit(ids[code]);
      expect({ parent: c.parent_id, path: c.path, depth: c.depth }).toEqual({
        parent: newId,
        path: `${xn.path}${c.id}/`,
        depth: xn.depth + 1,
      });
    }
    expect((await stepStatuses(newId)).length).toBe(15);

    // The merged communes are not overdue any more (closed steps); the moved cell's overdue step follows
    // it; the new commune is due by the plan's fixed dates (already past: it needs its own deadlines).
    const overdue = await t.request('GET', `/api/reports/overdue?rootId=${ids.P}&pageSize=1000`, { token: t.adminToken });
    const late = new Set(overdue.body.items.map((i: any) => i.code));
    expect([...late].sort()).toEqual(['D1-1-1', 'XN']);
    await expectCountersExact();
  });

  it('a closed unit is read-only: 409 UNIT_CLOSED for actions, the congress record and edits; its view offers no action', async () => {
    expectError(await act(t, t.adminToken, ids['D1-1'], 1, 'reopen', { note: 'mở lại' }), 409, 'UNIT_CLOSED');
    expectError(await act(t, t.adminToken, ids['D1-2'], 2, 'start'), 409, 'UNIT_CLOSED');
    const bulk = await t.request('POST', '/api/steps/bulk-actions', {
      token: t.adminToken,
      body: { action: 'start', items: [{ unitId: ids['D1-2'], stepNo: 3, expectedVersion: 2 }] },
    });
    expect(bulk.status).toBe(200);
    expect(bulk.body.results[0]).toEqual(expect.objectContaining({ ok: false, code: 'UNIT_CLOSED' }));
    const congress = await t.request('PUT', `/api/units/${ids['D1-1']}/congress`, {
      token: t.adminToken,
      body: { heldOn: '2025-07-05', kind: 'members', contents: [{ no: 1, status: 'done' }] },
    });
    expectError(congress, 409, 'UNIT_CLOSED');
    expectError(await t.request('PATCH', `/api/units/${ids['D1-1']}`, { token: t.adminToken, body: { name: 'Khác' } }), 409, 'UNIT_CLOSED');
    expectError(
      await t.request('POST', '/api/units', {
        token: t.adminToken,
        body: { code: 'NEWCELL', name: 'Chi bộ mới', tier: 'cell', parentId: ids['D1-1'] },
      }),
      409,
      'UNIT_CLOSED',
    );
    const view = await t.request('GET', `/api/units/${ids['D1-1']}/workflow`, { token: t.adminToken });
    expect(view.status).toBe(200);
    expect(view.body.steps.every((s: any) => s.allowedActions.length === 0 && !s.overdue)).toBe(true);
    expect(view.body.steps[1].status).toBe('closed');
    // Merging a closed unit again is refused the same way.
    const again = await t.request('POST', '/api/units/merge', {
      token: t.adminToken,
      body: { sourceIds: [ids['D1-1']], into: { id: ids['D2-1'] }, effectiveOn: '2025-07-01', decisionRef: DECISION },
    });
    expectError(again, 409, 'UNIT_CLOSED');
  });

  it('listings show active units unless asked (status=, includeClosed=true)', async () => {
    const list = async (query: string) => {
      const res = await t.request('GET', `/api/units?${query}`, { token: t.adminToken });
      expect(res.status).toBe(200);
      return (res.body.items as any[]).map((u) => u.code).sort();
    };
    expect(await list(`parentId=${ids.D1}`)).toEqual([]);
    expect(await list(`parentId=${ids.D1}&includeClosed=true`)).toEqual(['D1-1', 'D1-2']);
    expect(await list(`status=merged`)).toEqual(['D1-1', 'D1-2']);
    expect(await list(`parentId=${ids.D2}`)).toEqual(['D2-1', 'D2-2', 'XN']);
    expect(await list(`q=D1-1`)).toEqual(['D1-1-1', 'D1-1-2']);
    const one = await t.request('GET', `/api/units/${ids['D1-1']}`, { token: t.adminToken });
    expect(one.body).toEqual(
      expect.objectContaining({ status: 'merged', successorId: newId, closedOn: '2025-07-01', committeeName: null }),
    );
    const children = await t.request('GET', `/api/units/${ids.D1}/children`, { token: t.adminToken });
    expect(children.status).toBe(200);
    expect(children.body.total).toBe(0);
    const withClosed = await t.request('GET', `/api/units/${ids.D1}/children?includeClosed=true`, { token: t.adminToken });
    expect(withClosed.body.total).toBe(2);
  });

  it('reports count the units that exist now unless includeClosed=true', async () => {
    const progress = async (query: string) => {
      const res = await t.request('GET', `/api/reports/progress?${query}`, { token: t.adminToken });
      expect(res.status).toBe(200);
      return res.body.rows as any[];
    };
    // By child of the province (counters): D1 has no active unit below it any more but itself.
    const byChild = await progress(`rootId=${ids.P}`);
    const d1 = byChild.find((r) => r.key === 'D1');
    expect(d1.units).toBe(1);
    const d2 = byChild.find((r) => r.key === 'D2');
    expect(d2.units).toBe(1 + 2 + 1 + 1 + 3); // D2, D2-1, D2-2, XN, D2-1-1, the 3 moved cells
    expect(d2.steps[0].closed).toBe(0);
    // With closed units (counted directly): D1's two merged communes and their closed steps.
    const all = await progress(`rootId=${ids.P}&includeClosed=true`);
    expect(all.find((r) => r.key === 'D1').units).toBe(3);
    expect(all.find((r) => r.key === 'D1').steps[1].closed).toBe(2);
    // By child of D1 (direct counts): its children are closed.
    expect(await progress(`rootId=${ids.D1}`)).toEqual([]);
    expect((await progress(`rootId=${ids.D1}&includeClosed=true`)).map((r) => r.key)).toEqual(['D1-1', 'D1-2']);
    // By tier: grassroots units that exist now.
    const tiers = await progress(`rootId=${ids.P}&groupBy=tier`);
    expect(tiers.find((r) => r.key === 'grassroots').units).toBe(3);
    expect((await progress(`rootId=${ids.P}&groupBy=tier&includeClosed=true`)).find((r) => r.key === 'grassroots').units).toBe(5);
    const contents = await t.request('GET', `/api/reports/contents?rootId=${ids.P}`, { token: t.adminToken });
    const contentsAll = await t.request('GET', `/api/reports/contents?rootId=${ids.P}&includeClosed=true`, { token: t.adminToken });
    expect(contentsAll.body.summary.units - contents.body.summary.units).toBe(2);
  });

  it('merges into an existing unit: its children join the target, lineage has every predecessor', async () => {
    const res = await t.request('POST', '/api/units/merge', {
      token: t.adminToken,
      body: { sourceIds: [ids['D2-1']], into: { id: newId }, effectiveOn: '2025-07-01', decisionRef: DECISION },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ target: { id: newId, code: 'XN' }, closedUnits: 1, closedSteps: 15, movedChildren: 1 });
    expect((await unit(ids['D2-1-1'])).parent_id).toBe(newId);
    await expectCountersExact();

    const lineage = await t.request('GET', `/api/units/${newId}/lineage`, { token: t.adminToken });
    expect(lineage.status).toBe(200);
    expect(lineage.body.predecessors.map((p: any) => p.code).sort()).toEqual(['D1-1', 'D1-2', 'D2-1']);
    expect(lineage.body.predecessors[0]).toEqual(
      expect.objectContaining({ effectiveOn: '2025-07-01', decisionRef: DECISION, kind: 'merged' }),
    );
    expect(lineage.body.successor).toBeNull();
    const old = await t.request('GET', `/api/units/${ids['D1-1']}/lineage`, { token: t.adminToken });
    expect(old.body).toEqual(
      expect.objectContaining({
        status: 'merged',
        closedOn: '2025-07-01',
        predecessors: [],
        successor: expect.objectContaining({ id: newId, code: 'XN', decisionRef: DECISION }),
      }),
    );
  });

  it('dissolves a unit without active children, and refuses one with children unless they have somewhere to go', async () => {
    // D1 has only closed children now: it may be dissolved on its own.
    const d1 = await t.request('POST', `/api/units/${ids.D1}/dissolve`, {
      token: t.adminToken,
      body: { effectiveOn: '2025-07-01', decisionRef: 'Kết luận 137-KL/TW' },
    });
    expect(d1.status).toBe(200);
    expect(d1.body).toEqual({ unitId: ids.D1, closedSteps: 15, movedChildren: 0, childrenMovedTo: null });
    expect((await unit(ids.D1)).status).toBe('dissolved');
    await expectCountersExact();

    const refused = await t.request('POST', `/api/units/${ids.D2}/dissolve`, {
      token: t.adminToken,
      body: { effectiveOn: '2025-07-01', decisionRef: 'Kết luận 137-KL/TW' },
    });
    expectError(refused, 409, 'CONFLICT');
    expect(refused.body.details).toEqual({ activeChildren: 2 });
    expect((await unit(ids.D2)).status).toBe('active');

    // The communes go directly under the province (the district level abolished).
    const moved = await t.request('POST', `/api/units/${ids.D2}/dissolve`, {
      token: t.adminToken,
      body: { effectiveOn: '2025-07-01', decisionRef: 'Kết luận 137-KL/TW', moveChildrenTo: ids.P },
    });
    expect(moved.status).toBe(200);
    expect(moved.body).toEqual({ unitId: ids.D2, closedSteps: 15, movedChildren: 2, childrenMovedTo: ids.P });
    const xn = await unit(newId);
    const p = await unit(ids.P);
    expect({ parent: xn.parent_id, path: xn.path, depth: xn.depth }).toEqual({
      parent: ids.P,
      path: `${p.path}${newId}/`,
      depth: p.depth + 1,
    });
    const cell = await unit(ids['D1-1-1']);
    expect(cell.path).toBe(`${p.path}${newId}/${cell.id}/`);
    expect(cell.depth).toBe(p.depth + 2);
    await expectCountersExact();
    const lineage = await t.request('GET', `/api/units/${ids.D2}/lineage`, { token: t.adminToken });
    expect(lineage.body).toEqual(expect.objectContaining({ status: 'dissolved', successor: null }));
  });

  it('only an admin of a strict ancestor of every source and of the target reorganises', async () => {
    const supervisor = await t.loginAs('supervisor', ids.P);
    const body = { sourceIds: [ids['D2-2']], into: { id: newId }, effectiveOn: '2025-07-01', decisionRef: DECISION };
    expectError(await t.request('POST', '/api/units/merge', { token: supervisor, body }), 403, 'FORBIDDEN_SCOPE');
    const communeAdmin = await t.loginAs('admin', ids['D2-2']);
    expectError(await t.request('POST', '/api/units/merge', { token: communeAdmin, body }), 403, 'FORBIDDEN_SCOPE');
    expectError(
      await t.request('POST', `/api/units/${ids['D2-2']}/dissolve`, {
        token: communeAdmin,
        body: { effectiveOn: '2025-07-01', decisionRef: 'x' },
      }),
      403,
      'FORBIDDEN_SCOPE',
    );
    const invalid = await t.request('POST', '/api/units/merge', {
      token: t.adminToken,
      body: { sourceIds: [ids['D2-2']], into: { id: newId }, effectiveOn: '2025-02-30', decisionRef: '' },
    });
    expectError(invalid, 400, 'VALIDATION_FAILED');
    expect((await unit(ids['D2-2'])).status).toBe('active');
  });
});
