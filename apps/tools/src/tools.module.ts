import { Module } from '@nestjs/common';
import { CoreModule } from '@app/core';
import { AuthModule } from '@app/auth';
import { OrgModule } from '@app/org';
import { PlanModule } from '@app/plan';
import { WorkflowModule } from '@app/workflow';
import { DemoSeedService } from './demo/demo-seed.service';
import { ReorgDemoService } from './demo/reorg-demo.service';

/**
 * The command-line tools: the domain libraries without HTTP. Starting it runs the first start
 * (root unit and admin from ROOT_UNIT_* and ADMIN_*), as the API does.
 */
@Module({
  imports: [CoreModule, OrgModule, AuthModule, PlanModule, WorkflowModule],
  providers: [DemoSeedService, ReorgDemoService],
})
export class ToolsModule {}
