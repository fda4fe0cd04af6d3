/**
 * Derives the demo fixture of the 2025 reorganisation of Thái Bình and Hưng Yên.
 *
 *   npx ts-node scripts/derive-hung-yen-reorg.ts [path/to/reorg-2025.json] [path/to/dvhcvn.json]
 *
 * Reads ../shared/data/reorg-2025.json and ../shared/data/dvhcvn.json (development tooling only)
 * and writes apps/tools/src/demo/reorg-hung-yen.json, which is committed: the product never reads
 * ../shared. On 01/07/2025 the provinces of Thái Bình (GSO 34) and Hưng Yên (GSO 33) merged into the
 * new Hưng Yên, the district level was abolished, and their 381 communes became 104. The fixture holds:
 * - `before`: both old provinces with their district-level units and communes (GSO ids as codes),
 *   each with the organisation's name and its committee's name;
 * - `after`: the new province and its 104 communes, each with the old GSO communes that formed it
 *   (`predecessors`, and `partOf` for communes split between several new ones);
 * - `closed`: what becomes of each old committee on that day (provinces and communes `merged` into
 *   their successor, district-level committees `dissolved`, their communes moved under the new
 *   province through their own merger).
 * Data only: the demo seed applies it with the merge and dissolve services.
 *
 * Codes: the product's codes are unique, and the GSO reuses old ids for new units (the new Hưng
 * Yên is "33" like the old one; a new commune takes the id of one of the communes it absorbed), so
 * the new units' codes carry the suffix ".2025"; `gsoCode` keeps the GSO id.
 *
 * Matching: reorg-2025.json matched 376 of the 381 old communes by name. The other 5 are resolved
 * here from the text lists of the new communes (`unmatched`), with the reason kept in `matchedBy`:
 * a spelling variant (quí / quý), a name qualified by its old district ("Xã Bình Minh (huyện Khoái
 * Châu)"), a commune split between two new ones ("phần còn lại của …" is the main successor, "một
 * phần diện tích … của …" a part), or a name one letter apart in the same old district (reported).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

const NEW_PROVINCE = '33';
const OLD_PROVINCES = ['34', '33'];
const EFFECTIVE_ON = '2025-07-01';
const SUFFIX = '.2025';
const REORG = resolve(__dirname, '../../shared/data/reorg-2025.json');
const DVHC = resolve(__dirname, '../../shared/data/dvhcvn.json');
const TARGET = resolve(__dirname, '../apps/tools/src/demo/reorg-hung-yen.json');

/** The decisions named without a number the data does not give (the seed shows them as the reference). */
const PROVINCE_DECISION = 'Nghị quyết số 202/2025/QH15 của Quốc hội về sắp xếp đơn vị hành chính cấp tỉnh';
const COMMUNE_DECISION = 'Nghị quyết của Ủy ban Thường vụ Quốc hội về sắp xếp các đơn vị hành chính cấp xã của tỉnh Hưng Yên năm 2025';
const DISTRICT_DECISION =
  'Kết thúc hoạt động của đơn vị hành chính cấp huyện từ ngày 01/07/2025 (Luật Tổ chức chính quyền địa phương 2025)';

interface Level3 {
  level3_id: string;
  name: string;
  type: string;
}
interface Level2 {
  level2_id: string;
  name: string;
  type: string;
  level3s: Level3[];
}
interface Level1 {
  level1_id: string;
  name: string;
  type: string;
  level2s: Level2[];
}
interface NewCommune {
  code: string;
  name: string;
  provinceCode: string;
  before: string;
  oldCommuneIds: string[];
  unmatched: string[];
}
interface NewProvince {
  code: string;
  name: string;
  before: string;
  oldProvinceIds: string[];
}

function clean(name: string): string {
  return name.normalize('NFC').replace(/\s+/g, ' ').trim();
}

/** "Huyện Vũ Thư" → "Vũ Thư"; the merger list capitalises "Tỉnh"/"Thành Phố" irregularly. */
function stripType(name: string, type: string): string {
  const n = clean(name);
  const t = clean(type);
  if (n.toLowerCase().startsWith(`${t.toLowerCase()} `)) return n.slice(t.length + 1);
  throw new Error(`"${n}" does not start with its type "${t}"`);
}

/** Organisation ("Đảng bộ huyện") and committee ("Huyện ủy") by administrative type. */
const KINDS: Record<string, { org: string; committee: string }> = {
  Tỉnh: { org: 'Đảng bộ tỉnh', committee: 'Tỉnh ủy' },
  Huyện: { org: 'Đảng bộ huyện', committee: 'Huyện ủy' },
  'Thành phố': { org: 'Đảng bộ thành phố', committee: 'Thành ủy' },
  'Thị xã': { org: 'Đảng bộ thị xã', committee: 'Thị ủy' },
  Quận: { org: 'Đảng bộ quận', committee: 'Quận ủy' },
  Xã: { org: 'Đảng bộ xã', committee: 'Đảng ủy xã' },
  Phường: { org: 'Đảng bộ phường', committee: 'Đảng ủy phường' },
  'Thị trấn': { org: 'Đảng bộ thị trấn', committee: 'Đảng ủy thị trấn' },
};

