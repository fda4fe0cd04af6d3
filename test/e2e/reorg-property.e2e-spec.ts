import { startTestApp, TestApp } from '../setup/test-app';
import { importJson } from '../factories/import';
import type { ImportRow } from '../factories/tree';
import { plannedTree } from '../factories/workflow';
import {
  allPages,
  countersAndRecount,
  pick,
  progressAndRecount,
  recountOverdue,
  seeded,
  topCountersAndRecount,
} from '../factories/reports';
import { Actors, congressDay, provinceActors, randomTransitions, recordCongress } from '../factories/reports-drive';

/**
 * Property: after ANY re-organisation of the tree, every report equals an independent recount.
 *
 * A national tree (TW → 3 provinces → districts → communes → cells, and communes directly under each
 * province) walks the plan, with transitions made through the API, overdue steps and congress
 * records. Then a seeded random sequence of operations from OPERATIONS (moves at every depth, by
 * import and by PATCH, a tier change, a province emptied into another; merges into a new unit and into
 * an existing one and dissolutions with moveChildrenTo at every depth: communes with their cells, a
 * district, a whole province into another; transitions in between) runs on the active units,
 * and after each one the progress report (by child and by tier, for the root, every province and
 * two random inner units), the overdue report and the contents report are compared with recounts in
 * plain SQL over unit_steps / units / congress_records, walking the tree by parent id (never by the
 * stored path), and the counters tables with their own recount.
 *
 * The seed is printed; REORG_SEED=<n> replays a run, REORG_OPS=<n> changes its length.
 * A new kind of reorganisation is a new row of OPERATIONS.
 */
const SEED = Number(process.env.REORG_SEED ?? 20250701);
const OPS = Number(process.env.REORG_OPS ?? 40);
const TODAY = '2025-04-10';

interface Unit {
  id: number;
  code: string;
  name: string;
  tier: string;
  parentId: number | null;
}

interface Ctx {
  t: TestApp;
  rng: () => number;
  actors: Actors;
  /** Units created by merges so far (their codes are M1, M2, …). */
  created: number;
}

/** One kind of operation: `run` picks its targets from the tree as it is now and applies it; null: nothing to apply it to. */
interface Operation {
  name: string;
  weight: number;
  run(ctx: Ctx): Promise<string | null>;
}

/** The ACTIVE units of the tiers (a merged or dissolved unit is closed: nothing moves, merges or transitions it). */
async function unitsOf(t: TestApp, ...tiers: string[]): Promise<Unit[]> {
  const { rows } = await t.db.query(
    `SELECT id, code, name, tier, parent_id AS "parentId" FROM units WHERE tier = ANY($1::text[]) AND status = 'active' ORDER BY id`,
    [tiers],
  );
  return rows;
}

/** Moves `unit` under `parent` by import (a one-row file naming the new parent) or by PATCH {parentId}. */
async function move(ctx: Ctx, via: 'import' | 'patch', unit: Unit, parent: Unit, tier = unit.tier): Promise<string> {
  const res =
    via === 'import'
      ? await importJson(ctx.t, [{ code: unit.code, name: unit.name, tier, parentCode: parent.code }])
      : await ctx.t.request('PATCH', `/api/units/${unit.id}`, { token: ctx.t.adminToken, body: { parentId: parent.id } });
  if (res.status !== 200) throw new Error(`${via} ${unit.code} → ${parent.code}: ${res.status} ${JSON.stringify(res.body)}`);
  return `${via}: ${unit.code} (${unit.tier}${tier !== unit.tier ? ` → ${tier}` : ''}) → ${parent.code}`;
}

/** A move of a random unit of `tiers` under a random other parent of `parentTiers`. */
function moveRow(name: string, weight: number, tiers: string[], parentTiers: string[], via: 'import' | 'patch' | 'either'): Operation {
  return {
    name,
    weight,
    async run(ctx) {
      const units = await unitsOf(ctx.t, ...tiers);
      if (units.length === 0) return null;
      const unit = pick(ctx.rng, units);
      const parents = (await unitsOf(ctx.t, ...parentTiers)).filter((p) => p.id !== unit.parentId && p.id !== unit.id);
      if (parents.length === 0) return null;
      const how = via === 'either' ? (ctx.rng() < 0.5 ? 'import' : 'patch') : via;
      return move(ctx, how, unit, pick(ctx.rng, parents));
    },
  };
}

const DECISION = { effectiveOn: '2025-04-01', decisionRef: 'Quyết định số 01-QĐ/TW (thử)' };

