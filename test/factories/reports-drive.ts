import type { TestApp } from '../setup/test-app';
import { importJson } from './import';
import { generateTree } from './tree';
import { plannedTree } from './workflow';
import { pick, seeded } from './reports';

/**
 * Drives a generated national tree through the API the way its users would: congress dates, a
 * seeded random sequence of valid transitions (each by a user of the right role and unit), due-date
 * changes (plan rules, holidays, congress dates) and unit moves by import, so that the counters'
 * triggers see real transition statements.
 */
const SUPERIOR_ACTIONS = new Set(['approve', 'return', 'reopen', 'skip']);
const NOTE_ACTIONS = new Set(['return', 'reopen', 'skip']);
const WEIGHT: Record<string, number> = { start: 5, complete: 5, submit: 5, approve: 4, skip: 1, return: 2, reopen: 1 };
const FORWARD = new Set(['start', 'complete', 'submit', 'approve', 'skip']);
/** Congress windows of the default plan, as [first day, number of days]. */
const WINDOWS: Record<string, [string, number]> = {
  cell: ['2025-01-01', 90],
  grassroots: ['2025-04-01', 91],
  district: ['2025-07-01', 62],
  province: ['2025-09-01', 61],
  central: ['2026-01-19', 5],
};

export interface Actors {
  /** Tokens for unit actions (an editor in scope) and superior actions (a supervisor of a strict ancestor; none for the root). */
  of(unitId: number): Promise<{ unit: string; superior: string | null }>;
}

/** Editors and supervisors of the root and of each province, created on first use. */
export function provinceActors(t: TestApp): Actors {
  const tokens = new Map<string, Promise<string>>();
  const token = (role: 'editor' | 'supervisor', unitId: number) => {
    const key = `${role}:${unitId}`;
    if (!tokens.has(key)) tokens.set(key, t.loginAs(role, unitId));
    return tokens.get(key)!;
  };
  return {
    async of(unitId) {
      const { rows } = await t.db.query(`SELECT path, depth FROM units WHERE id = $1`, [unitId]);
      const [root, province] = (rows[0].path as string).split('/').map(Number);
      if (rows[0].depth === 0) return { unit: await token('editor', root), superior: null };
      if (rows[0].depth === 1) return { unit: await token('editor', province), superior: await token('supervisor', root) };
      return { unit: await token('editor', province), superior: await token('supervisor', province) };
    },
  };
}

const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** A random day in the tier's congress window. */
export function congressDay(rng: () => number, tier: string): string {
  const [from, days] = WINDOWS[tier];
  return addDays(from, Math.floor(rng() * days));
}

/** PATCH /api/units/:id {congressDate} for each unit (admin), on a random day of its tier's window. */
export async function scheduleCongresses(t: TestApp, unitIds: number[], rng: () => number): Promise<void> {
  const { rows } = await t.db.query(`SELECT id, tier FROM units WHERE id = ANY($1::int[]) ORDER BY id`, [unitIds]);
  for (const u of rows) {
    const res = await t.request('PATCH', `/api/units/${u.id}`, { token: t.adminToken, body: { congressDate: congressDay(rng, u.tier) } });
    if (res.status !== 200) throw new Error(`congress date of ${u.id}: ${res.status} ${JSON.stringify(res.body)}`);
  }
}

/** PUT /api/units/:id/congress with all 4 contents done, so that step 12 can complete; held on the first day of the tier's window by default. */
export async function recordCongress(t: TestApp, unitId: number, on?: string): Promise<void> {
  const heldOn = on ?? WINDOWS[(await t.db.query(`SELECT tier FROM units WHERE id = $1`, [unitId])).rows[0].tier][0];
  const contents = [1, 2, 3, 4].map((no) => ({ no, status: 'done' }));
  const res = await t.request('PUT', `/api/units/${unitId}/congress`, { token: t.adminToken, body: { heldOn, kind: 'members', contents } });
  if (res.status !== 200) throw new Error(`congress of ${unitId}: ${res.status} ${JSON.stringify(res.body)}`);
}

/**
 * Makes up to `count` transitions on randomly chosen units: each time reads the unit's workflow as
 * its superior, picks one of the allowed actions (forward ones more often) and posts it with the
 * step's version, as an editor for unit actions and a supervisor of an ancestor for the others.
 */
export async function randomTransitions(
  t: TestApp,
  actors: Actors,
  unitIds: number[],
  count: number,
  rng: () => number,
  options: { forwardOnly?: boolean } = {},
): Promise<Record<string, number>> {
  const made: Record<string, number> = {};
  let total = 0;
  for (let attempt = 0; total < count && attempt < count * 4; attempt++) {
    const unitId = pick(rng, unitIds);
    if (await transitionOnce(t, actors, unitId, rng, options.forwardOnly === true ? FORWARD : null, made)) total++;
  }
  return made;
}

