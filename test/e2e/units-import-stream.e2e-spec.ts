import { startTestApp, TestApp } from '../setup/test-app';
import { ImportRow } from '../factories/tree';
import { IMPORT_PATH, importFile, importJson, toCsv, unitCount } from '../factories/import';

/** A province P and a district P-D under the root, present before every test. */
const BASE: ImportRow[] = [
  { code: 'P', name: 'Tỉnh ủy P', tier: 'province', parentCode: '' },
  { code: 'P-D', name: 'Huyện ủy P-D', tier: 'district', parentCode: 'P' },
];

/** More rows than two staging batches (5,000 each): some are in the staging table when the file is refused. */
const MANY = 12_000;
const grassroots = (n: number, prefix = 'G') =>
  Array.from({ length: n }, (_, i) => ({
    code: `${prefix}${i + 1}`,
    name: `Đảng ủy xã ${prefix}${i + 1}`,
    tier: 'grassroots',
    parentCode: 'P-D',
  }));

describe('unit import: rows are staged while the file is read', () => {
  let t: TestApp;
  let units: number;
  let checks = 0;

  beforeAll(async () => {
    t = await startTestApp();
    expect((await importJson(t, BASE)).status).toBe(200);
    units = await unitCount(t);
  });
  afterAll(async () => t?.close());

  /** Nothing written, no transaction left open, no lock left on units: the next import goes through. */
  async function expectNothingLeft(): Promise<void> {
    await waitFor(async () => {
      const { rows } = await t.db.query(
        `SELECT count(*) FILTER (WHERE a.state LIKE 'idle in transaction%' OR a.state = 'active' AND a.query ILIKE '%import_rows%')::int AS open,
                (SELECT count(*)::int FROM pg_locks l WHERE l.relation = 'units'::regclass AND l.mode = 'ShareRowExclusiveLock') AS locks
           FROM pg_stat_activity a WHERE a.datname = current_database() AND a.pid <> pg_backend_pid()`,
      );
      return rows[0].open === 0 && rows[0].locks === 0;
    });
    expect(await unitCount(t)).toBe(units);
    const next = await importJson(t, grassroots(3, `NEXT${++checks}-`));
    expect(next.status).toBe(200);
    expect(next.body).toEqual({ created: 3, updated: 0, unchanged: 0 });
    units += 3;
  }

  it('refuses a JSON array whose last element is broken, after 12,000 good rows were staged', async () => {
    const body = JSON.stringify(grassroots(MANY)).slice(0, -1) + ',{"code": "BAD", "name": }]';
    const res = await t.request('POST', IMPORT_PATH, { token: t.adminToken, raw: body, headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([{ field: `body[${MANY}]`, reason: 'is not valid JSON' }]);
    await expectNothingLeft();
  });

  it('refuses a JSON array that is never closed', async () => {
    const body = JSON.stringify(grassroots(MANY)).slice(0, -1);
    const res = await t.request('POST', IMPORT_PATH, { token: t.adminToken, raw: body, headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([{ field: 'body', reason: 'ends before the array is closed' }]);
    await expectNothingLeft();
  });

  it('refuses a CSV file whose last line cannot be read (an unclosed quote)', async () => {
    const csv = await toCsv(grassroots(MANY)).text();
    const res = await importFile(t, new Blob([`${csv}"BAD,"Unclosed,grassroots,P-D,\r\n`], { type: 'text/csv' }), 'units.csv');
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([{ field: 'file', reason: expect.stringMatching(/^the file could not be read/) }]);
    await expectNothingLeft();
  });

  it('writes nothing when the upload is aborted half way, and releases the staging', async () => {
    const text = JSON.stringify(grassroots(MANY));
    const half = new TextEncoder().encode(text.slice(0, text.length / 2));
    const abort = new AbortController();
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(half);
        // Then nothing more: the client gives up once the server has read (and staged) the first half.
        setTimeout(() => abort.abort(), 1500);
      },
    });
    const upload = fetch(`${t.baseUrl}${IMPORT_PATH}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.adminToken}`, 'content-type': 'application/json' },
      body,
      signal: abort.signal,
      duplex: 'half',
    } as RequestInit);
    const refused = expect(upload).rejects.toThrow();
    // While the upload is under way the first rows sit in the import's open transaction, and the
    // tree is not locked yet (it is locked once the whole file is read).
    await waitFor(async () => {
      const { rows } = await t.db.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state = 'idle in transaction'`,
      );
      return rows[0].n === 1;
    });
    const { rows: locks } = await t.db.query(
      `SELECT count(*)::int AS n FROM pg_locks WHERE relation = 'units'::regclass AND mode = 'ShareRowExclusiveLock'`,
    );
    expect(locks[0].n).toBe(0);
    await refused;
    await expectNothingLeft();
  });

  it('a refused file with more than 1,000 problems lists the first 1,000 by row and counts them all', async () => {
    const rows = grassroots(2500).map((r) => ({ ...r, tier: 'village', contactEmails: 'not-an-email' }));
    const res = await importJson(t, rows);
    expect(res.status).toBe(400);
    const details: { row?: number; field: string; reason: string }[] = res.body.details;
    expect(details).toHaveLength(1001);
    expect(details.slice(0, 4).map((d) => [d.row, d.field])).toEqual([
      [1, 'tier'],
      [1, 'contactEmails'],
      [2, 'tier'],
      [2, 'contactEmails'],
    ]);
    expect(details[999]).toMatchObject({ row: 500, field: 'contactEmails' });
    expect(details[1000]).toEqual({ field: 'rows', reason: '5000 problems on 2500 rows in all; only the first 1000 are listed' });
    expect(res.body.message).toBe('2500 invalid row(s); nothing was imported');
    await expectNothingLeft();
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not true after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
