import { Module } from '@nestjs/common';
import { AuthModule } from '@app/auth';
import { OrgModule } from '@app/org';
import { HolidaysRepository } from './holidays.repository';
import { HolidaysService } from './holidays.service';
import { PlansRepository } from './plans.repository';
import { PlansService } from './plans.service';
import { UnitDeadlinesService } from './unit-deadlines.service';

/** The congress plan: the 15-step template, deadlines per tier, holidays, activation on a subtree. */
@Module({
  imports: [OrgModule, AuthModule],
  providers: [PlansRepository, HolidaysRepository, PlansService, HolidaysService, UnitDeadlinesService],
  exports: [PlansService, HolidaysService, PlansRepository, UnitDeadlinesService],
})
export class PlanModule {}