async function transitionOnce(
  t: TestApp,
  actors: Actors,
  unitId: number,
  rng: () => number,
  only: Set<string> | null,
  made: Record<string, number>,
): Promise<boolean> {
  const tokens = await actors.of(unitId);
  const wf = await t.request('GET', `/api/units/${unitId}/workflow`, { token: tokens.superior ?? tokens.unit });
  if (wf.status !== 200) throw new Error(`workflow of ${unitId}: ${wf.status} ${JSON.stringify(wf.body)}`);
  const options = (wf.body.steps as any[]).flatMap((s) =>
    (s.allowedActions as string[]).filter((a) => only === null || only.has(a)).map((action) => ({ step: s, action })),
  );
  if (options.length === 0) return false;
  // The kind of action first (weighted), then one of the steps that allow it.
  const kinds = [...new Set(options.map((o) => o.action))];
  let r = rng() * kinds.reduce((sum, a) => sum + WEIGHT[a], 0);
  const kind = kinds.find((a) => (r -= WEIGHT[a]) < 0) ?? kinds[kinds.length - 1];
  const chosen = pick(
    rng,
    options.filter((o) => o.action === kind),
  );
  const body: Record<string, unknown> = { action: chosen.action, expectedVersion: chosen.step.version };
  if (NOTE_ACTIONS.has(chosen.action)) body.note = `Lý do ${chosen.action}`;
  const token = SUPERIOR_ACTIONS.has(chosen.action) ? tokens.superior! : tokens.unit;
  const res = await t.request('POST', `/api/units/${unitId}/steps/${chosen.step.no}/actions`, { token, body });
  if (res.status !== 200) throw new Error(`${chosen.action} ${unitId}/${chosen.step.no}: ${res.status} ${JSON.stringify(res.body)}`);
  made[chosen.action] = (made[chosen.action] ?? 0) + 1;
  return true;
}

/**
 * Walks a unit forward without approving until one of its submissions can be returned, then returns
 * it: the random walk alone reaches an approval step (7, after 1–6) too rarely to count on a return.
 */
async function returnOneSubmission(t: TestApp, actors: Actors, unitId: number, rng: () => number, made: Record<string, number>) {
  const walk = new Set(['start', 'complete', 'submit', 'skip']);
  for (let i = 0; i < 60; i++) {
    if (await transitionOnce(t, actors, unitId, rng, new Set(['return']), made)) return;
    if (!(await transitionOnce(t, actors, unitId, rng, walk, made))) break;
  }
  throw new Error(`unit ${unitId}: no submission to return`);
}

/** Walks each unit forward until every step is completed or skipped (units below the root only). */
export async function finishUnits(t: TestApp, actors: Actors, unitIds: number[], rng: () => number): Promise<void> {
  for (const unitId of unitIds) {
    await recordCongress(t, unitId);
    for (let i = 0; i < 60 && (await transitionOnce(t, actors, unitId, rng, FORWARD, {})); i++);
    const { rows } = await t.db.query(
      `SELECT count(*)::int AS open FROM unit_steps WHERE unit_id = $1 AND status NOT IN ('completed', 'skipped')`,
      [unitId],
    );
    if (rows[0].open !== 0) throw new Error(`unit ${unitId} could not finish (${rows[0].open} open steps)`);
  }
}

export interface Scenario {
  planId: number;
  ids: Record<string, number>;
  transitions: Record<string, number>;
}

/**
 * The whole story on a generated tree "<prefix>p-d-c-k" under the root TW: activation, congress dates
 * on a share of the units, transitions, finished units, rule and holiday changes, a district moved
 * to another province, a commune moved to a district of another province, a cell turned into a
 * grassroots committee, new units added under the plan; transitions in between.
 */
