import { Module } from '@nestjs/common';
import { CongressModule } from '@app/congress';
import { OrgModule } from '@app/org';
import { WorkflowRepository } from './workflow.repository';
import { WorkflowService } from './workflow.service';
import { ChildrenRepository } from './children.repository';
import { WorkRepository } from './work.repository';
import { WorkService } from './work.service';

/** The step state machine of every unit. (It reads CONGRESS_STEP_NO from @app/plan, a constant: no module import.) */
@Module({
  imports: [OrgModule, CongressModule],
  providers: [WorkflowRepository, WorkflowService, WorkRepository, WorkService, ChildrenRepository],
  exports: [WorkflowService, WorkService],
})
export class WorkflowModule {}
