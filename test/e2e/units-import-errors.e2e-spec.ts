import { startTestApp, TestApp } from '../setup/test-app';
import { ImportRow } from '../factories/tree';
import { importFile, importJson, toCsv, unitCount } from '../factories/import';
import { errorsAt, rowErrors } from '../setup/errors';

/** A province P and a district P-D under the root, present before every test. */
const BASE: ImportRow[] = [
  { code: 'P', name: 'Tỉnh ủy P', tier: 'province', parentCode: '' },
  { code: 'P-D', name: 'Huyện ủy P-D', tier: 'district', parentCode: 'P' },
];

describe('unit import: every kind of bad row is reported', () => {
  let t: TestApp;
  let units: number;

  beforeAll(async () => {
    t = await startTestApp();
    expect((await importJson(t, BASE)).status).toBe(200);
    units = await unitCount(t);
  });
  afterAll(async () => t?.close());
  // Nothing is written by a refused import.
  afterEach(async () => expect(await unitCount(t)).toBe(units));

  it('reports a cycle A → B → A on both rows, and a row under the cycle', async () => {
    const res = await importJson(t, [
      { code: 'A', name: 'A', tier: 'grassroots', parentCode: 'B' },
      { code: 'B', name: 'B', tier: 'grassroots', parentCode: 'A' },
      { code: 'C', name: 'C', tier: 'cell', parentCode: 'A' },
      { code: 'OK', name: 'Hợp lệ', tier: 'grassroots', parentCode: 'P-D' },
    ]);
    const details = rowErrors(res);
    expect(errorsAt(details, 1, 'parentCode')).toEqual([{ row: 1, field: 'parentCode', reason: expect.stringMatching(/cycle/) }]);
    expect(errorsAt(details, 2, 'parentCode')).toEqual([{ row: 2, field: 'parentCode', reason: expect.stringMatching(/cycle/) }]);
    expect(errorsAt(details, 3)).toEqual([{ row: 3, field: 'parentCode', reason: expect.stringMatching(/cycle/) }]);
    expect(errorsAt(details, 4)).toEqual([]);
  });

  it('reports a unit that is its own parent', async () => {
    const details = rowErrors(
      await importJson(t, [
        { code: 'SELF', name: 'Self', tier: 'grassroots', parentCode: 'SELF' },
        { code: 'SELF-C', name: 'Under self', tier: 'cell', parentCode: 'SELF' },
      ]),
    );
    expect(details).toEqual([
      { row: 1, field: 'parentCode', reason: expect.stringMatching(/own parent/) },
      { row: 2, field: 'parentCode', reason: expect.stringMatching(/cycle/) },
    ]);
  });

  it('reports a parent that is neither in the file nor among the units', async () => {
    const details = rowErrors(
      await importJson(t, [
        { code: 'G1', name: 'G1', tier: 'grassroots', parentCode: 'P-D' },
        { code: 'G2', name: 'G2', tier: 'grassroots', parentCode: 'NO-SUCH' },
      ]),
    );
    expect(details).toEqual([{ row: 2, field: 'parentCode', reason: expect.stringContaining('NO-SUCH') }]);
  });

  it('reports every repeated code in the file, pointing at the first occurrence', async () => {
    const details = rowErrors(
      await importJson(t, [
        { code: 'G1', name: 'G1', tier: 'grassroots', parentCode: 'P-D' },
        { code: 'G2', name: 'G2', tier: 'grassroots', parentCode: 'P-D' },
        { code: 'G1', name: 'G1 again', tier: 'grassroots', parentCode: 'P-D' },
        { code: 'G1', name: 'G1 thrice', tier: 'grassroots', parentCode: 'P-D' },
      ]),
    );
    expect(details).toEqual([
      { row: 3, field: 'code', reason: expect.stringMatching(/duplicate.*row 1/) },
      { row: 4, field: 'code', reason: expect.stringMatching(/duplicate.*row 1/) },
    ]);
  });

  it('reports an unknown tier and a child whose tier is not below its parent', async () => {
    const details = rowErrors(
      await importJson(t, [
        { code: 'T1', name: 'T1', tier: 'village', parentCode: 'P-D' },
        { code: 'T2', name: 'T2', tier: 'district', parentCode: 'P-D' },
        { code: 'T3', name: 'T3', tier: 'province', parentCode: 'P-D' },
        { code: 'T4', name: 'T4', tier: 'grassroots', parentCode: 'P-D' },
      ]),
    );
    expect(details).toEqual([
      { row: 1, field: 'tier', reason: expect.stringContaining('must be one of') },
      { row: 2, field: 'tier', reason: expect.stringMatching(/district must be below .*district/) },
      { row: 3, field: 'tier', reason: expect.stringMatching(/province must be below .*district/) },
    ]);
  });

  it('reports a tier change that would put a unit below its existing children', async () => {
    const details = rowErrors(await importJson(t, [{ code: 'P', name: 'Tỉnh ủy P', tier: 'grassroots', parentCode: '' }]));
    expect(details).toEqual([{ row: 1, field: 'tier', reason: expect.stringContaining('P-D') }]);
  });

  it('reports each bad contact email', async () => {
    const details = rowErrors(
      await importJson(t, [
        { code: 'E1', name: 'E1', tier: 'grassroots', parentCode: 'P-D', contactEmails: 'good@test.vn; not-an-email' },
        { code: 'E2', name: 'E2', tier: 'grassroots', parentCode: 'P-D', contactEmails: ['a@b', 'ok@test.vn'] },
      ]),
    );
    expect(details).toEqual([
      { row: 1, field: 'contactEmails', reason: expect.stringContaining('not-an-email') },
      { row: 2, field: 'contactEmails', reason: expect.stringContaining('a@b') },
    ]);
  });

  it('reports a missing code and a missing name', async () => {
    const details = rowErrors(
      await importJson(t, [
        { name: 'No code', tier: 'grassroots', parentCode: 'P-D' },
        { code: 'N2', name: '   ', tier: 'grassroots', parentCode: 'P-D' },
        { code: 'bad code!', name: 'Bad code', tier: 'grassroots', parentCode: 'P-D' },
      ]),
    );
    expect(details).toEqual([
      { row: 1, field: 'code', reason: 'is required' },
      { row: 2, field: 'name', reason: 'is required' },
      { row: 3, field: 'code', reason: expect.stringContaining('letters, digits') },
    ]);
  });

  it('reports an unknown field of a JSON row', async () => {
    const details = rowErrors(
      await importJson(t, [{ code: 'U1', name: 'U1', tier: 'grassroots', parentCode: 'P-D', parent: 'P-D', colour: 'red' }]),
    );
    expect(details).toEqual([
      { row: 1, field: 'parent', reason: 'unknown field' },
      { row: 1, field: 'colour', reason: 'unknown field' },
    ]);
  });

  it('refuses a body that is not an array, and an empty import', async () => {
    const notArray = await t.request('POST', '/api/units/import', { token: t.adminToken, body: { code: 'X' } });
    expect(notArray.status).toBe(400);
    expect(notArray.body.details).toEqual([expect.objectContaining({ field: 'body' })]);
    const empty = rowErrors(await importJson(t, []));
    expect(empty).toEqual([expect.objectContaining({ field: 'rows' })]);
  });

  it('reports ALL the bad rows of one file, each with its row, field and reason', async () => {
    const res = await importJson(t, [
      { code: 'OK1', name: 'Hợp lệ 1', tier: 'grassroots', parentCode: 'P-D' },
      { code: 'X1', name: 'X1', tier: 'grassroots', parentCode: 'MISSING' },
      { code: 'X2', name: 'X2', tier: 'hamlet', parentCode: 'P-D' },
      { code: 'OK2', name: 'Hợp lệ 2', tier: 'cell', parentCode: 'OK1' },
      { code: 'X3', name: 'X3', tier: 'grassroots', parentCode: 'P-D', contactEmails: 'nope' },
      { code: 'OK1', name: 'Dup', tier: 'grassroots', parentCode: 'P-D' },
      { code: '', name: 'X5', tier: 'grassroots', parentCode: 'P-D' },
      { code: 'X6', name: '', tier: 'grassroots', parentCode: 'P-D' },
      { code: 'X7', name: 'X7', tier: 'district', parentCode: 'P-D' },
      { code: 'X8', name: 'X8', tier: 'grassroots', parentCode: 'P-D', extra: 1 },
      { code: 'CA', name: 'Cycle A', tier: 'grassroots', parentCode: 'CB' },
      { code: 'CB', name: 'Cycle B', tier: 'grassroots', parentCode: 'CA' },
    ]);
    const details = rowErrors(res);
    expect(res.body.message).toMatch(/^10 invalid row/);
    const fieldsByRow = new Map<number, string[]>();
    for (const d of details) {
      expect(d).toEqual({ row: expect.any(Number), field: expect.any(String), reason: expect.any(String) });
      fieldsByRow.set(d.row!, [...(fieldsByRow.get(d.row!) ?? []), d.field]);
    }
    expect(Object.fromEntries(fieldsByRow)).toEqual({
      2: ['parentCode'],
      3: ['tier'],
      5: ['contactEmails'],
      6: ['code'],
      7: ['code'],
      8: ['name'],
      9: ['tier'],
      10: ['extra'],
      11: expect.arrayContaining(['parentCode']),
      12: expect.arrayContaining(['parentCode']),
    });
    // Rows come back in file order.
    expect(details.map((d) => d.row)).toEqual([...details.map((d) => d.row)].sort((a, b) => a! - b!));
  });

  it('reports the bad rows of a CSV upload the same way', async () => {
    const details = rowErrors(
      await importFile(
        t,
        toCsv([
          { code: 'C1', name: 'Xã C1', tier: 'grassroots', parentCode: 'P-D' },
          { code: 'C2', name: 'Xã C2', tier: 'grassroots', parentCode: 'NOWHERE' },
          { code: 'C3', name: 'Xã C3', tier: 'bogus', parentCode: 'P-D', contactEmails: 'x@y.vn,broken' },
        ]),
        'bad.csv',
      ),
    );
    expect(details).toEqual([
      { row: 2, field: 'parentCode', reason: expect.stringContaining('NOWHERE') },
      expect.objectContaining({ row: 3, field: 'tier' }),
      expect.objectContaining({ row: 3, field: 'contactEmails' }),
    ]);
  });
});
