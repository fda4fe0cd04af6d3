import { Controller, Get, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser, UnitScope } from '@app/auth';
import {
  ContentsQuery,
  ContentsReportDto,
  OverdueReportDto,
  PagedReportQuery,
  ProgressQuery,
  ProgressReportDto,
  ReportsService,
} from '@app/reports';

@ApiTags('reports')
@ApiBearerAuth()
@Controller('api/reports')
@UnitScope({ query: 'rootId' })
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  /** Congresses held under the root with their 4 contents; summary and election figures. */
  @Get('contents')
  contents(@CurrentUser() user: AuthUser, @Query() q: ContentsQuery): Promise<ContentsReportDto | StreamableFile> {
    return this.reports.contents(user, q);
  }

  /** Per child unit or per tier: units in each state of each step, overdue, finished all steps. */
  @Get('progress')
  progress(@CurrentUser() user: AuthUser, @Query() q: ProgressQuery): Promise<ProgressReportDto | StreamableFile> {
    return this.reports.progress(user, q);
  }

  /** Open steps past their due date, oldest first, paginated. */
  @Get('overdue')
  overdue(@CurrentUser() user: AuthUser, @Query() q: PagedReportQuery): Promise<OverdueReportDto | StreamableFile> {
    return this.reports.overdue(user, q);
  }
}
