import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { CoreModule } from '@app/core';
import { AuthModule } from '@app/auth';
import { OrgModule } from '@app/org';
import { CongressModule } from '@app/congress';
import { PlanModule } from '@app/plan';
import { WorkflowModule } from '@app/workflow';
import { NotificationsModule } from '@app/notifications';
import { ReportsModule } from '@app/reports';
import { AuthController } from './controllers/auth.controller';
import { UnitsController } from './controllers/units.controller';
import { UsersController } from './controllers/users.controller';
import { HealthController } from './health/health.controller';
import { PlansController } from './controllers/plans.controller';
import { WorkflowController } from './controllers/workflow.controller';
import { NotificationsController } from './controllers/notifications.controller';
import { ReportsController } from './controllers/reports.controller';
import { WorkController } from './controllers/work.controller';
import { BulkActionsController } from './controllers/bulk-actions.controller';
import { OperationsController } from './controllers/operations.controller';

@Module({
  imports: [
    CoreModule,
    OrgModule,
    AuthModule,
    PlanModule,
    CongressModule,
    WorkflowModule,
    NotificationsModule,
    ReportsModule,
    TerminusModule.forRoot({ logger: false, errorLogStyle: 'json' }),
  ],
  controllers: [
    AuthController,
    UsersController,
    UnitsController,
    PlansController,
    WorkflowController,
    NotificationsController,
    ReportsController,
    WorkController,
    BulkActionsController,
    OperationsController,
    HealthController,
  ],
})
export class AppModule {}