/** POST /api/units/merge; a refusal is a failure of the test (the row picked valid sources and target). */
async function merge(ctx: Ctx, sources: Unit[], into: Unit | { tier: string; parent: Unit }): Promise<string> {
  const body =
    'id' in into
      ? { sourceIds: sources.map((s) => s.id), into: { id: into.id }, ...DECISION }
      : (() => {
          const code = `M${++ctx.created}`;
          return {
            sourceIds: sources.map((s) => s.id),
            into: { code, name: `Đảng bộ hợp nhất ${code}`, committeeName: `Đảng ủy ${code}`, tier: into.tier, parentId: into.parent.id },
            ...DECISION,
          };
        })();
  const res = await ctx.t.request('POST', '/api/units/merge', { token: ctx.t.adminToken, body });
  if (res.status !== 200)
    throw new Error(`merge ${sources.map((s) => s.code)} → ${JSON.stringify(body.into)}: ${res.status} ${JSON.stringify(res.body)}`);
  const target = 'id' in into ? into.code : `new ${res.body.target.code} (${into.tier} under ${into.parent.code})`;
  return `merge: ${sources.map((s) => s.code).join(' + ')} → ${target}, ${res.body.closedSteps} steps closed, ${res.body.movedChildren} children moved`;
}

/** POST /api/units/:id/dissolve, the active children (if any) going to `heir`. */
async function dissolve(ctx: Ctx, unit: Unit, heir: Unit | null): Promise<string> {
  const body = { ...DECISION, ...(heir ? { moveChildrenTo: heir.id } : {}) };
  const res = await ctx.t.request('POST', `/api/units/${unit.id}/dissolve`, { token: ctx.t.adminToken, body });
  if (res.status !== 200) throw new Error(`dissolve ${unit.code} → ${heir?.code}: ${res.status} ${JSON.stringify(res.body)}`);
  return `dissolve: ${unit.code}${heir ? ` (children → ${heir.code})` : ''}, ${res.body.closedSteps} steps closed, ${res.body.movedChildren} moved`;
}

/**
 * A merge of units of `tier`: one or two sources (two siblings when there are), into a new unit of
 * the tier under the first source's parent, or into another existing unit of the tier.
 */
function mergeRow(name: string, weight: number, tier: string, into: 'new' | 'existing', minLeft: number): Operation {
  return {
    name,
    weight,
    async run(ctx) {
      const units = await unitsOf(ctx.t, tier);
      if (units.length < minLeft) return null;
      // Mostly a unit that has children to move (an emptied province merged would move nothing).
      const { rows: parents } = await ctx.t.db.query(`SELECT DISTINCT parent_id AS id FROM units WHERE status = 'active'`);
      const withChildren = units.filter((u) => parents.some((p) => p.id === u.id));
      const first = pick(ctx.rng, withChildren.length > 0 && ctx.rng() < 0.8 ? withChildren : units);
      const siblings = units.filter((u) => u.parentId === first.parentId && u.id !== first.id);
      // Two sources only while more than `minLeft` units of the tier remain (a province merge leaves two provinces).
      const two = siblings.length > 0 && units.length > minLeft && ctx.rng() < 0.6;
      const sources = two ? [first, pick(ctx.rng, siblings)] : [first];
      if (into === 'new') {
        const [parent] = await ctx.t.db
          .query(`SELECT id, code, name, tier, parent_id AS "parentId" FROM units WHERE id = $1`, [first.parentId])
          .then((r) => r.rows as Unit[]);
        return merge(ctx, sources, { tier, parent });
      }
      const targets = units.filter((u) => !sources.some((s) => s.id === u.id));
      if (targets.length === 0) return null;
      return merge(ctx, sources, pick(ctx.rng, targets));
    },
  };
}

