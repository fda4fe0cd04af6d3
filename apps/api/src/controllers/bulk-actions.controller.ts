import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser, MinRole } from '@app/auth';
import { BulkActionDto, BulkResponseDto, WorkflowService } from '@app/workflow';

@ApiTags('workflow')
@ApiBearerAuth()
@ApiCookieAuth()
@Controller('api/steps')
export class BulkActionsController {
  constructor(private readonly workflow: WorkflowService) {}

  /**
   * One action on up to 1,000 steps. Each item is its own transition with the same rules as
   * `POST /api/units/:id/steps/:no/actions` and is checked against the caller's scope (out of scope:
   * `ok: false, code: FORBIDDEN_SCOPE`); a refused item undoes nothing else. Editor+.
   */
  @Post('bulk-actions')
  @MinRole('editor')
  @HttpCode(200)
  @ApiOperation({ summary: 'Apply one action to many steps, with a result per item' })
  @ApiOkResponse({ type: BulkResponseDto })
  bulk(@Body() dto: BulkActionDto, @CurrentUser() user: AuthUser): Promise<BulkResponseDto> {
    return this.workflow.bulk(dto, user);
  }
}
