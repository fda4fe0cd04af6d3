import { Module } from '@nestjs/common';
import { OrgModule } from '@app/org';
import { ContentsService } from './contents.service';
import { OverdueService } from './overdue.service';
import { ProgressService } from './progress.service';
import { ReportsRepository } from './reports.repository';
import { ReportsService } from './reports.service';

/** Progress roll-ups, the 4-contents report and the overdue list, as JSON, CSV or XLSX. */
@Module({
  imports: [OrgModule],
  providers: [ReportsRepository, ReportsService, ProgressService, ContentsService, OverdueService],
  exports: [ReportsService, ProgressService],
})
export class ReportsModule {}
