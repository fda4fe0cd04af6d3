import type { Tier } from '@app/core';

export interface ImportRow {
  code: string;
  name: string;
  tier: Tier;
  parentCode: string;
  contactEmails?: string;
}

/**
 * A generated tree under the root: `provinces` provinces, each with `districts` districts,
 * each with `communes` grassroots committees, each with `cells` cells.
 */
export function generateTree(shape: { provinces: number; districts: number; communes: number; cells: number }, prefix = 'T'): ImportRow[] {
  const rows: ImportRow[] = [];
  for (let p = 1; p <= shape.provinces; p++) {
    const pc = `${prefix}${p}`;
    rows.push({ code: pc, name: `Tỉnh ủy ${p}`, tier: 'province', parentCode: '', contactEmails: `tinh${p}@test.vn` });
    for (let d = 1; d <= shape.districts; d++) {
      const dc = `${pc}-${d}`;
      rows.push({ code: dc, name: `Huyện ủy ${p}.${d}`, tier: 'district', parentCode: pc });
      for (let c = 1; c <= shape.communes; c++) {
        const cc = `${dc}-${c}`;
        rows.push({ code: cc, name: `Đảng ủy xã ${p}.${d}.${c}`, tier: 'grassroots', parentCode: dc });
        for (let k = 1; k <= shape.cells; k++) {
          rows.push({ code: `${cc}-${k}`, name: `Chi bộ thôn ${k}`, tier: 'cell', parentCode: cc });
        }
      }
    }
  }
  return rows;
}

/** Creates one unit through the API as the root admin and returns it. */
export async function createUnit(
  t: {
    request(method: string, path: string, options?: { token?: string; body?: unknown }): Promise<{ status: number; body: any }>;
    adminToken: string;
  },
  unit: { code: string; tier: Tier; parentId: number; name?: string },
): Promise<{ id: number; code: string }> {
  const res = await t.request('POST', '/api/units', { token: t.adminToken, body: { name: `Đơn vị ${unit.code}`, ...unit } });
  if (res.status !== 201) throw new Error(`create unit ${unit.code}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}
