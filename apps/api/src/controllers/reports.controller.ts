import { Controller, Get, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser, UnitScope } from '@app/auth';
import {
  ContentsQuery,
  ContentsReportDto,
  OverdueReportDto,
  OverdueQuery,
  ProgressQuery,
  ProgressReportDto,
  ReportsService,
} from '@app/reports';

const PRODUCES = ['application/json', 'text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'];

@ApiTags('reports')
@ApiBearerAuth()
@Controller('api/reports')
@UnitScope({ query: 'rootId' })
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  /** Congresses held under the root with their 4 contents; summary and election figures. */
  @Get('contents')
  @ApiProduces(...PRODUCES)
  @ApiOkResponse({ type: ContentsReportDto, description: 'JSON; format=csv|xlsx streams a file instead' })
  contents(@CurrentUser() user: AuthUser, @Query() q: ContentsQuery): Promise<ContentsReportDto | StreamableFile> {
    return this.reports.contents(user, q);
  }

  /** Per child unit or per tier: units in each state of each step, overdue, finished all steps. */
  @Get('progress')
  @ApiProduces(...PRODUCES)
  @ApiOkResponse({
    type: ProgressReportDto,
    description: 'JSON; format=csv|xlsx streams a file instead (layout=wide: one column per step)',
  })
  progress(@CurrentUser() user: AuthUser, @Query() q: ProgressQuery): Promise<ProgressReportDto | StreamableFile> {
    return this.reports.progress(user, q);
  }

  /** Open steps past their due date, oldest first, paginated. */
  @Get('overdue')
  @ApiProduces(...PRODUCES)
  @ApiOkResponse({ type: OverdueReportDto, description: 'JSON; format=csv|xlsx streams a file instead' })
  overdue(@CurrentUser() user: AuthUser, @Query() q: OverdueQuery): Promise<OverdueReportDto | StreamableFile> {
    return this.reports.overdue(user, q);
  }
}
