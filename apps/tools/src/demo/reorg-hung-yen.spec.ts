import thaiBinh from './thai-binh.json';
import fixture from './reorg-hung-yen.json';

/** The committed fixture of the 01/07/2025 merger of Thái Bình and Hưng Yên (scripts/derive-hung-yen-reorg.ts). */
describe('the Hưng Yên reorganisation fixture', () => {
  const oldCommunes = fixture.before.flatMap((p) => p.districts.flatMap((d) => d.communes));
  const newCodes = new Set(fixture.after.communes.map((c) => c.code));

  it('is the real merger: 2 old provinces, 18 district-level units, 381 communes into 104', () => {
    expect(fixture.effectiveOn).toBe('2025-07-01');
    expect(fixture.before.map((p) => [p.code, p.committeeName])).toEqual([
      ['34', 'Tỉnh ủy Thái Bình'],
      ['33', 'Tỉnh ủy Hưng Yên'],
    ]);
    expect(fixture.before.reduce((n, p) => n + p.districts.length, 0)).toBe(18);
    expect(oldCommunes).toHaveLength(381);
    expect(fixture.after.communes).toHaveLength(104);
    expect(fixture.after.province).toMatchObject({ code: '33.2025', name: 'Đảng bộ tỉnh Hưng Yên', committeeName: 'Tỉnh ủy Hưng Yên' });
  });

  it('keeps Thái Bình exactly as the first demo has it', () => {
    const tb = fixture.before.find((p) => p.code === '34')!;
    expect(tb.districts.map((d) => d.code)).toEqual(thaiBinh.districts.map((d) => d.code));
    expect(tb.districts.flatMap((d) => d.communes.map((c) => c.code))).toEqual(
      thaiBinh.districts.flatMap((d) => d.communes.map((c) => c.code)),
    );
  });

  it('gives every old commune exactly one successor among the new ones, and every new commune a predecessor', () => {
    const predecessors = fixture.after.communes.flatMap((c) => c.predecessors);
    expect(predecessors.slice().sort()).toEqual(oldCommunes.map((c) => c.code).sort());
    expect(fixture.after.communes.every((c) => c.predecessors.length > 0)).toBe(true);
    const closedCommunes = fixture.closed.filter((c) => oldCommunes.some((o) => o.code === c.code));
    expect(closedCommunes).toHaveLength(381);
    for (const c of closedCommunes) {
      expect(c.status).toBe('merged');
      expect(newCodes.has(c.successorCode!)).toBe(true);
      expect(fixture.after.communes.find((n) => n.code === c.successorCode)!.predecessors).toContain(c.code);
    }
  });

  it('closes the old provincial committees as merged and the district-level ones as dissolved', () => {
    const byStatus = (status: string) => fixture.closed.filter((c) => c.status === status).map((c) => c.code);
    expect(byStatus('dissolved').sort()).toEqual(fixture.before.flatMap((p) => p.districts.map((d) => d.code)).sort());
    expect(fixture.closed.filter((c) => ['34', '33'].includes(c.code)).map((c) => c.successorCode)).toEqual(['33.2025', '33.2025']);
  });

  it('uses codes the product can store, none shared between the old and the new units', () => {
    const all = [
      ...fixture.before.flatMap((p) => [p.code, ...p.districts.flatMap((d) => [d.code, ...d.communes.map((c) => c.code)])]),
      fixture.after.province.code,
      ...fixture.after.communes.map((c) => c.code),
    ];
    expect(new Set(all).size).toBe(all.length);
    expect(all.every((code) => /^[A-Za-z0-9._-]{1,64}$/.test(code))).toBe(true);
  });
});
