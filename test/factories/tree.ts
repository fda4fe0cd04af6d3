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
