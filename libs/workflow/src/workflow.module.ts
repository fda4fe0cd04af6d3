import { Module } from '@nestjs/common';
import { CongressModule } from '@app/congress';
import { OrgModule } from '@app/org';
import { PlanModule } from '@app/plan';
import { WorkflowRepository } from './workflow.repository';
import { WorkflowService } from './workflow.service';

/** The step state machine of every unit. */
@Module({
  imports: [OrgModule, PlanModule, CongressModule],
  providers: [WorkflowRepository, WorkflowService],
  exports: [WorkflowService],
})
export class WorkflowModule {}
