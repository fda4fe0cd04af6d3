import { Injectable } from '@nestjs/common';
import { DomainError } from '@app/core';
import { type AuthUser, UsersService } from '@app/auth';
import { ReorgService, UnitImportService, UnitsRepository } from '@app/org';
import { PlansService, UnitDeadlinesService } from '@app/plan';
import { DEMO_USERS } from './demo-seed.service';
import { communeCells, type DemoRow } from './demo-tree';
import fixture from './reorg-hung-yen.json';

/** The new province's code in the fixture: its presence means the reorganisation was applied. */
export const NEW_PROVINCE_CODE = fixture.after.province.code;

export interface ReorgDemoSummary {
  imported: { created: number; updated: number; unchanged: number };
  provinceMerged: boolean;
  communesMerged: number;
  districtsDissolved: number;
  deadlinesSet: number;
  /** Demo users moved off the units the merger closed. */
  usersMoved: number;
}

/**
 * Where the demo users go when the merger closes their units: the province's users (at `34`, merged)
 * to the new province; Vũ Thư's (at `344`, dissolved) to the new commune-level committee that took
 * over the heart of its area, Đảng bộ xã Vũ Thư (`13192.2025`, formed only from old Vũ Thư communes,
 * the district town among them).
 */
export const DEMO_USER_MOVES: Record<string, string> = { '34': NEW_PROVINCE_CODE, '344': '13192.2025' };

/** Hưng Yên's own congress plan before the merger (Thái Bình's is the normal demo's KH-301). */
export const HUNG_YEN_PLAN = { code: 'KH-HY', name: 'Kế hoạch của Tỉnh ủy Hưng Yên tổ chức đại hội đảng bộ các cấp nhiệm kỳ 2025–2030' };

/** The old province of each old commune. */
const provinceOf = new Map(fixture.before.flatMap((p) => p.districts.flatMap((d) => d.communes.map((c) => [c.code, p.code] as const))));

/** Days after the effective date by which a new commune must close step n: a compressed schedule. */
const DAYS_PER_STEP = 4;

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/**
 * The post-reorganisation demo (issue 10): Hưng Yên's old units beside Thái Bình, then on
 * 01/07/2025 the real merger of the fixture (reorg-hung-yen.json) through the domain services:
 * the two provincial committees merged into the new Hưng Yên, the 381 old communes merged into the
 * 104 new ones (their cells move with them), the district-level committees dissolved, and each new
 * commune given a compressed schedule of its own deadlines. Every step checks what is already done,
 * so a second run changes nothing.
 */
@Injectable()
export class ReorgDemoService {
  constructor(
    private readonly units: UnitsRepository,
    private readonly importer: UnitImportService,
    private readonly reorg: ReorgService,
    private readonly users: UsersService,
    private readonly deadlines: UnitDeadlinesService,
    private readonly plans: PlansService,
  ) {}

