import { type CongressType, mulberry32, type Tier } from '@app/core';

/** The committed fixture (thai-binh.json), derived from the GSO data by scripts/derive-thai-binh.ts. */
export interface ThaiBinhFixture {
  source: string;
  province: { code: string; name: string; adminName: string };
  districts: {
    code: string;
    name: string;
    adminName: string;
    communes: { code: string; name: string; adminName: string; type: string }[];
  }[];
  directCommittees: { code: string; name: string; grassroots: { code: string; name: string }[] }[];
}

/** One import row, in the columns of UnitImportService. */
export interface DemoRow {
  code: string;
  name: string;
  tier: Tier;
  parentCode: string;
  contactEmails: string[];
  /** The congress format the superior decided (left out: full). */
  congressType?: CongressType;
  /** A pilot congress (đại hội điểm). */
  pilot?: boolean;
}

/** The demo's district whose communes show the formats the superior decides, and its pilot commune. */
const FORMATS_DISTRICT = '344'; // Huyện ủy Vũ Thư
const PILOT_COMMUNE = 'Đảng ủy xã Vũ Hội';

/**
 * A few communes of Vũ Thư hold 3-content congresses (the province agreed not to elect a new
 * committee where personnel is difficult) and one a 2-content congress (an appointed committee
 * after a merger); Vũ Hội holds the district's pilot congress (đại hội điểm), as does its first cell.
 */
function formatOf(districtCode: string, index: number, name: string): Pick<DemoRow, 'congressType' | 'pilot'> {
  const out: Pick<DemoRow, 'congressType' | 'pilot'> = {};
  if (districtCode === FORMATS_DISTRICT && (index === 1 || index === 2)) out.congressType = 'three_contents';
  if (districtCode === FORMATS_DISTRICT && index === 3) out.congressType = 'two_contents';
  if (name === PILOT_COMMUNE) out.pilot = true;
  return out;
}

/**
 * `central`: the root is the Central Committee, the province goes under it.
 * `province`: the root is the province itself (ROOT_UNIT_TIER=province), its units go under it.
 */
export type DemoMode = 'central' | 'province';

export const DEMO_MAIL_DOMAIN = 'thaibinh.example';

/** Names of villages (thôn) for the generated cells: common in the Red River delta. */
const VILLAGES = [
  'Đông',
  'Tây',
  'Nam',
  'Bắc',
  'Trung',
  'Thượng',
  'Hạ',
  'Đoài',
  'An Lạc',
  'An Phú',
  'Bình Minh',
  'Cổ Việt',
  'Đại Đồng',
  'Đồng Tâm',
  'Hòa Bình',
  'Hưng Đạo',
  'Lạc Thiện',
  'Nam Tiến',
  'Phú Xuân',
  'Phúc Lộc',
  'Tân Lập',
  'Thanh Châu',
  'Thống Nhất',
  'Tiền Phong',
  'Trung Thành',
  'Vạn Xuân',
  'Xuân La',
  'Yên Phú',
];

function contact(code: string): string[] {
  return [`dangbo.${code.toLowerCase()}@${DEMO_MAIL_DOMAIN}`];
}

/**
 * The Party cells (chi bộ) of one commune: 5–7 village or residential-group cells and four
 * institutional ones (primary school, lower-secondary school, health station, commune police),
 * coded `<commune code>.01`, `.02`, … — the same on every run.
 */
export function communeCells(commune: { code: string; adminName: string; type: string }): { code: string; name: string }[] {
  // Seeded per commune, so the cells never change.
  const next = mulberry32(Number.parseInt(commune.code, 10) || commune.code.length);
  const place = commune.adminName.slice(commune.type.length + 1);
  const level = commune.type.toLowerCase(); // xã, phường, thị trấn
  const residential = 5 + Math.floor(next() * 3);
  const names: string[] = [];
  if (commune.type === 'Xã') {
    const pool = [...VILLAGES];
    for (let i = 0; i < residential; i++) names.push(`Chi bộ thôn ${pool.splice(Math.floor(next() * pool.length), 1)[0]}`);
  } else {
    for (let i = 1; i <= residential; i++) names.push(`Chi bộ tổ dân phố số ${i}`);
  }
  names.push(
    `Chi bộ Trường Tiểu học ${place}`,
    `Chi bộ Trường THCS ${place}`,
    `Chi bộ Trạm Y tế ${level} ${place}`,
    `Chi bộ Công an ${level} ${place}`,
  );
  return names.map((name, i) => ({ code: `${commune.code}.${String(i + 1).padStart(2, '0')}`, name }));
}

/**
 * Every unit of the demo, parents before children. An empty parentCode attaches a row to the
 * root unit, so the rows do not depend on the root's code.
 */
export function demoRows(fixture: ThaiBinhFixture, mode: DemoMode): DemoRow[] {
  const rows: DemoRow[] = [];
  let provinceCode = '';
  if (mode === 'central') {
    const p = fixture.province;
    rows.push({ code: p.code, name: p.name, tier: 'province', parentCode: '', contactEmails: contact(p.code) });
    provinceCode = p.code;
  }
  for (const d of fixture.districts) {
    rows.push({ code: d.code, name: d.name, tier: 'district', parentCode: provinceCode, contactEmails: contact(d.code) });
  }
  for (const c of fixture.directCommittees) {
    rows.push({ code: c.code, name: c.name, tier: 'district', parentCode: provinceCode, contactEmails: contact(c.code) });
    for (const g of c.grassroots) rows.push({ code: g.code, name: g.name, tier: 'grassroots', parentCode: c.code, contactEmails: [] });
  }
  for (const d of fixture.districts) {
    for (const [index, c] of d.communes.entries()) {
      const format = formatOf(d.code, index, c.name);
      rows.push({ code: c.code, name: c.name, tier: 'grassroots', parentCode: d.code, contactEmails: contact(c.code), ...format });
      for (const [k, cell] of communeCells(c).entries()) {
        rows.push({ ...cell, tier: 'cell', parentCode: c.code, contactEmails: [], ...(format.pilot && k === 0 ? { pilot: true } : {}) });
      }
    }
  }
  return rows;
}
