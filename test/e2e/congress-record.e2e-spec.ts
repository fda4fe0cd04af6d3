import { startTestApp, TestApp } from '../setup/test-app';
import { expectError } from '../setup/errors';
import { act, communes, completeBefore, plannedTree, setStatus, stepRow } from '../factories/workflow';

/** The congress record (the 4 contents, election figures) and step 12, which needs it. */
const THREE_CONTENTS = {
  heldOn: '2025-05-20',
  kind: 'delegates',
  contents: [
    { no: 1, status: 'done' },
    { no: 2, status: 'done' },
    { no: 3, status: 'not_applicable', note: 'Cấp trên đồng ý không bầu cấp ủy khóa mới do khó khăn về nhân sự' },
    { no: 4, status: 'done' },
  ],
  // Content 3 not applicable: the committee is appointed (chỉ định), so it has no vote share.
  committee: { size: 15, women: 3, young: 2, ethnicMinority: 1, newlyElected: 5 },
  delegates: { allocated: 10, elected: 10 },
};
/** A 4-content congress: the committee is elected, with its lowest vote share. */
const FULL = {
  ...THREE_CONTENTS,
  contents: [1, 2, 3, 4].map((no) => ({ no, status: 'done' })),
  committee: { ...THREE_CONTENTS.committee, minVotePct: 92.5 },
};

