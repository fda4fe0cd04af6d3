import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Env, Transactions } from '@app/core';
import { UnitsRepository } from '@app/org';
import { passwordProblem } from './password-policy';
import { UsersService } from './users.service';

/**
 * On a fresh database: the root unit from ROOT_UNIT_*, and an admin bound to it from ADMIN_*.
 * Safe when several instances start at once (advisory lock, ON CONFLICT DO NOTHING).
 */
@Injectable()
export class FirstStartService implements OnApplicationBootstrap {
  private readonly logger = new Logger('FirstStart');

  constructor(
    private readonly transactions: Transactions,
    private readonly env: Env,
    private readonly units: UnitsRepository,
    private readonly users: UsersService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.transactions.run(async (tx) => {
      await this.transactions.lock(tx, 'firstStart');
      if (!(await this.units.findRoot(tx))) {
        await this.units.insert(
          { code: this.env.ROOT_UNIT_CODE, name: this.env.ROOT_UNIT_NAME, tier: this.env.ROOT_UNIT_TIER, parent: null, contactEmails: [] },
          tx,
        );
        this.logger.log(`Created the root unit ${this.env.ROOT_UNIT_CODE} (${this.env.ROOT_UNIT_NAME})`);
      }
    });
    if ((await this.users.count()) === 0) {
      const weak = passwordProblem(this.env.ADMIN_PASSWORD, this.env.ADMIN_EMAIL);
      if (weak) throw new Error(`ADMIN_PASSWORD ${weak}`);
      const root = await this.units.findRoot();
      await this.users.ensure({
        email: this.env.ADMIN_EMAIL,
        name: 'Quản trị hệ thống',
        password: this.env.ADMIN_PASSWORD,
        role: 'admin',
        unitId: root!.id,
      });
      this.logger.log(`Created the admin ${this.env.ADMIN_EMAIL}`);
    }
  }
}
