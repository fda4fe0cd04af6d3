import { startTestApp, TestApp } from '../setup/test-app';
import { generateTree, ImportRow } from '../factories/tree';
import { importJson } from '../factories/import';
import { allPages, seeded, pick } from '../factories/reports';
import { congressDay } from '../factories/reports-drive';

/**
 * GET /api/reports/contents on a generated tree with a seeded mix of congress records: all 4
 * contents done, 3-content congresses (no committee elected), 2-content congresses after a merger
 * (contents 3 and 4 not applicable), a content not done, a content not recorded. Items are checked
 * against what the test recorded; the summary and the election roll-up against a SQL recount.
 */
type Status = 'done' | 'not_done' | 'not_applicable' | null;
const MIX: Record<string, Status[]> = {
  four: ['done', 'done', 'done', 'done'],
  three: ['done', 'done', 'not_applicable', 'done'],
  two: ['done', 'done', 'not_applicable', 'not_applicable'],
  notDone: ['done', 'not_done', 'done', 'done'],
  twoNotDone: ['not_done', 'done', 'not_applicable', 'not_applicable'],
  unrecorded: ['done', 'done', 'done', null],
};

/** The format the superior decided for each mix (imported with the units: the `congressType` column). */
const TYPE_OF: Record<string, string> = {
  four: 'full',
  three: 'three_contents',
  two: 'two_contents',
  notDone: 'full',
  twoNotDone: 'two_contents',
  unrecorded: 'full',
};
const NA_NOTE = 'Hợp nhất, cấp trên chỉ định';

interface Recorded {
  unitId: number;
  code: string;
  name: string;
  tier: string;
  heldOn: string;
  kind: string;
  congressType: string;
  contents: Status[];
  /** The parent unit's name (read by parent_id), and the reason recorded for each content that did not apply. */
  parentName: string | null;
  notes: Record<string, string>;
}

/** Summary and elections recounted from congress_records, the subtree walked by parent id, completion from the content columns. */
async function recount(t: TestApp, rootId: number, f: { tier?: string; heldFrom?: string; heldTo?: string }) {
  const { rows } = await t.db.query(
    `WITH RECURSIVE sub (id) AS (SELECT id FROM units WHERE id = $1 UNION ALL SELECT u.id FROM units u JOIN sub s ON u.parent_id = s.id),
     scoped AS (SELECT u.* FROM sub JOIN units u ON u.id = sub.id WHERE $2::text IS NULL OR u.tier = $2),
     r AS (SELECT cr.*, (ARRAY[content1, content2, content3, content4] <@ ARRAY['done', 'not_applicable']
                         AND 'done' = ANY (ARRAY[content1, content2, content3, content4])) AS full
             FROM congress_records cr JOIN scoped ON scoped.id = cr.unit_id
            WHERE ($3::date IS NULL OR cr.held_on >= $3) AND ($4::date IS NULL OR cr.held_on <= $4))
     SELECT (SELECT count(*)::int FROM scoped) AS units,
            (SELECT json_object_agg(t.type, json_build_object(
                     'units', (SELECT count(*) FROM scoped s WHERE s.congress_type = t.type),
                     'held', (SELECT count(*) FROM r JOIN scoped s ON s.id = r.unit_id WHERE s.congress_type = t.type),
                     'full', (SELECT count(*) FROM r JOIN scoped s ON s.id = r.unit_id WHERE s.congress_type = t.type AND r.full)))
               FROM unnest(ARRAY['full', 'three_contents', 'two_contents']) AS t(type)) AS "byType", count(r.unit_id)::int AS held, (count(*) FILTER (WHERE r.full))::int AS full,
            coalesce(sum(committee_size), 0)::int AS seats, sum(women)::int AS women, sum(young)::int AS young,
            sum(ethnic_minority)::int AS ethnic, sum(newly_elected)::int AS newly, min(min_vote_pct)::float AS "lowestVotePct",
            coalesce(sum(delegates_allocated), 0)::int AS allocated, coalesce(sum(delegates_elected), 0)::int AS elected
       FROM r`,
    [rootId, f.tier ?? null, f.heldFrom ?? null, f.heldTo ?? null],
  );
  const r = rows[0];
  const pct = (n: number | null) => (r.seats > 0 ? Math.round(((n ?? 0) * 10_000) / r.seats) / 100 : null);
  return {
    summary: {
      units: r.units,
      congressesHeld: r.held,
      completedAll: r.full,
      completedAllPct: r.held ? Math.round((r.full * 10_000) / r.held) / 100 : 0,
      byType: Object.fromEntries(
        Object.entries(r.byType as Record<string, { units: number; held: number; full: number }>).map(([type, x]) => [
          type,
          {
            units: x.units,
            congressesHeld: x.held,
            completedAll: x.full,
            completedAllPct: x.held ? Math.round((x.full * 10_000) / x.held) / 100 : 0,
          },
        ]),
      ),
    },
    elections: {
      committeeSeats: r.seats,
      womenPct: pct(r.women),
      youngPct: pct(r.young),
      ethnicMinorityPct: pct(r.ethnic),
      newlyElectedPct: pct(r.newly),
      lowestVotePct: r.lowestVotePct,
      delegatesAllocated: r.allocated,
      delegatesElected: r.elected,
    },
  };
}