function named(type: string, bare: string): { name: string; committeeName: string } {
  const kind = KINDS[clean(type)];
  if (!kind) throw new Error(`unknown administrative type ${type}`);
  return { name: `${kind.org} ${bare}`, committeeName: `${kind.committee} ${bare}` };
}

/** The type of a new commune from its name ("Phường Sơn Nam" → Phường). */
function typeOf(name: string): string {
  const n = clean(name);
  const type = ['Thị trấn', 'Phường', 'Xã'].find((t) => n.startsWith(`${t} `));
  if (!type) throw new Error(`no commune type in "${n}"`);
  return type;
}

/** A name compared loosely: lower case, quí = quý, without its type and any "(huyện …)" qualifier. */
function key(name: string): string {
  return clean(name)
    .toLowerCase()
    .replace(/\(.*?\)/g, '')
    .replace(/^(xã|phường|thị trấn)\s+/, '')
    .replace(/quí/g, 'quý')
    .replace(/\s+/g, ' ')
    .trim();
}

function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length][b.length];
}

interface OldCommune {
  code: string;
  bare: string;
  type: string;
  adminName: string;
  district: { code: string; bare: string };
}

interface Resolution {
  newCode: string;
  role: 'main' | 'part';
  matchedBy: string;
}

/** The new communes an unmatched old commune went to, from the text lists of the new communes. */
function resolveUnmatched(old: OldCommune, communes: NewCommune[]): Resolution[] {
  const found: Resolution[] = [];
  for (const c of communes) {
    for (const text of c.unmatched) {
      const t = clean(text);
      const mentions = key(t.replace(/\(ambiguous: \d+\)/, '')).endsWith(key(old.bare));
      if (mentions) {
        const partial = /một phần|quy mô dân số/i.test(t);
        const remainder = new RegExp(`phần còn lại (?:của|củ)\\s+(?:xã|phường|thị trấn)?\\s*${old.bare}`, 'i').test(clean(c.before));
        if (/ambiguous/.test(t)) {
          // "Xã Bình Minh (huyện Khoái Châu)": the old district names which Bình Minh.
          const inBefore = new RegExp(`${old.bare}\\s*\\((?:huyện|thành phố|thị xã)\\s+([^)]+)\\)`, 'i').exec(clean(c.before));
          if (!inBefore || key(inBefore[1]) !== key(old.district.bare)) continue;
          found.push({ newCode: c.code, role: 'main', matchedBy: `tên trùng, phân biệt theo huyện cũ (${clean(inBefore[1])})` });
        } else if (remainder) {
          found.push({ newCode: c.code, role: 'main', matchedBy: 'phần còn lại của xã cũ' });
        } else if (partial) {
          found.push({ newCode: c.code, role: 'part', matchedBy: 'một phần diện tích, dân số của xã cũ' });
        } else {
          found.push({ newCode: c.code, role: 'main', matchedBy: `cách viết khác (${t})` });
        }
      }
    }
  }
  if (found.some((f) => f.role === 'main')) return found;
  // A name one or two letters apart, in the list of a new commune formed from the same old district.
  for (const c of communes) {
    for (const text of c.unmatched) {
      if (/một phần|quy mô|ambiguous/i.test(text)) continue;
      if (distance(key(text), key(old.bare)) <= 2) {
        found.push({ newCode: c.code, role: 'main', matchedBy: `tên gần giống "${clean(text)}" (đối chiếu thủ công)` });
      }
    }
  }
  return found;
}