const OPERATIONS: Operation[] = [
  moveRow('cell to another commune (import)', 3, ['cell'], ['grassroots'], 'import'),
  moveRow('cell to another commune (PATCH)', 3, ['cell'], ['grassroots'], 'patch'),
  moveRow('commune to another district', 3, ['grassroots'], ['district'], 'either'),
  moveRow('commune directly under a province', 2, ['grassroots'], ['province'], 'either'),
  moveRow('district into another province', 2, ['district'], ['province'], 'either'),
  {
    name: 'a province emptied into another (one import)',
    weight: 1,
    async run(ctx) {
      const provinces = await unitsOf(ctx.t, 'province');
      const from = pick(ctx.rng, provinces);
      const into = pick(
        ctx.rng,
        provinces.filter((p) => p.id !== from.id),
      );
      if (provinces.length < 2) return null;
      const { rows: children } = await ctx.t.db.query(
        `SELECT code, name, tier FROM units WHERE parent_id = $1 AND status = 'active' ORDER BY code`,
        [from.id],
      );
      if (children.length === 0) return null;
      const res = await importJson(
        ctx.t,
        children.map((c): ImportRow => ({ ...c, parentCode: into.code })),
      );
      if (res.status !== 200) throw new Error(`empty ${from.code} into ${into.code}: ${res.status} ${JSON.stringify(res.body)}`);
      return `import: ${children.length} children of ${from.code} → ${into.code}`;
    },
  },
  {
    name: 'a cell without cells of its own becomes a grassroots committee under a district (tier change by import)',
    weight: 1,
    async run(ctx) {
      const cells = await unitsOf(ctx.t, 'cell');
      const districts = await unitsOf(ctx.t, 'district');
      if (cells.length < 10 || districts.length === 0) return null;
      return move(ctx, 'import', pick(ctx.rng, cells), pick(ctx.rng, districts), 'grassroots');
    },
  },
  mergeRow('communes merged into a new commune (their cells move under it)', 2, 'grassroots', 'new', 4),
  mergeRow('communes merged into an existing commune', 2, 'grassroots', 'existing', 4),
  mergeRow('a district merged into a new district', 1, 'district', 'new', 2),
  mergeRow('a district merged into another district', 1, 'district', 'existing', 2),
  mergeRow('a whole province merged into another province', 1, 'province', 'existing', 3),
  {
    name: 'a commune dissolved, its cells moved to another commune',
    weight: 1,
    async run(ctx) {
      const communes = await unitsOf(ctx.t, 'grassroots');
      if (communes.length < 4) return null;
      const unit = pick(ctx.rng, communes);
      return dissolve(
        ctx,
        unit,
        pick(
          ctx.rng,
          communes.filter((c) => c.id !== unit.id),
        ),
      );
    },
  },
  {
    name: 'a district dissolved, its communes moved directly under its province',
    weight: 1,
    async run(ctx) {
      const districts = await unitsOf(ctx.t, 'district');
      if (districts.length < 2) return null;
      const unit = pick(ctx.rng, districts);
      const [province] = (await unitsOf(ctx.t, 'province')).filter((p) => p.id === unit.parentId);
      return dissolve(ctx, unit, province);
    },
  },
  {
    name: 'a cell dissolved (no children)',
    weight: 1,
    async run(ctx) {
      const cells = await unitsOf(ctx.t, 'cell');
      if (cells.length < 10) return null;
      return dissolve(ctx, pick(ctx.rng, cells), null);
    },
  },
  {
    name: 'workflow transitions',
    weight: 2,
    async run(ctx) {
      const units = await unitsOf(ctx.t, 'province', 'district', 'grassroots', 'cell');
      const chosen = Array.from({ length: 4 }, () => pick(ctx.rng, units).id);
      const made = await randomTransitions(ctx.t, ctx.actors, chosen, 6, ctx.rng);
      return `transitions ${JSON.stringify(made)}`;
    },
  },
];

/** Contents report for a root, recounted: the subtree walked by parent id, items in the order of the id paths. */
async function recountContents(t: TestApp, rootId: number) {
  const { rows } = await t.db.query(
    `WITH RECURSIVE sub (id, p) AS (
       SELECT id, id || '/' FROM units WHERE id = $1
       UNION ALL SELECT u.id, s.p || u.id || '/' FROM units u JOIN sub s ON u.parent_id = s.id)
     SELECT sub.id, cr.unit_id IS NOT NULL AS held,
            coalesce(ARRAY[cr.content1, cr.content2, cr.content3, cr.content4] <@ ARRAY['done', 'not_applicable']
                     AND 'done' = ANY (ARRAY[cr.content1, cr.content2, cr.content3, cr.content4]), false) AS full
       FROM sub JOIN units u ON u.id = sub.id AND u.status = 'active' LEFT JOIN congress_records cr ON cr.unit_id = sub.id
      ORDER BY sub.p COLLATE "C"`,
    [rootId],
  );
  return {
    units: rows.length,
    held: rows.filter((r) => r.held).map((r) => r.id),
    completedAll: rows.filter((r) => r.full).length,
  };
}

async function checkEveryReport(ctx: Ctx): Promise<void> {
  const { t, rng } = ctx;
  const counters = await countersAndRecount(t);
  expect(counters.stored).toEqual(counters.recounted);
  const top = await topCountersAndRecount(t);
  expect(top.stored).toEqual(top.recounted);

  const provinces = await unitsOf(t, 'province');
  const inner = await unitsOf(t, 'district', 'grassroots');
  const roots = [t.rootUnitId, ...provinces.map((p) => p.id), pick(rng, inner).id, pick(rng, inner).id];
  for (const root of roots) {
    for (const groupBy of ['child', 'tier'] as const) {
      const { actual, expected } = await progressAndRecount(t, root, groupBy);
      expect({ root, groupBy, report: actual }).toEqual({ root, groupBy, report: expected });
    }
  }
  for (const root of [t.rootUnitId, pick(rng, provinces).id]) {
    const overdue = await allPages(t, `/api/reports/overdue?rootId=${root}`, t.adminToken, 200);
    const expected = await recountOverdue(t, root, TODAY);
    expect(overdue.total).toBe(expected.length);
    expect(overdue.items.map((i) => [i.unitId, i.stepNo, i.dueDate, i.status])).toEqual(
      expected.map((i) => [i.unitId, i.stepNo, i.dueDate, i.status]),
    );

    const contents = await t.request('GET', `/api/reports/contents?rootId=${root}&pageSize=200`, { token: t.adminToken });
    expect(contents.status).toBe(200);
    const recount = await recountContents(t, root);
    expect(contents.body.summary).toMatchObject({
      units: recount.units,
      congressesHeld: recount.held.length,
      completedAll: recount.completedAll,
    });
    expect(contents.body.items.map((i: any) => i.unitId)).toEqual(recount.held);
  }
}

