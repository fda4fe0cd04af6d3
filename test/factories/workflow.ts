import type { Role } from '@app/core';
import type { ApiResponse, TestApp } from '../setup/test-app';
import { importJson } from './import';
import type { ImportRow } from './tree';

export interface PlannedTree {
  planId: number;
  /** Unit ids by code, for every imported row. */
  ids: Record<string, number>;
  activation: { units: number; steps: number };
}

let plans = 0;

/** Creates a plan from the default template through the API (admin). */
export async function createPlan(t: TestApp, code = `KH-${++plans}`): Promise<number> {
  const res = await t.request('POST', '/api/plans', { token: t.adminToken, body: { code, name: `Kế hoạch ${code}` } });
  if (res.status !== 201) throw new Error(`create plan failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as number;
}

/** Imports `rows` under the root, creates a plan and activates it on `rootCode` (the root unit by default). */
export async function plannedTree(
  t: TestApp,
  rows: ImportRow[],
  options: { rootCode?: string; activate?: boolean } = {},
): Promise<PlannedTree> {
  const imported = await importJson(t, rows);
  if (imported.status !== 200) throw new Error(`import failed: ${imported.status} ${JSON.stringify(imported.body)}`);
  const { rows: units } = await t.db.query(`SELECT id, code FROM units WHERE code = ANY($1::text[])`, [rows.map((r) => r.code)]);
  const ids: Record<string, number> = Object.fromEntries(units.map((u) => [u.code, u.id]));
  const planId = await createPlan(t);
  let activation = { units: 0, steps: 0 };
  if (options.activate !== false) {
    const rootUnitId = options.rootCode ? ids[options.rootCode] : t.rootUnitId;
    const res = await t.request('POST', `/api/plans/${planId}/activate`, { token: t.adminToken, body: { rootUnitId } });
    if (res.status !== 200) throw new Error(`activate failed: ${res.status} ${JSON.stringify(res.body)}`);
    activation = res.body;
  }
  return { planId, ids, activation };
}

/** A small tree: province P, districts D1 and D2, communes D1-1, D1-2 and D2-1, cells D1-1-1 and D1-1-2. */
export const SMALL_TREE: ImportRow[] = [
  { code: 'P', name: 'Tỉnh ủy P', tier: 'province', parentCode: '' },
  { code: 'D1', name: 'Huyện ủy D1', tier: 'district', parentCode: 'P' },
  { code: 'D1-1', name: 'Đảng ủy xã D1-1', tier: 'grassroots', parentCode: 'D1' },
  { code: 'D1-2', name: 'Đảng ủy xã D1-2', tier: 'grassroots', parentCode: 'D1' },
  { code: 'D1-1-1', name: 'Chi bộ thôn D1-1-1', tier: 'cell', parentCode: 'D1-1' },
  { code: 'D1-1-2', name: 'Chi bộ thôn D1-1-2', tier: 'cell', parentCode: 'D1-1' },
  { code: 'D2', name: 'Huyện ủy D2', tier: 'district', parentCode: 'P' },
  { code: 'D2-1', name: 'Đảng ủy xã D2-1', tier: 'grassroots', parentCode: 'D2' },
];

/** `n` grassroots communes under one district D, named C1..Cn: many fresh units for one-unit-per-case tests. */
export function communes(n: number, prefix = 'C'): ImportRow[] {
  const rows: ImportRow[] = [
    { code: 'P', name: 'Tỉnh ủy P', tier: 'province', parentCode: '' },
    { code: 'D', name: 'Huyện ủy D', tier: 'district', parentCode: 'P' },
  ];
  for (let i = 1; i <= n; i++) rows.push({ code: `${prefix}${i}`, name: `Đảng ủy xã ${prefix}${i}`, tier: 'grassroots', parentCode: 'D' });
  return rows;
}

export interface StepState {
  status: string;
  version: number;
  dueDate: string | null;
}

/** A unit's step as stored. */
export async function stepRow(t: TestApp, unitId: number, stepNo: number): Promise<StepState> {
  const { rows } = await t.db.query(
    `SELECT status, version, to_char(due_date, 'YYYY-MM-DD') AS "dueDate" FROM unit_steps WHERE unit_id = $1 AND step_no = $2`,
    [unitId, stepNo],
  );
  if (rows.length !== 1) throw new Error(`unit ${unitId} has no step ${stepNo}`);
  return rows[0];
}

/** Due dates of a unit's steps by step number, as stored. */
export async function dueDates(t: TestApp, unitId: number): Promise<Record<number, string | null>> {
  const { rows } = await t.db.query(
    `SELECT step_no AS no, to_char(due_date, 'YYYY-MM-DD') AS due FROM unit_steps WHERE unit_id = $1 ORDER BY step_no`,
    [unitId],
  );
  return Object.fromEntries(rows.map((r) => [r.no, r.due]));
}

/** Puts steps straight into a status with SQL (bumping the version, as a transition would); returns the new version. */
export async function setStatus(t: TestApp, unitId: number, steps: number | number[], status: string): Promise<number> {
  const { rows } = await t.db.query(
    `UPDATE unit_steps SET status = $3, version = version + 1 WHERE unit_id = $1 AND step_no = ANY($2::int[]) RETURNING version`,
    [unitId, Array.isArray(steps) ? steps : [steps], status],
  );
  if (rows.length === 0) throw new Error(`unit ${unitId} has none of steps ${String(steps)}`);
  return rows[rows.length - 1].version;
}

/** Marks every step before `stepNo` completed, so that its prerequisites are met. */
export async function completeBefore(t: TestApp, unitId: number, stepNo: number): Promise<void> {
  await t.db.query(`UPDATE unit_steps SET status = 'completed', version = version + 1 WHERE unit_id = $1 AND step_no < $2`, [
    unitId,
    stepNo,
  ]);
}

export interface ActOptions {
  note?: string;
  expectedVersion?: number;
  documentRef?: string;
}

/** POST /api/units/:id/steps/:no/actions; the expected version is the stored one unless given. */
export async function act(
  t: TestApp,
  token: string,
  unitId: number,
  stepNo: number,
  action: string,
  options: ActOptions = {},
): Promise<ApiResponse> {
  const expectedVersion = options.expectedVersion ?? (await stepRow(t, unitId, stepNo)).version;
  const body: Record<string, unknown> = { action, expectedVersion };
  if (options.note !== undefined) body.note = options.note;
  if (options.documentRef !== undefined) body.documentRef = options.documentRef;
  return t.request('POST', `/api/units/${unitId}/steps/${stepNo}/actions`, { token, body });
}

/** Users of every role bound to one unit. */
export async function usersOf(t: TestApp, unitId: number): Promise<Record<Role, string>> {
  return {
    viewer: await t.loginAs('viewer', unitId),
    editor: await t.loginAs('editor', unitId),
    supervisor: await t.loginAs('supervisor', unitId),
    admin: await t.loginAs('admin', unitId),
  };
}

/** Outbox rows about one unit, oldest first. */
export async function outboxOf(t: TestApp, unitId: number): Promise<{ topic: string; payload: Record<string, unknown> }[]> {
  const { rows } = await t.db.query(`SELECT topic, payload FROM outbox WHERE (payload ->> 'unitId')::int = $1 ORDER BY id`, [unitId]);
  return rows;
}

export async function history(t: TestApp, token: string, unitId: number, stepNo: number): Promise<ApiResponse> {
  return t.request('GET', `/api/units/${unitId}/steps/${stepNo}/history`, { token });
}

/** PATCH /api/units/:id {congressDate} as the admin. */
export function setCongressDate(t: TestApp, unitId: number, congressDate: string | null): Promise<ApiResponse> {
  return t.request('PATCH', `/api/units/${unitId}`, { token: t.adminToken, body: { congressDate } });
}
