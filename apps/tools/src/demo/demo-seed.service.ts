import { Injectable } from '@nestjs/common';
import { Env, Role, Tier, TIERS } from '@app/core';
import { type AuthUser, UsersService } from '@app/auth';
import { ImportResult, UnitImportService, UnitRow, UnitsRepository } from '@app/org';
import { PlansService } from '@app/plan';
import { type Action, WorkflowService } from '@app/workflow';
import { DEMO_MAIL_DOMAIN, DemoMode, demoRows, ThaiBinhFixture } from './demo-tree';
import fixtureJson from './thai-binh.json';
import { NEW_PROVINCE_CODE } from './reorg-demo.service';

const FIXTURE: ThaiBinhFixture = fixtureJson;

/** The district where the demo's editor and viewer work. */
export const DEMO_DISTRICT_CODE = '344'; // Huyện ủy Vũ Thư

/** One demo user per role; passwords are fixed and public (README): demo data only. */
export const DEMO_USERS: { email: string; name: string; password: string; role: Role; at: 'province' | 'district' }[] = [
  { email: `admin@${DEMO_MAIL_DOMAIN}`, name: 'Quản trị hệ thống Tỉnh ủy', password: 'demo-admin-2025', role: 'admin', at: 'province' },
  {
    email: `supervisor@${DEMO_MAIL_DOMAIN}`,
    name: 'Chuyên viên Ban Tổ chức Tỉnh ủy',
    password: 'demo-supervisor-2025',
    role: 'supervisor',
    at: 'province',
  },
  {
    email: `editor.vuthu@${DEMO_MAIL_DOMAIN}`,
    name: 'Chuyên viên Ban Tổ chức Huyện ủy Vũ Thư',
    password: 'demo-editor-2025',
    role: 'editor',
    at: 'district',
  },
  {
    email: `viewer.vuthu@${DEMO_MAIL_DOMAIN}`,
    name: 'Cán bộ theo dõi Huyện ủy Vũ Thư',
    password: 'demo-viewer-2025',
    role: 'viewer',
    at: 'district',
  },
];

/**
 * The province's own personnel scheme (step 7), approved from above: in a provincial deployment the
 * province is the root, so the Politburo's decision is recorded by the root's admin as an outside
 * decision with its number; under the Central Committee its admin approves it with the same reference.
 * Steps 1, 2 and 6 (its prerequisites) are completed on the way. The number is illustrative.
 */
export const DEMO_PROVINCE_APPROVAL = {
  stepNo: 7,
  before: [1, 2, 6],
  documentRef: 'Quyết định số 123-QĐ/TW ngày 16/6/2025 của Bộ Chính trị (số liệu minh họa)',
  note: 'Bộ Chính trị cho ý kiến, phê duyệt đề án nhân sự Ban Chấp hành Đảng bộ tỉnh nhiệm kỳ 2025–2030',
};

export interface DemoSeedSummary {
  mode: DemoMode;
  /** Transitions applied to the province's own steps (0 on a second run). */
  provinceTransitions: number;
  root: { code: string; name: string; tier: Tier };
  units: ImportResult;
  unitsByTier: Partial<Record<Tier, number>>;
  users: { email: string; password: string; role: Role; unit: string; created: boolean }[];
  plan: { code: string; activated: { units: number; steps: number } | null };
}

/** The demo's congress plan (Kế hoạch 301-KH/TU of Thái Bình), activated on the province. */
export const DEMO_PLAN = { code: 'KH-301', name: 'Kế hoạch 301-KH/TU tổ chức đại hội đảng bộ các cấp nhiệm kỳ 2025–2030' };

/**
 * Seeds Thái Bình province (real GSO skeleton, generated cells) and one user per role.
 * Idempotent: units go through the import (upsert by code, unchanged rows are left alone) and
 * users through UsersService.ensure, so a second run changes nothing.
 */
@Injectable()
export class DemoSeedService {
  constructor(
    private readonly units: UnitsRepository,
    private readonly importer: UnitImportService,
    private readonly users: UsersService,
    private readonly plans: PlansService,
    private readonly workflow: WorkflowService,
    private readonly env: Env,
  ) {}

