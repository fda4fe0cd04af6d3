import { Injectable } from '@nestjs/common';
import { Role, Tier, TIERS } from '@app/core';
import { UsersService } from '@app/auth';
import { ImportResult, UnitImportService, UnitRow, UnitsRepository } from '@app/org';
import { DEMO_MAIL_DOMAIN, DemoMode, demoRows, ThaiBinhFixture } from './demo-tree';
import fixtureJson from './thai-binh.json';

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

export interface DemoSeedSummary {
  mode: DemoMode;
  root: { code: string; name: string; tier: Tier };
  units: ImportResult;
  unitsByTier: Partial<Record<Tier, number>>;
  users: { email: string; password: string; role: Role; unit: string; created: boolean }[];
}

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
  ) {}

  async run(): Promise<DemoSeedSummary> {
    const root = await this.units.findRoot();
    if (!root) throw new Error('There is no root unit: the first start did not run');
    const mode = modeFor(root);

    const result = await this.importer.import(demoRows(FIXTURE, mode), root.path);

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
    return { mode, root: { code: root.code, name: root.name, tier: root.tier }, units: result, unitsByTier, users };
  }
}

function modeFor(root: UnitRow): DemoMode {
  if (root.tier === 'central' || root.tier === 'province') return root.tier;
  throw new Error(`The demo needs a central or province root unit; the root ${root.code} is of tier ${root.tier} (see ROOT_UNIT_TIER)`);
}
