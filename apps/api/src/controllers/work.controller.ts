import { Controller, Get, Param, Query } from '@nestjs/common';
import { DbIntPipe } from '@app/core';
import { ApiBearerAuth, ApiCookieAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser, UnitScope } from '@app/auth';
import { ApprovalPageDto, ApprovalsQuery, ChildrenPageDto, ChildrenQuery, WorkPageDto, WorkQuery, WorkService } from '@app/workflow';

/** What the web app's pages read: "Việc cần làm", "Chờ phê duyệt", a unit's children. Every role, in scope. */
@ApiTags('work')
@ApiBearerAuth()
@ApiCookieAuth()
@Controller('api')
export class WorkController {
  constructor(private readonly work: WorkService) {}

  /**
   * Units of the subtree with steps that need someone: overdue, due within 7 days, returned, or
   * awaiting the caller's approval (supervisor+ of a strict ancestor); most urgent first, paged by
   * unit; `counts` are numbers of steps over the whole subtree.
   */
  @Get('work')
  @UnitScope({ query: 'rootId' })
  @ApiOperation({ summary: '"Việc cần làm": what needs doing in the subtree, most urgent first' })
  @ApiOkResponse({ type: WorkPageDto })
  list(@CurrentUser() user: AuthUser, @Query() query: WorkQuery): Promise<WorkPageDto> {
    return this.work.work(user, query);
  }

  /**
   * Submissions the caller may approve (supervisor+, units strictly below the caller's own), oldest
   * first, with the submitter's note and document reference. Empty below supervisor. The root's own
   * submissions are never listed (nobody in the tree approves them); `outside=true` lists them for
   * an admin of the root, who records the outside decision (approve or return with documentRef).
   */
  @Get('approvals')
  @UnitScope({ query: 'rootId' })
  @ApiOperation({
    summary: '"Chờ phê duyệt": submissions waiting for the caller, oldest first',
    description:
      "Strictly below the caller's unit. The tree root's own submissions are closed by an outside decision, not by anyone in the tree: " +
      'they are not listed; with outside=true an admin of the root gets them (approve or return them with documentRef).',
  })
  @ApiOkResponse({ type: ApprovalPageDto })
  approvals(@CurrentUser() user: AuthUser, @Query() query: ApprovalsQuery): Promise<ApprovalPageDto> {
    return this.work.approvals(user, query);
  }

  /** The unit's direct children with their progress and, with stepNo, that step (filtered by status). Sorted by name. */
  @Get('units/:id/children')
  @UnitScope({ param: 'id' })
  @ApiOkResponse({ type: ChildrenPageDto })
  children(@Param('id', DbIntPipe) id: number, @Query() query: ChildrenQuery): Promise<ChildrenPageDto> {
    return this.work.children(id, query);
  }
}