describe('congress record and step 12', () => {
  let t: TestApp;
  let ids: Record<string, number>;
  let editor: string;

  beforeAll(async () => {
    t = await startTestApp();
    ({ ids } = await plannedTree(t, communes(5)));
    editor = await t.loginAs('editor', ids.D);
    // The superior (here the root's admin) decides each unit's congress format; C5 keeps the default (full).
    for (const [code, congressType] of [
      ['C1', 'three_contents'],
      ['C2', 'three_contents'],
      ['C3', 'two_contents'],
      ['C4', 'three_contents'],
    ]) {
      const res = await t.request('PATCH', `/api/units/${ids[code]}`, { token: t.adminToken, body: { congressType } });
      if (res.status !== 200) throw new Error(`congressType of ${code}: ${res.status} ${JSON.stringify(res.body)}`);
    }
  });
  afterAll(async () => t?.close());

  const put = (unitId: number, body: unknown, token = editor) => t.request('PUT', `/api/units/${unitId}/congress`, { token, body });
  const recordCount = async (unitId: number) =>
    (await t.db.query(`SELECT count(*)::int AS n FROM congress_records WHERE unit_id = $1`, [unitId])).rows[0].n as number;

  it('completing step 12 without a congress record → 409 CONTENTS_MISSING [1, 2, 3, 4]', async () => {
    const unit = ids.C1;
    await completeBefore(t, unit, 12);
    await setStatus(t, unit, 12, 'in_progress');
    const before = await stepRow(t, unit, 12);
    const res = await act(t, editor, unit, 12, 'complete');
    expectError(res, 409, 'CONTENTS_MISSING');
    expect(res.body.details.missing).toEqual([1, 2, 3, 4]);
    expect(await stepRow(t, unit, 12)).toEqual(before);
    expectError(await t.request('GET', `/api/units/${unit}/congress`, { token: editor }), 404, 'NOT_FOUND');
    const wf = await t.request('GET', `/api/units/${unit}/workflow`, { token: editor });
    expect(wf.body.steps.find((s: any) => s.no === 12).allowedActions).toEqual([]);
  });

  it('a partial record still leaves the unrecorded contents missing (the format fills in what it leaves out)', async () => {
    const unit = ids.C1;
    const partial = { heldOn: '2025-05-20', kind: 'members', contents: [THREE_CONTENTS.contents[0], THREE_CONTENTS.contents[1]] };
    const rec = await put(unit, partial);
    expect(rec.status).toBe(200);
    expect(rec.body).toMatchObject({ completedAll: false, missing: [4], applicableContents: 3, congressType: 'three_contents' });
    expect(rec.body.contents[2]).toEqual({ no: 3, status: 'not_applicable', note: expect.stringContaining('Đại hội 3 nội dung') });
    const res = await act(t, editor, unit, 12, 'complete');
    expectError(res, 409, 'CONTENTS_MISSING');
    expect(res.body.details.missing).toEqual([4]);
  });

  it('a 3-content congress (content 3 not applicable, with the reason) completes all contents; then step 12 completes', async () => {
    const unit = ids.C1;
    const res = await put(unit, THREE_CONTENTS);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      unitId: unit,
      heldOn: '2025-05-20',
      kind: 'delegates',
      completedAll: true,
      applicableContents: 3,
      missing: [],
      committee: THREE_CONTENTS.committee,
      delegates: { allocated: 10, elected: 10 },
    });
    expect(res.body.contents[2]).toEqual({ no: 3, status: 'not_applicable', note: THREE_CONTENTS.contents[2].note });
    const got = await t.request('GET', `/api/units/${unit}/congress`, { token: editor });
    expect(got.status).toBe(200);
    expect(got.body).toEqual(res.body);

    const wf = await t.request('GET', `/api/units/${unit}/workflow`, { token: editor });
    expect(wf.body.steps.find((s: any) => s.no === 12).allowedActions).toEqual(['complete']);
    const done = await act(t, editor, unit, 12, 'complete');
    expect(done.status).toBe(200);
    expect(done.body.status).toBe('completed');
  });

  it('a content not done is recorded: step 12 may complete, but completedAll is false and it is missing', async () => {
    const unit = ids.C2;
    await completeBefore(t, unit, 12);
    await setStatus(t, unit, 12, 'in_progress');
    const body = { ...THREE_CONTENTS, contents: THREE_CONTENTS.contents.map((c) => (c.no === 4 ? { no: 4, status: 'not_done' } : c)) };
    const res = await put(unit, body);
    expect(res.body).toMatchObject({ completedAll: false, missing: [4], applicableContents: 3 });
    expect((await act(t, editor, unit, 12, 'complete')).status).toBe(200);
  });

  it('a 2-content congress after a merger (3 and 4 not applicable) completes all contents', async () => {
    const body = {
      heldOn: '2025-06-10',
      kind: 'members',
      contents: [
        { no: 1, status: 'done' },
        { no: 2, status: 'done' },
        { no: 3, status: 'not_applicable', note: 'Cấp ủy chỉ định sau hợp nhất' },
        { no: 4, status: 'not_applicable', note: 'Không bầu đoàn đại biểu' },
      ],
    };
    const res = await put(ids.C3, body);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ completedAll: true, applicableContents: 2, committee: null, delegates: null });
  });

  describe('validation: 400 VALIDATION_FAILED and nothing stored', () => {
    const cases: [string, unknown, string][] = [
      ['women > committee size', { ...THREE_CONTENTS, committee: { ...THREE_CONTENTS.committee, women: 16 } }, 'committee.women'],
      [
        'newly elected > size',
        { ...THREE_CONTENTS, committee: { ...THREE_CONTENTS.committee, newlyElected: 20 } },
        'committee.newlyElected',
      ],
      ['elected > allocated delegates', { ...THREE_CONTENTS, delegates: { allocated: 10, elected: 11 } }, 'delegates.elected'],
      ['minVotePct > 100', { ...FULL, committee: { ...FULL.committee, minVotePct: 100.5 } }, 'minVotePct'],
      ['minVotePct not above half', { ...FULL, committee: { ...FULL.committee, minVotePct: 50 } }, 'committee.minVotePct'],
      [
        'a content listed twice',
        { ...THREE_CONTENTS, contents: [...THREE_CONTENTS.contents.slice(0, 3), { no: 1, status: 'done' }] },
        'contents.3.no',
      ],
      ['content number 5', { ...THREE_CONTENTS, contents: [{ no: 5, status: 'done' }] }, 'no'],
      ['an unknown status', { ...THREE_CONTENTS, contents: [{ no: 1, status: 'partly' }] }, 'status'],
      ['an invalid date', { ...THREE_CONTENTS, heldOn: '2025-02-30' }, 'heldOn'],
      ['an unknown kind', { ...THREE_CONTENTS, kind: 'online' }, 'kind'],
    ];

    it.each(cases)('%s', async (_name, body, field) => {
      const unit = body === FULL || (body as { contents: unknown }).contents === FULL.contents ? ids.C5 : ids.C4;
      const res = await put(unit, body);
      expectError(res, 400, 'VALIDATION_FAILED');
      expect(JSON.stringify(res.body.details)).toContain(field);
      expect(await recordCount(unit)).toBe(0);
    });
  });

  it('a content the format holds cannot be exempted by whoever records the congress: 409 CONTENTS_MISSING, nothing stored', async () => {
    const body = { ...FULL, contents: [...FULL.contents.slice(0, 3), { no: 4, status: 'not_applicable', note: 'Tự miễn' }] };
    const res = await put(ids.C5, { ...body, committee: FULL.committee });
    expectError(res, 409, 'CONTENTS_MISSING');
    expect(res.body.details).toEqual({ missing: [4], congressType: 'full' });
    expect(await recordCount(ids.C5)).toBe(0);
  });

  it('a 4-content congress records the elected committee with its vote share', async () => {
    const res = await put(ids.C5, FULL);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ congressType: 'full', completedAll: true, applicableContents: 4, committee: FULL.committee });
  });

  it('only editors and above in scope may record a congress', async () => {
    const unit = ids.C4;
    expectError(await put(unit, THREE_CONTENTS, await t.loginAs('viewer', ids.D)), 403, 'FORBIDDEN_SCOPE');
    expectError(await put(unit, THREE_CONTENTS, await t.loginAs('editor', ids.C3)), 403, 'FORBIDDEN_SCOPE');
    expect(await recordCount(unit)).toBe(0);
    expect((await put(unit, THREE_CONTENTS, await t.loginAs('editor', unit))).status).toBe(200);
    expect(await recordCount(unit)).toBe(1);
  });
});