function main(): void {
  const reorg = JSON.parse(readFileSync(process.argv[2] ? resolve(process.argv[2]) : REORG, 'utf8')) as {
    source: string;
    provinces: NewProvince[];
    communes: NewCommune[];
  };
  const dvhc = JSON.parse(readFileSync(process.argv[3] ? resolve(process.argv[3]) : DVHC, 'utf8')) as {
    data: Level1[];
    data_date?: string;
  };
  const province = reorg.provinces.find((p) => p.code === NEW_PROVINCE);
  if (!province) throw new Error(`new province ${NEW_PROVINCE} not found`);
  if (province.oldProvinceIds.slice().sort().join() !== OLD_PROVINCES.slice().sort().join()) {
    throw new Error(`new province ${NEW_PROVINCE} was formed from ${province.oldProvinceIds.join(', ')}`);
  }
  const newCommunes = reorg.communes.filter((c) => c.provinceCode === NEW_PROVINCE);

  const oldProvinces = OLD_PROVINCES.map((id) => {
    const p = dvhc.data.find((x) => x.level1_id === id);
    if (!p) throw new Error(`old province ${id} not in dvhcvn.json`);
    return p;
  });
  const oldCommunes = new Map<string, OldCommune>();
  for (const p of oldProvinces)
    for (const d of p.level2s)
      for (const c of d.level3s)
        oldCommunes.set(c.level3_id, {
          code: c.level3_id,
          bare: stripType(c.name, c.type),
          type: clean(c.type),
          adminName: clean(c.name),
          district: { code: d.level2_id, bare: stripType(d.name, d.type) },
        });

  // Successor of every old commune: the list's matches, then the resolved ones.
  const successor = new Map<string, { newCode: string; matchedBy: string }>();
  const parts = new Map<string, { code: string; matchedBy: string }[]>();
  for (const c of newCommunes) {
    for (const id of c.oldCommuneIds) {
      if (!oldCommunes.has(id)) throw new Error(`new commune ${c.code} lists ${id}, not a commune of ${OLD_PROVINCES.join('/')}`);
      if (successor.has(id)) throw new Error(`old commune ${id} listed twice`);
      successor.set(id, { newCode: c.code, matchedBy: 'tên trong danh sách sắp xếp' });
    }
  }
  const unresolved: string[] = [];
  for (const old of oldCommunes.values()) {
    if (successor.has(old.code)) continue;
    const found = resolveUnmatched(old, newCommunes);
    const main = found.find((f) => f.role === 'main');
    if (!main) {
      unresolved.push(`${old.code} ${old.adminName}`);
      continue;
    }
    successor.set(old.code, { newCode: main.newCode, matchedBy: main.matchedBy });
    for (const f of found.filter((x) => x.role === 'part' && x.newCode !== main.newCode)) {
      parts.set(f.newCode, [...(parts.get(f.newCode) ?? []), { code: old.code, matchedBy: f.matchedBy }]);
    }
  }
  if (unresolved.length > 0) throw new Error(`old communes without a successor: ${unresolved.join('; ')}`);

  const newCode = (gso: string) => `${gso}${SUFFIX}`;
  const provinceBare = stripType(province.name, 'Tỉnh');
  const fixture = {
    source: `${reorg.source}; GSO dvhcvn.json snapshot ${dvhc.data_date ?? 'unknown'}; derived by scripts/derive-hung-yen-reorg.ts`,
    effectiveOn: EFFECTIVE_ON,
    before: oldProvinces.map((p) => ({
      code: p.level1_id,
      ...named(p.type, stripType(p.name, p.type)),
      adminName: clean(p.name),
      districts: p.level2s.map((d) => ({
        code: d.level2_id,
        ...named(d.type, stripType(d.name, d.type)),
        adminName: clean(d.name),
        communes: d.level3s.map((c) => ({
          code: c.level3_id,
          ...named(c.type, stripType(c.name, c.type)),
          adminName: clean(c.name),
          type: clean(c.type),
        })),
      })),
    })),
    after: {
      province: {
        code: newCode(province.code),
        gsoCode: province.code,
        ...named('Tỉnh', provinceBare),
        adminName: `Tỉnh ${provinceBare}`,
        predecessors: province.oldProvinceIds,
        decisionRef: PROVINCE_DECISION,
      },
      communes: newCommunes.map((c) => {
        const type = typeOf(c.name);
        const predecessors = [...successor.entries()].filter(([, s]) => s.newCode === c.code).map(([id]) => id);
        return {
          code: newCode(c.code),
          gsoCode: c.code,
          ...named(type, clean(c.name).slice(type.length + 1)),
          adminName: clean(c.name),
          type,
          before: clean(c.before),
          predecessors: predecessors.sort(),
          ...(parts.has(c.code) ? { partOf: parts.get(c.code) } : {}),
          ...(predecessors.some((id) => successor.get(id)!.matchedBy !== 'tên trong danh sách sắp xếp')
            ? {
                matchedBy: Object.fromEntries(
                  predecessors
                    .filter((id) => successor.get(id)!.matchedBy !== 'tên trong danh sách sắp xếp')
                    .map((id) => [id, successor.get(id)!.matchedBy]),
                ),
              }
            : {}),
          decisionRef: COMMUNE_DECISION,
        };
      }),
    },
    closed: [
      ...oldProvinces.map((p) => ({
        code: p.level1_id,
        status: 'merged',
        successorCode: newCode(province.code),
        decisionRef: PROVINCE_DECISION,
      })),
      ...oldProvinces.flatMap((p) =>
        p.level2s.map((d) => ({ code: d.level2_id, status: 'dissolved', successorCode: null, decisionRef: DISTRICT_DECISION })),
      ),
      ...[...oldCommunes.keys()].sort().map((id) => ({
        code: id,
        status: 'merged',
        successorCode: newCode(successor.get(id)!.newCode),
        decisionRef: COMMUNE_DECISION,
      })),
    ],
    stats: {
      oldProvinces: oldProvinces.length,
      oldDistricts: oldProvinces.reduce((n, p) => n + p.level2s.length, 0),
      oldCommunes: oldCommunes.size,
      newCommunes: newCommunes.length,
      matchedByList: [...successor.values()].filter((s) => s.matchedBy === 'tên trong danh sách sắp xếp').length,
      resolvedHere: [...successor.values()].filter((s) => s.matchedBy !== 'tên trong danh sách sắp xếp').length,
    },
  };
  writeFileSync(TARGET, `${JSON.stringify(fixture, null, 2)}\n`);
  console.log(`${TARGET}: ${JSON.stringify(fixture.stats)}`);
}

main();
