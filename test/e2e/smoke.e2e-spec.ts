import { startTestApp, TestApp } from '../setup/test-app';
import { generateTree } from '../factories/tree';

describe('smoke', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(async () => t?.close());

  it('imports a tree and reads a unit', async () => {
    const rows = generateTree({ provinces: 1, districts: 2, communes: 3, cells: 2 });
    const res = await t.request('POST', '/api/units/import', { token: t.adminToken, body: rows });
    expect(res.body).toEqual({ created: rows.length, updated: 0, unchanged: 0 });
    const again = await t.request('POST', '/api/units/import', { token: t.adminToken, body: rows });
    expect(again.body).toEqual({ created: 0, updated: 0, unchanged: rows.length });
  });
});
