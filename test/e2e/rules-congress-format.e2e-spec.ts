import type { Role } from '@app/core';
import { startTestApp, TestApp } from '../setup/test-app';
import { expectError } from '../setup/errors';
import { importJson } from '../factories/import';
import { communes, plannedTree, usersOf } from '../factories/workflow';

/**
 * The congress format is the superior's decision: `congressType` on the unit, set by a supervisor+
 * of a strict ancestor (PATCH or import); a congress record follows it (format × content table),
 * and the contents report breaks the results down by format with the reason a content did not apply.
 */
const TYPES = ['full', 'three_contents', 'two_contents'] as const;
const LEFT_OUT: Record<string, number[]> = { full: [], three_contents: [3], two_contents: [3, 4] };
const ROLES: Role[] = ['viewer', 'editor', 'supervisor', 'admin'];

describe('congress format decided by the superior', () => {
  let t: TestApp;
  let ids: Record<string, number>;
  let district: Record<Role, string>;
  let commune: Record<Role, string>;

  beforeAll(async () => {
    t = await startTestApp();
    ({ ids } = await plannedTree(t, communes(14)));
    district = await usersOf(t, ids.D);
    commune = await usersOf(t, ids.C1);
  });
  afterAll(async () => t?.close());

  const patch = (unitId: number, body: unknown, token: string) => t.request('PATCH', `/api/units/${unitId}`, { token, body });
  const put = (unitId: number, body: unknown, token = district.editor) =>
    t.request('PUT', `/api/units/${unitId}/congress`, { token, body });
  const storedType = async (unitId: number) =>
    (await t.db.query(`SELECT congress_type AS t, pilot FROM units WHERE id = $1`, [unitId])).rows[0] as { t: string; pilot: boolean };

  // role × relation: only a supervisor or admin of a strict ancestor decides the format (and pilots).
  const whoCases = ROLES.flatMap((role) => [
    [role, 'ancestor', role === 'supervisor' || role === 'admin'] as const,
    [role, 'self', false] as const,
  ]);
  it.each(whoCases)('PATCH congressType and pilot by the %s of the %s unit → allowed: %s', async (role, relation, allowed) => {
    const unit = ids.C1;
    await t.db.query(`UPDATE units SET congress_type = 'full', pilot = false WHERE id = $1`, [unit]);
    const token = relation === 'ancestor' ? district[role] : commune[role];
    for (const body of [{ congressType: 'two_contents' }, { pilot: true }]) {
      const res = await patch(unit, body, token);
      if (allowed)
        expect([res.status, res.body.congressType ?? null, res.body.pilot]).toEqual([200, expect.any(String), expect.any(Boolean)]);
      else expectError(res, 403, 'FORBIDDEN_SCOPE');
    }
    expect(await storedType(unit)).toEqual(allowed ? { t: 'two_contents', pilot: true } : { t: 'full', pilot: false });
  });

  it('an unknown format is 400; GET /api/units/:id shows congressType and pilot', async () => {
    expectError(await patch(ids.C2, { congressType: 'one_content' }, district.admin), 400, 'VALIDATION_FAILED');
    const res = await t.request('GET', `/api/units/${ids.C2}`, { token: district.viewer });
    expect(res.body).toMatchObject({ congressType: 'full', pilot: false });
  });

  // format × content: content n may be not_applicable exactly where the format leaves it out.
  const formatCases = TYPES.flatMap((type, k) => [1, 2, 3, 4].map((no) => [type, no, k] as const));
  it.each(formatCases)('a %s congress marking content %s not applicable', async (type, no, k) => {
    const unit = ids[`C${3 + k * 4 + no - 1}`];
    await t.db.query(`DELETE FROM congress_records WHERE unit_id = $1`, [unit]);
    await t.db.query(`UPDATE units SET congress_type = $2 WHERE id = $1`, [unit, type]);
    const contents = [1, 2, 3, 4].map((n) =>
      n === no || LEFT_OUT[type].includes(n) ? { no: n, status: 'not_applicable', note: 'Lý do của đơn vị' } : { no: n, status: 'done' },
    );
    const res = await put(unit, { heldOn: '2025-05-20', kind: 'members', contents });
    if (LEFT_OUT[type].includes(no)) {
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ congressType: type, completedAll: no === 3 || no === 4 ? true : expect.any(Boolean) });
      expect(res.body.applicableContents).toBe(4 - LEFT_OUT[type].length);
    } else {
      expectError(res, 409, 'CONTENTS_MISSING');
      expect(res.body.details.missing).toEqual([no]);
      const { rows } = await t.db.query(`SELECT 1 FROM congress_records WHERE unit_id = $1`, [unit]);
      expect(rows).toEqual([]);
    }
  });

  it('a content the format leaves out cannot be recorded as held (400), and is filled in with the format as its reason when omitted', async () => {
    const unit = ids.C14;
    await t.db.query(`UPDATE units SET congress_type = 'two_contents' WHERE id = $1`, [unit]);
    const held = [1, 2, 3].map((no) => ({ no, status: 'done' }));
    const refused = await put(unit, { heldOn: '2025-05-20', kind: 'members', contents: held });
    expectError(refused, 400, 'VALIDATION_FAILED');
    expect(refused.body.details).toEqual([expect.objectContaining({ field: 'contents.2.status' })]);
    const ok = await put(unit, { heldOn: '2025-05-20', kind: 'members', contents: held.slice(0, 2) });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ completedAll: true, applicableContents: 2, missing: [] });
    expect(ok.body.contents.slice(2)).toEqual([
      { no: 3, status: 'not_applicable', note: expect.stringMatching(/^Đại hội 2 nội dung theo quyết định của cấp trên/) },
      { no: 4, status: 'not_applicable', note: expect.stringMatching(/^Đại hội 2 nội dung theo quyết định của cấp trên/) },
    ]);
  });

  it('import: congressType and pilot columns are read; a re-import without them keeps the stored values', async () => {
    const rows = [
      { code: 'P', name: 'Tỉnh ủy P', tier: 'province', parentCode: '' },
      { code: 'D', name: 'Huyện ủy D', tier: 'district', parentCode: 'P' },
      { code: 'NEW1', name: 'Đảng ủy xã mới 1', tier: 'grassroots', parentCode: 'D', congressType: 'three_contents', pilot: 'true' },
      { code: 'NEW2', name: 'Đảng ủy xã mới 2', tier: 'grassroots', parentCode: 'D', congressType: '', pilot: '' },
    ];
    const first = await importJson(t, rows);
    expect(first.status).toBe(200);
    const id = async (code: string) => (await t.db.query(`SELECT id FROM units WHERE code = $1`, [code])).rows[0].id as number;
    expect(await storedType(await id('NEW1'))).toEqual({ t: 'three_contents', pilot: true });
    expect(await storedType(await id('NEW2'))).toEqual({ t: 'full', pilot: false });
    const again = await importJson(
      t,
      rows.map(({ congressType: _c, pilot: _p, ...r }) => r),
    );
    expect(again.body).toMatchObject({ created: 0, updated: 0 });
    expect(await storedType(await id('NEW1'))).toEqual({ t: 'three_contents', pilot: true });
    const bad = await importJson(t, [{ ...rows[2], congressType: 'half', pilot: 'maybe' }]);
    expectError(bad, 400, 'VALIDATION_FAILED');
    expect(bad.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['congressType', 'pilot']);
  });

  it('the contents report breaks down by format, with the reason a content did not apply; pilot filters', async () => {
    const res = await t.request('GET', `/api/reports/contents?rootId=${ids.D}&pageSize=1000`, { token: district.viewer });
    expect(res.status).toBe(200);
    const { rows } = await t.db.query(
      `SELECT u.congress_type AS type, count(*)::int AS units, count(cr.unit_id)::int AS held, count(*) FILTER (WHERE cr.completed_all)::int AS done
         FROM units u LEFT JOIN congress_records cr ON cr.unit_id = u.id WHERE u.path LIKE (SELECT path FROM units WHERE id = $1) || '%'
        GROUP BY 1`,
      [ids.D],
    );
    for (const type of TYPES) {
      const r = rows.find((x) => x.type === type) ?? { units: 0, held: 0, done: 0 };
      expect({ type, ...res.body.summary.byType[type] }).toMatchObject({
        type,
        units: r.units,
        congressesHeld: r.held,
        completedAll: r.done,
      });
    }
    expect(res.body.summary.byType.two_contents.congressesHeld).toBeGreaterThan(0);
    const two = res.body.items.find((i: { unitId: number }) => i.unitId === ids.C14);
    expect(two).toMatchObject({ congressType: 'two_contents', notApplicableReasons: [null, null, expect.any(String), expect.any(String)] });
    await t.db.query(`UPDATE units SET pilot = (id = $1) WHERE path LIKE (SELECT path FROM units WHERE id = $2) || '%'`, [ids.C14, ids.D]);
    const pilots = await t.request('GET', `/api/reports/contents?rootId=${ids.D}&pilot=true`, { token: district.viewer });
    expect(pilots.body.items.map((i: { unitId: number }) => i.unitId)).toEqual([ids.C14]);
    const rest = await t.request('GET', `/api/reports/contents?rootId=${ids.D}&pilot=false&pageSize=1000`, { token: district.viewer });
    expect(rest.body.items.map((i: { unitId: number }) => i.unitId)).not.toContain(ids.C14);
    expect(rest.body.total).toBe(res.body.total - 1);
  });
});