export async function buildScenario(
  t: TestApp,
  shape: { provinces: number; districts: number; communes: number; cells: number },
  seed: number,
  transitions: number,
): Promise<Scenario> {
  const rng = seeded(seed);
  const rows = generateTree(shape, 'T');
  const { planId, ids } = await plannedTree(t, rows);
  ids.TW = t.rootUnitId;
  const all = [t.rootUnitId, ...rows.map((r) => ids[r.code])];
  await scheduleCongresses(
    t,
    all.filter(() => rng() < 0.35),
    rng,
  );
  const actors = provinceActors(t);
  // A working set spread over every tier, some with their congress contents recorded.
  const active = [t.rootUnitId, ...rows.filter(() => rng() < 60 / rows.length).map((r) => ids[r.code])];
  for (const unitId of active.filter(() => rng() < 0.5)) await recordCongress(t, unitId);
  const made: Record<string, number>[] = [await randomTransitions(t, actors, active, Math.round(transitions * 0.5), rng)];
  const below = rows.filter((r) => r.tier !== 'province');
  const finishers = new Set(Array.from({ length: 8 }, () => ids[pick(rng, below).code]));
  await finishUnits(t, actors, [...finishers], rng);

  // Due dates move: rule changes (many open steps at once), a holiday, congress dates changed again.
  const patch = async (no: number, deadlines: unknown) => {
    const res = await t.request('PATCH', `/api/plans/${planId}/steps/${no}`, { token: t.adminToken, body: { deadlines } });
    if (res.status !== 200) throw new Error(`plan step ${no}: ${res.status} ${JSON.stringify(res.body)}`);
  };
  await patch(1, { grassroots: { date: '2025-04-20' }, cell: { date: '2025-02-15' } });
  await patch(5, { cell: { daysFromCongress: -40, workingDays: true }, district: { daysFromCongress: -60, workingDays: false } });
  await patch(15, { grassroots: { date: '2025-08-31' } });
  for (const [method, date] of [
    ['PUT', '2025-03-03'],
    ['PUT', '2025-06-16'],
    ['DELETE', '2025-03-03'],
  ]) {
    const res = await t.request(method, `/api/holidays/${date}`, {
      token: t.adminToken,
      body: method === 'PUT' ? { name: 'Nghỉ bù' } : undefined,
    });
    if (res.status >= 300) throw new Error(`${method} holiday ${date}: ${res.status} ${JSON.stringify(res.body)}`);
  }
  await scheduleCongresses(
    t,
    all.filter(() => rng() < 0.1),
    rng,
  );
  made.push(await randomTransitions(t, actors, active, Math.round(transitions * 0.25), rng));

  // A district moves to another province (its own bucket), then a commune to another district (a new bucket).
  const district = rows.find((r) => r.code === 'T1-2')!;
  const moved = await importJson(t, [{ ...district, parentCode: 'T2' }]);
  if (moved.status !== 200) throw new Error(`move district: ${moved.status} ${JSON.stringify(moved.body)}`);
  made.push(await randomTransitions(t, actors, active, Math.round(transitions * 0.1), rng));
  const commune = rows.find((r) => r.code === `T${shape.provinces}-1-1`)!;
  const movedCommune = await importJson(t, [{ ...commune, parentCode: 'T2-1' }]);
  if (movedCommune.status !== 200) throw new Error(`move commune: ${movedCommune.status} ${JSON.stringify(movedCommune.body)}`);
  // A cell becomes a grassroots committee directly under its district (a tier change), and new units join the plan.
  // A congress date set for the cell would lie outside the new tier's window, which refuses the move: cleared first, as an admin would.
  const cleared = await t.request('PATCH', `/api/units/${ids['T2-2-1-1']}`, { token: t.adminToken, body: { congressDate: null } });
  if (cleared.status !== 200) throw new Error(`clear congress date: ${cleared.status} ${JSON.stringify(cleared.body)}`);
  const added = await importJson(t, [
    { code: 'T2-2-1-1', name: 'Đảng ủy cơ quan 2.2', tier: 'grassroots', parentCode: 'T2-2' },
    { code: 'T1-1-99', name: 'Đảng ủy xã mới', tier: 'grassroots', parentCode: 'T1-1' },
    ...[1, 2, 3].map((k) => ({ code: `T1-1-99-${k}`, name: `Chi bộ mới ${k}`, tier: 'cell', parentCode: 'T1-1-99' })),
  ]);
  if (added.status !== 200) throw new Error(`tier change and new units: ${added.status} ${JSON.stringify(added.body)}`);
  const { rows: fresh } = await t.db.query(`SELECT id, code FROM units WHERE code LIKE 'T1-1-99%'`);
  for (const u of fresh) ids[u.code] = u.id;
  made.push(await randomTransitions(t, actors, [...active, ...fresh.map((u) => u.id)], Math.round(transitions * 0.15), rng));

  // Submissions returned (and resubmitted and approved by the random walk, or left returned).
  const returns: Record<string, number> = {};
  for (const unitId of new Set(Array.from({ length: 3 }, () => ids[pick(rng, below).code]))) {
    await returnOneSubmission(t, actors, unitId, rng, returns);
  }
  made.push(returns, await randomTransitions(t, actors, active, 20, rng));
  const sum: Record<string, number> = {};
  for (const m of made) for (const [k, v] of Object.entries(m)) sum[k] = (sum[k] ?? 0) + v;
  return { planId, ids, transitions: sum };
}
