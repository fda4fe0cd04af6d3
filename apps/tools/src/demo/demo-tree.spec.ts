import { TIER_RANK } from '@app/core';
import { communeCells, demoRows, ThaiBinhFixture } from './demo-tree';
import fixtureJson from './thai-binh.json';

const fixture: ThaiBinhFixture = fixtureJson;

describe('the Thái Bình demo tree', () => {
  it('is the real province: 8 district-level units and 242 communes with GSO codes', () => {
    expect(fixture.province).toMatchObject({ code: '34', name: 'Đảng bộ tỉnh Thái Bình' });
    expect(fixture.districts).toHaveLength(8);
    expect(fixture.districts.reduce((n, d) => n + d.communes.length, 0)).toBe(242);
    expect(fixture.districts.map((d) => d.name)).toContain('Huyện ủy Vũ Thư');
    expect(fixture.districts.map((d) => d.name)).toContain('Thành ủy Thái Bình');
    const communes = fixture.districts.flatMap((d) => d.communes);
    expect(communes.every((c) => /^\d{5}$/.test(c.code) && /^Đảng ủy (xã|phường|thị trấn) \S/.test(c.name))).toBe(true);
  });

  it.each(['central', 'province'] as const)('lists every unit once, parents first, tiers going down (%s root)', (mode) => {
    const rows = demoRows(fixture, mode);
    const seen = new Map<string, (typeof rows)[number]>();
    for (const row of rows) {
      expect(seen.has(row.code)).toBe(false);
      if (row.parentCode) {
        const parent = seen.get(row.parentCode);
        expect(parent).toBeDefined();
        expect(TIER_RANK[row.tier]).toBeGreaterThan(TIER_RANK[parent!.tier]);
      }
      seen.set(row.code, row);
    }
    const roots = rows.filter((r) => !r.parentCode);
    expect(roots.map((r) => r.tier)).toEqual(mode === 'central' ? ['province'] : Array(12).fill('district'));
    const cells = rows.filter((r) => r.tier === 'cell').length;
    expect(cells / 242).toBeGreaterThanOrEqual(9);
    expect(cells / 242).toBeLessThanOrEqual(11);
  });

  it('generates the same cells on every run', () => {
    const commune = fixture.districts.flatMap((d) => d.communes).find((c) => c.name === 'Đảng ủy xã Vũ Hội')!;
    expect(communeCells(commune)).toEqual(communeCells(commune));
    expect(communeCells(commune).map((c) => c.name)).toContain('Chi bộ Trạm Y tế xã Vũ Hội');
  });

  it('shows the formats the superior decides and a pilot: a few 3- and 2-content communes in Vũ Thư, Vũ Hội a pilot', () => {
    const rows = demoRows(fixture, 'province');
    const vuThu = new Set(fixture.districts.find((d) => d.code === '344')!.communes.map((c) => c.code));
    const typed = rows.filter((r) => r.congressType);
    expect(typed.filter((r) => r.congressType === 'three_contents')).toHaveLength(2);
    expect(typed.filter((r) => r.congressType === 'two_contents')).toHaveLength(1);
    expect(typed.every((r) => vuThu.has(r.code) && r.tier === 'grassroots')).toBe(true);
    const pilots = rows.filter((r) => r.pilot);
    expect(pilots.map((r) => r.name)).toEqual(['Đảng ủy xã Vũ Hội', expect.stringMatching(/^Chi bộ/)]);
  });
});
