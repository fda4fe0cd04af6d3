import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { mulberry32 } from '@app/core';

/** One row of the unit import (the JSON body / CSV columns of POST /api/units/import). */
export interface BenchUnitRow {
  code: string;
  name: string;
  tier: 'province' | 'district' | 'grassroots' | 'cell';
  parentCode: string;
  contactEmails: string;
}

export interface NationalTree {
  rows: BenchUnitRow[];
  /** Where the provinces, districts and communes came from. */
  source: string;
  counts: { provinces: number; districts: number; communes: number; cells: number };
  /** Units the subtree benchmark looks at: a mid-size province (Thái Bình), the largest one, and a district. */
  samples: { province: string; largestProvince: string; district: string };
}

/** The administrative divisions file, when present (see /work/shared/data/README.md). */
export const DVHCVN_PATH = process.env.DVHCVN_PATH ?? resolve(__dirname, '../../shared/data/dvhcvn.json');

interface Level3 {
  level3_id: string;
  name: string;
}
interface Level2 {
  level2_id: string;
  name: string;
  level3s: Level3[];
}
interface Level1 {
  level1_id: string;
  name: string;
  type: string;
  level2s: Level2[];
}

/** A small deterministic PRNG (mulberry32): the same tree on every run. */
const prng = mulberry32;

/** 63 provinces, 696 districts and 10,047 communes without names, spread like the real ones. */
function generatedDivisions(): Level1[] {
  const rand = prng(63);
  const provinces: Level1[] = [];
  let d = 0;
  let c = 0;
  for (let p = 1; p <= 63; p++) {
    provinces.push({ level1_id: String(p).padStart(2, '0'), name: `Tỉnh ${p}`, type: 'Tỉnh', level2s: [] });
  }
  for (let i = 0; i < 696; i++) {
    const province = provinces[i < 63 ? i : Math.floor(rand() * 63)];
    province.level2s.push({ level2_id: String(++d).padStart(3, '0'), name: `Huyện ${d}`, level3s: [] });
  }
  const districts = provinces.flatMap((p) => p.level2s);
  for (let i = 0; i < 10_047; i++) {
    const district = districts[i < districts.length ? i : Math.floor(rand() * districts.length)];
    district.level3s.push({ level3_id: String(++c).padStart(5, '0'), name: `Xã ${c}` });
  }
  return provinces;
}

/**
 * The national Party organisation tree under the central root: one provincial committee per
 * province, one district-level committee per district, one grassroots committee per commune
 * (from dvhcvn.json when present), then Party cells under the communes (10–30 each before
 * scaling) until the file has exactly `total` rows.
 */
export function nationalTree(total = 300_000, rootCode = 'TW'): NationalTree {
  let divisions: Level1[];
  let source: string;
  if (existsSync(DVHCVN_PATH)) {
    divisions = (JSON.parse(readFileSync(DVHCVN_PATH, 'utf8')) as { data: Level1[] }).data;
    source = DVHCVN_PATH;
  } else {
    divisions = generatedDivisions();
    source = 'generated (dvhcvn.json not found)';
  }
  const rows: BenchUnitRow[] = [];
  const communes: { code: string }[] = [];
  let districts = 0;
  for (const p of divisions) {
    const pc = `P${p.level1_id}`;
    const short = p.name.replace(/^(Tỉnh|Thành phố)\s+/, '');
    const committee = p.type === 'Tỉnh' ? 'Tỉnh ủy' : 'Thành ủy';
    rows.push({
      code: pc,
      name: `${committee} ${short}`,
      tier: 'province',
      parentCode: rootCode,
      contactEmails: `vanphong.${pc.toLowerCase()}@dang.vn`,
    });
    for (const d of p.level2s) {
      districts++;
      const dc = `D${d.level2_id}`;
      rows.push({ code: dc, name: `Đảng bộ ${d.name}`, tier: 'district', parentCode: pc, contactEmails: `${dc.toLowerCase()}@dang.vn` });
      for (const x of d.level3s) {
        const xc = `X${x.level3_id}`;
        rows.push({ code: xc, name: `Đảng ủy ${x.name}`, tier: 'grassroots', parentCode: dc, contactEmails: '' });
        communes.push({ code: xc });
      }
    }
  }
  const cellsWanted = total - rows.length;
  if (cellsWanted < 0) throw new Error(`total ${total} is below the ${rows.length} committees`);
  // 10–30 cells per commune, scaled so that the file has exactly `total` rows.
  const rand = prng(2025);
  const weights = communes.map(() => 10 + Math.floor(rand() * 21));
  const weightSum = weights.reduce((a, b) => a + b, 0);
  const counts = weights.map((w) => Math.floor((w * cellsWanted) / weightSum));
  let missing = cellsWanted - counts.reduce((a, b) => a + b, 0);
  for (let i = 0; missing > 0; i = (i + 1) % counts.length, missing--) counts[i]++;
  communes.forEach((x, i) => {
    for (let k = 1; k <= counts[i]; k++) {
      rows.push({ code: `${x.code}-${k}`, name: `Chi bộ ${k}`, tier: 'cell', parentCode: x.code, contactEmails: '' });
    }
  });

  const thaiBinh = divisions.find((p) => p.level1_id === '34') ?? divisions[0];
  const largest = [...divisions].sort(
    (a, b) => b.level2s.reduce((n, d) => n + d.level3s.length, 0) - a.level2s.reduce((n, d) => n + d.level3s.length, 0),
  )[0];
  return {
    rows,
    source,
    counts: { provinces: divisions.length, districts, communes: communes.length, cells: cellsWanted },
    samples: {
      province: `P${thaiBinh.level1_id}`,
      largestProvince: `P${largest.level1_id}`,
      district: `D${thaiBinh.level2s[0].level2_id}`,
    },
  };
}

/** The rows as an import CSV (header code,name,tier,parentCode,contactEmails). */
export function toCsv(rows: BenchUnitRow[]): string {
  const quote = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const lines = ['code,name,tier,parentCode,contactEmails'];
  for (const r of rows) lines.push([r.code, r.name, r.tier, r.parentCode, r.contactEmails].map(quote).join(','));
  return lines.join('\n') + '\n';
}