describe(`reorganisation property: every report equals a recount after every operation (seed ${SEED}, ${OPS} operations)`, () => {
  let ctx: Ctx;
  const log: string[] = [];

  beforeAll(async () => {
    console.log(`reorg property test: REORG_SEED=${SEED} REORG_OPS=${OPS}`);
    const t = await startTestApp({ ROOT_UNIT_CODE: 'TW', ROOT_UNIT_NAME: 'Ban Chấp hành Trung ương', ROOT_UNIT_TIER: 'central' });
    t.setClock(TODAY);
    const rows: ImportRow[] = [];
    for (let p = 1; p <= 3; p++) {
      rows.push({ code: `P${p}`, name: `Tỉnh ủy ${p}`, tier: 'province', parentCode: '' });
      rows.push({ code: `P${p}-X`, name: `Đảng ủy xã trực thuộc ${p}`, tier: 'grassroots', parentCode: `P${p}` });
      for (let k = 1; k <= 2; k++) rows.push({ code: `P${p}-X-${k}`, name: `Chi bộ ${k}`, tier: 'cell', parentCode: `P${p}-X` });
      for (let d = 1; d <= 2; d++) {
        rows.push({ code: `P${p}-${d}`, name: `Huyện ủy ${p}.${d}`, tier: 'district', parentCode: `P${p}` });
        for (let c = 1; c <= 2; c++) {
          rows.push({ code: `P${p}-${d}-${c}`, name: `Đảng ủy xã ${p}.${d}.${c}`, tier: 'grassroots', parentCode: `P${p}-${d}` });
          for (let k = 1; k <= 2; k++)
            rows.push({ code: `P${p}-${d}-${c}-${k}`, name: `Chi bộ ${k}`, tier: 'cell', parentCode: `P${p}-${d}-${c}` });
        }
      }
    }
    const { planId, ids } = await plannedTree(t, rows);
    // Absolute deadlines before "today" for step 1 (overdue while open), another tier's date for step 2.
    const res = await t.request('PATCH', `/api/plans/${planId}/steps/1`, {
      token: t.adminToken,
      body: { deadlines: { cell: { date: '2025-02-15' }, grassroots: { date: '2025-03-20' }, district: { date: '2025-04-01' } } },
    });
    expect(res.status).toBe(200);
    ctx = { t, rng: seeded(SEED), actors: provinceActors(t), created: 0 };
    const all = rows.map((r) => ids[r.code]);
    for (const row of rows.filter(() => ctx.rng() < 0.3)) await recordCongress(t, ids[row.code], congressDay(ctx.rng, row.tier));
    await randomTransitions(t, ctx.actors, all, 60, ctx.rng);
  }, 600_000);
  afterAll(async () => ctx?.t.close());

  it('starts exact', () => checkEveryReport(ctx));

  it(`stays exact through ${OPS} random operations`, async () => {
    const total = OPERATIONS.reduce((s, o) => s + o.weight, 0);
    const kinds = new Set<string>();
    for (let i = 1; i <= OPS; i++) {
      let r = ctx.rng() * total;
      const op = OPERATIONS.find((o) => (r -= o.weight) < 0) ?? OPERATIONS[OPERATIONS.length - 1];
      const done = await op.run(ctx);
      if (done === null) continue;
      kinds.add(op.name);
      log.push(`${i}. ${done}`);
      try {
        await checkEveryReport(ctx);
      } catch (error) {
        throw new Error(`REORG_SEED=${SEED}: after operation ${i} (${op.name})\n${log.join('\n')}\n${(error as Error).message}`);
      }
    }
    console.log(`reorg property test (REORG_SEED=${SEED}): ${log.length} operations applied\n${log.join('\n')}`);
    // A run that applied no moves, merges or dissolutions would prove nothing.
    expect(kinds.size).toBeGreaterThanOrEqual(5);
    expect(log.some((l) => l.includes('merge:'))).toBe(true);
    expect(log.some((l) => l.includes('dissolve:'))).toBe(true);
    expect(log.length).toBeGreaterThanOrEqual(OPS * 0.8);
  }, 900_000);
});