  async run(): Promise<DemoSeedSummary> {
    const root = await this.units.findRoot();
    if (!root) throw new Error('There is no root unit: the first start did not run');
    const mode = modeFor(root);

    // After the reorganisation demo (reorg-demo.service.ts) Thái Bình's units were merged and moved:
    // importing its old tree again would undo the merger, so the units are left as they are.
    const reorganised = (await this.units.findByCode(NEW_PROVINCE_CODE)) !== null;
    const result = reorganised ? { created: 0, updated: 0, unchanged: 0 } : await this.importer.import(demoRows(FIXTURE, mode), root.path);

    const province = mode === 'central' ? await this.units.findByCode(FIXTURE.province.code) : root;
    const district = await this.units.findByCode(DEMO_DISTRICT_CODE);
    if (!province || !district) throw new Error('The demo units are missing after the import');

    const users: DemoSeedSummary['users'] = [];
    for (const u of DEMO_USERS) {
      const unit = u.at === 'province' ? province : district;
      const exists = (await this.users.findForLogin(u.email)) !== null;
      if (!exists) await this.users.ensure({ email: u.email, name: u.name, password: u.password, role: u.role, unitId: unit.id });
      users.push({ email: u.email, password: u.password, role: u.role, unit: `${unit.name} (${unit.code})`, created: !exists });
    }

    const unitsByTier: Partial<Record<Tier, number>> = {};
    for (const tier of TIERS) {
      const { total } = await this.units.list({ scopePath: root.path, tier, limit: 1, offset: 0 });
      if (total > 0) unitsByTier[tier] = total;
    }
    let activated: DemoSeedSummary['plan']['activated'] = null;
    if (!(await this.plans.list()).some((p) => p.code === DEMO_PLAN.code)) {
      const plan = await this.plans.create(DEMO_PLAN);
      activated = await this.plans.activate(plan.id, province.id);
    }
    const provinceTransitions = await this.approveProvinceScheme(province, root);
    return {
      mode,
      provinceTransitions,
      root: { code: root.code, name: root.name, tier: root.tier },
      units: result,
      unitsByTier,
      users,
      plan: { code: DEMO_PLAN.code, activated },
    };
  }
  /**
   * The province's steps up to its approved personnel scheme, through the service the API uses (the
   * same rules, history and emails). Each step moves on only from where it stands, so a second run
   * finds them completed and does nothing. Returns the number of transitions applied.
   */
  private async approveProvinceScheme(province: UnitRow, root: UnitRow): Promise<number> {
    if (province.status !== 'active') return 0; // merged by the reorganisation demo: its history stays as it is
    const admin = await this.demoUser(`admin@${DEMO_MAIL_DOMAIN}`);
    // The province's superior: outside the tree when it is the root (its admin records the decision), else the root's admin.
    const approver = province.id === root.id ? admin : await this.demoUser(this.env.ADMIN_EMAIL);
    if (!admin || !approver || approver.unitId !== root.id) return 0;
    const { stepNo, before, documentRef, note } = DEMO_PROVINCE_APPROVAL;
    let applied = 0;
    const act = async (no: number, action: Action, user: AuthUser, extra: { note?: string; documentRef?: string } = {}) => {
      const step = (await this.workflow.workflow(province.id, user)).steps.find((s) => s.no === no);
      if (!step) return undefined;
      const after = await this.workflow.transition(province.id, no, { action, expectedVersion: step.version, ...extra }, user);
      applied++;
      return after.status;
    };
    const statusOf = async (no: number) => (await this.workflow.workflow(province.id, admin)).steps.find((s) => s.no === no)?.status;
    for (const no of before) {
      let status = await statusOf(no);
      if (status === 'not_started') status = await act(no, 'start', admin);
      if (status === 'in_progress') await act(no, 'complete', admin);
    }
    let status = await statusOf(stepNo);
    if (status === 'not_started') status = await act(stepNo, 'start', admin);
    if (status === 'in_progress' || status === 'returned') status = await act(stepNo, 'submit', admin);
    if (status === 'awaiting_approval') await act(stepNo, 'approve', approver, { note, documentRef });
    return applied;
  }

  private async demoUser(email: string): Promise<AuthUser | null> {
    const login = await this.users.findForLogin(email);
    return login ? this.users.findAuthUser(login.id) : null;
  }
}

function modeFor(root: UnitRow): DemoMode {
  if (root.tier === 'central' || root.tier === 'province') return root.tier;
  throw new Error(`The demo needs a central or province root unit; the root ${root.code} is of tier ${root.tier} (see ROOT_UNIT_TIER)`);
}