describe('contents report: the 4 contents and the elections, against a recount', () => {
  let t: TestApp;
  const ids: Record<string, number> = {};
  const paths: Record<number, string> = {};
  const recorded: Recorded[] = [];
  let rows: ImportRow[];

  beforeAll(async () => {
    t = await startTestApp();
    rows = generateTree({ provinces: 2, districts: 3, communes: 4, cells: 3 }, 'T');
    const kinds = Object.keys(MIX);
    // The superior's decision on the format travels with the import (the congressType column).
    const typed = rows.map((row, i) => ({ ...row, congressType: TYPE_OF[kinds[i % kinds.length]] }));
    expect((await importJson(t, typed)).status).toBe(200);
    const { rows: units } = await t.db.query(
      `SELECT u.id, u.code, u.path, p.name AS parent FROM units u LEFT JOIN units p ON p.id = u.parent_id`,
    );
    const parents: Record<string, string | null> = {};
    for (const u of units) [ids[u.code], paths[u.id], parents[u.code]] = [u.id, u.path, u.parent];
    const rng = seeded(4);
    for (const [i, row] of rows.entries()) {
      if (i > 0 && rng() < 0.2) continue; // some units have held no congress yet
      const kind = kinds[i % kinds.length];
      const contents = MIX[kind];
      const size = 5 + Math.floor(rng() * 30);
      const body: any = {
        heldOn: congressDay(rng, row.tier),
        kind: pick(rng, ['delegates', 'members']),
        contents: contents.flatMap((status, n) =>
          status === null ? [] : [{ no: n + 1, status, ...(status === 'not_applicable' ? { note: NA_NOTE } : {}) }],
        ),
      };
      if (contents[2] === 'done' && rng() < 0.8) {
        const part = () => Math.floor(rng() * (size + 1));
        body.committee = {
          size,
          women: part(),
          young: part(),
          ethnicMinority: part(),
          newlyElected: part(),
          minVotePct: Number((50.01 + rng() * 49.99).toFixed(2)),
        };
      }
      if (contents[3] !== 'not_applicable' && rng() < 0.7)
        body.delegates = { allocated: size * 4, elected: size * 4 - Math.floor(rng() * 3) };
      const res = await t.request('PUT', `/api/units/${ids[row.code]}/congress`, { token: t.adminToken, body });
      expect([res.status, res.body.code]).toEqual([200, undefined]);
      recorded.push({
        unitId: ids[row.code],
        code: row.code,
        name: row.name,
        tier: row.tier,
        heldOn: body.heldOn,
        kind: body.kind,
        congressType: TYPE_OF[kind],
        contents,
        parentName: parents[row.code],
        notes: Object.fromEntries(
          contents.flatMap((c, n) => (c === 'not_applicable' ? [[String(n + 1), 'Hợp nhất, cấp trên chỉ định']] : [])),
        ),
      });
    }
  }, 120_000);
  afterAll(async () => t?.close());

  /** The items the report should list, from what was recorded: path order, filters applied. */
  const expectedItems = (rootId: number, f: { tier?: string; heldFrom?: string; heldTo?: string; completedAll?: boolean } = {}) =>
    recorded
      .map((r) => {
        const applicable = [1, 2, 3, 4].filter((no) => r.contents[no - 1] !== 'not_applicable');
        const missing = applicable.filter((no) => r.contents[no - 1] !== 'done');
        return { ...r, applicableContents: applicable.length, completedAll: missing.length === 0 && applicable.length > 0, missing };
      })
      .filter((r) => paths[r.unitId].startsWith(paths[rootId]))
      .filter((r) => (f.tier ? r.tier === f.tier : true))
      .filter((r) => (f.heldFrom ? r.heldOn >= f.heldFrom : true) && (f.heldTo ? r.heldOn <= f.heldTo : true))
      .filter((r) => (f.completedAll === undefined ? true : r.completedAll === f.completedAll))
      .sort((a, b) => (paths[a.unitId] < paths[b.unitId] ? -1 : 1));

  it('the mix holds 4-, 3- and 2-content congresses, complete and incomplete ones', () => {
    const items = expectedItems(t.rootUnitId);
    expect(new Set(items.map((i) => i.applicableContents))).toEqual(new Set([2, 3, 4]));
    expect(items.filter((i) => i.completedAll && i.applicableContents === 2).length).toBeGreaterThan(3);
    expect(items.filter((i) => i.completedAll && i.applicableContents === 3).length).toBeGreaterThan(3);
    expect(items.filter((i) => !i.completedAll).length).toBeGreaterThan(10);
    expect(items.length).toBeLessThan(rows.length);
  });

  const FILTERS: [string, string, Record<string, any>][] = [
    ['TW', '', {}],
    ['T1', '', {}],
    ['T2-3', '', {}],
    ['T1-1-1', '', {}],
    ['TW', 'completedAll=true', { completedAll: true }],
    ['TW', 'completedAll=false', { completedAll: false }],
    ['TW', 'tier=cell', { tier: 'cell' }],
    ['T2', 'tier=grassroots&completedAll=false', { tier: 'grassroots', completedAll: false }],
    ['TW', 'heldFrom=2025-02-01&heldTo=2025-05-15', { heldFrom: '2025-02-01', heldTo: '2025-05-15' }],
    ['T1', 'heldFrom=2025-04-01', { heldFrom: '2025-04-01' }],
    ['TW', 'heldTo=2025-01-31&completedAll=true', { heldTo: '2025-01-31', completedAll: true }],
  ];

  it.each(FILTERS)('root %s, ?%s: summary, elections, total and every item', async (root, query, f) => {
    const rootId = root === 'TW' ? t.rootUnitId : ids[root];
    const path = `/api/reports/contents?rootId=${rootId}${query ? `&${query}` : ''}`;
    const first = await t.request('GET', path, { token: t.adminToken });
    expect(first.status).toBe(200);
    // The summary follows the scope, tier and held-on filters; completedAll filters the items only.
    expect({ summary: first.body.summary, elections: first.body.elections }).toEqual(await recount(t, rootId, f));
    const { total, items } = await allPages(t, path, t.adminToken, 7);
    const expected = expectedItems(rootId, f).map(
      ({
        unitId,
        code,
        name,
        tier,
        parentName,
        heldOn,
        kind,
        congressType,
        contents,
        notes,
        applicableContents,
        completedAll,
        missing,
      }) => ({
        unitId,
        code,
        name,
        tier,
        parentName,
        notes,
        heldOn,
        kind,
        congressType,
        pilot: false,
        contents,
        notApplicableReasons: contents.map((c) => (c === 'not_applicable' ? NA_NOTE : null)),
        applicableContents,
        completedAll,
        missing,
      }),
    );
    expect(total).toBe(expected.length);
    expect(items).toEqual(expected);
  });

  it('paging: page and pageSize cut the path-ordered list; the default page size is 100', async () => {
    const all = expectedItems(t.rootUnitId).map((i) => i.unitId);
    const page = async (q: string) => (await t.request('GET', `/api/reports/contents?${q}`, { token: t.adminToken })).body;
    expect((await page('page=3&pageSize=10')).items.map((i: any) => i.unitId)).toEqual(all.slice(20, 30));
    const def = await page('');
    expect(def.items.map((i: any) => i.unitId)).toEqual(all.slice(0, 100));
    expect(def.total).toBe(all.length);
    expect((await page('page=99&pageSize=10')).items).toEqual([]);
  });

  it('a record changed later moves between complete and incomplete', async () => {
    const target = recorded.find((r) => r.contents[1] === 'not_done' && r.tier === 'cell')!;
    const before = await t.request('GET', `/api/reports/contents?completedAll=false&tier=cell&pageSize=1000`, { token: t.adminToken });
    expect(before.body.items.map((i: any) => i.unitId)).toContain(target.unitId);
    const contents = [1, 2, 3, 4].map((no) => ({ no, status: 'done' }));
    const res = await t.request('PUT', `/api/units/${target.unitId}/congress`, {
      token: t.adminToken,
      body: { heldOn: target.heldOn, kind: target.kind, contents },
    });
    expect(res.status).toBe(200);
    target.contents = ['done', 'done', 'done', 'done'];
    const after = await t.request('GET', `/api/reports/contents?tier=cell&pageSize=1000`, { token: t.adminToken });
    expect(after.body.summary).toEqual((await recount(t, t.rootUnitId, { tier: 'cell' })).summary);
    expect(after.body.summary.completedAll).toBe(before.body.summary.completedAll + 1);
    expect(after.body.items.find((i: any) => i.unitId === target.unitId)).toMatchObject({ completedAll: true, missing: [] });
  });

  it('a subtree without records: zeros, null percentages, no items', async () => {
    const { rows: empty } = await t.db.query(
      `SELECT u.id FROM units u WHERE u.tier = 'cell' AND NOT EXISTS (SELECT 1 FROM congress_records c WHERE c.unit_id = u.id) LIMIT 1`,
    );
    const res = await t.request('GET', `/api/reports/contents?rootId=${empty[0].id}`, { token: t.adminToken });
    expect(res.body).toEqual({
      summary: {
        units: 1,
        congressesHeld: 0,
        completedAll: 0,
        completedAllPct: 0,
        byType: {
          full: { units: expect.any(Number), congressesHeld: 0, completedAll: 0, completedAllPct: 0 },
          three_contents: { units: expect.any(Number), congressesHeld: 0, completedAll: 0, completedAllPct: 0 },
          two_contents: { units: expect.any(Number), congressesHeld: 0, completedAll: 0, completedAllPct: 0 },
        },
      },
      elections: {
        committeeSeats: 0,
        womenPct: null,
        youngPct: null,
        ethnicMinorityPct: null,
        newlyElectedPct: null,
        lowestVotePct: null,
        delegatesAllocated: 0,
        delegatesElected: 0,
      },
      total: 0,
      items: [],
    });
  });
});