  async run(adminEmail: string): Promise<ReorgDemoSummary> {
    const root = await this.units.findRoot();
    if (!root || root.tier !== 'central') {
      throw new Error(
        'The reorganisation demo needs the Central Committee as the root (ROOT_UNIT_TIER=central): two provinces merge under it',
      );
    }
    const login = await this.users.findForLogin(adminEmail);
    const caller: AuthUser | null = login ? await this.users.findAuthUser(login.id) : null;
    if (!caller || caller.role !== 'admin' || caller.unitId !== root.id)
      throw new Error(`The admin ${adminEmail} of the root unit is missing`);
    const summary: ReorgDemoSummary = {
      imported: { created: 0, updated: 0, unchanged: 0 },
      provinceMerged: false,
      communesMerged: 0,
      districtsDissolved: 0,
      deadlinesSet: 0,
      usersMoved: 0,
    };
    const effectiveOn = fixture.effectiveOn;
    const hungYen = fixture.before.find((p) => p.code === '33')!;

    // 1. Hưng Yên's old units (Thái Bình's come from the normal demo) and its own congress plan,
    //    until the merger moved them.
    const started =
      (await this.units.findByCode(NEW_PROVINCE_CODE)) !== null || (await this.anyExists(fixture.after.communes.map((c) => c.code)));
    if (!started) {
      const rows: DemoRow[] = [{ code: hungYen.code, name: hungYen.name, tier: 'province', parentCode: '', contactEmails: [] }];
      for (const d of hungYen.districts)
        rows.push({ code: d.code, name: d.name, tier: 'district', parentCode: hungYen.code, contactEmails: [] });
      for (const d of hungYen.districts) {
        for (const c of d.communes) {
          rows.push({ code: c.code, name: c.name, tier: 'grassroots', parentCode: d.code, contactEmails: [] });
          for (const cell of communeCells(c)) rows.push({ ...cell, tier: 'cell', parentCode: c.code, contactEmails: [] });
        }
      }
      const result = await this.importer.import(rows, root.path);
      summary.imported = { created: result.created, updated: result.updated, unchanged: result.unchanged };
    }
    if (!(await this.plans.list()).some((p) => p.code === HUNG_YEN_PLAN.code)) {
      const province = await this.units.findByCode(hungYen.code);
      if (!province) throw new Error(`The unit ${hungYen.code} is missing`);
      const plan = await this.plans.create(HUNG_YEN_PLAN);
      await this.plans.activate(plan.id, province.id);
    }

    // 2. The old communes merged into the new ones, created under the old province of their
    //    predecessors (so the province's plan gives them its steps), moved with it in step 4.
    for (const c of fixture.after.communes) {
      if (await this.units.findByCode(c.code)) continue;
      const sources = await this.idsOf(c.predecessors);
      const province = await this.units.findByCode(provinceOf.get(c.predecessors[0]) ?? '');
      if (!province) throw new Error(`The province of ${c.code} is missing`);
      await this.reorg.merge(
        {
          sourceIds: sources,
          into: { code: c.code, name: c.name, committeeName: c.committeeName, tier: 'grassroots', parentId: province.id },
          effectiveOn,
          decisionRef: c.decisionRef,
        },
        caller,
      );
      summary.communesMerged++;
    }

    // 3. The district-level committees dissolved: their communes went with the mergers.
    for (const closed of fixture.closed.filter((c) => c.status === 'dissolved')) {
      const unit = await this.units.findByCode(closed.code);
      if (!unit || unit.status !== 'active') continue;
      await this.reorg.dissolve(unit.id, { effectiveOn, decisionRef: closed.decisionRef }, caller);
      summary.districtsDissolved++;
    }

    // 4. The two provincial committees merged into the new Hưng Yên, which takes the new communes.
    if (!(await this.units.findByCode(NEW_PROVINCE_CODE))) {
      const p = fixture.after.province;
      await this.reorg.merge(
        {
          sourceIds: await this.idsOf(p.predecessors),
          into: { code: p.code, name: p.name, committeeName: p.committeeName, tier: 'province', parentId: root.id },
          effectiveOn,
          decisionRef: p.decisionRef,
        },
        caller,
      );
      summary.provinceMerged = true;
    }

    // 5. The new communes' own, compressed deadlines for their steps (not overdue from birth).
    const stepNos = [...new Set((await this.plans.list()).flatMap((p) => p.steps.map((s) => s.no)))].sort((a, b) => a - b);
    for (const c of fixture.after.communes) {
      const unit = await this.units.findByCode(c.code);
      if (!unit) continue;
      for (const no of stepNos) {
        try {
          const current = await this.deadlines.get(unit.id, no);
          if (current.dueDateSource === 'unit') continue;
          await this.deadlines.set(
            unit.id,
            no,
            { dueDate: addDays(effectiveOn, DAYS_PER_STEP * no), reason: 'Đảng bộ mới thành lập ngày 01/07/2025: lịch rút gọn' },
            caller,
          );
          summary.deadlinesSet++;
        } catch (error) {
          if (error instanceof DomainError && error.code === 'NOT_FOUND') continue; // no such step for the tier
          throw error;
        }
      }
    }
    // 6. The demo users whose units are now closed go to the units that took over (README).
    for (const u of DEMO_USERS) {
      const login = await this.users.findForLogin(u.email);
      if (!login) continue;
      const current = await this.units.findById(login.unitId);
      const destination = current && current.status !== 'active' ? DEMO_USER_MOVES[current.code] : undefined;
      if (!destination) continue;
      const unit = await this.units.findByCode(destination);
      if (!unit) throw new Error(`The unit ${destination} of the demo users is missing`);
      if (await this.users.moveToUnit(u.email, unit.id)) summary.usersMoved++;
    }
    return summary;
  }

  private async anyExists(codes: string[]): Promise<boolean> {
    for (const code of codes) if (await this.units.findByCode(code)) return true;
    return false;
  }

  private async idsOf(codes: string[]): Promise<number[]> {
    const ids: number[] = [];
    for (const code of codes) {
      const unit = await this.units.findByCode(code);
      if (!unit) throw new Error(`The unit ${code} of the fixture is missing`);
      ids.push(unit.id);
    }
    return ids;
  }
}
