import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DbIntPipe } from '@app/core';
import { AuthUser, CurrentUser, MinRole, UnitScope } from '@app/auth';
import { CongressRecordDto, CongressService, PutCongressDto } from '@app/congress';
import { assertActive, UnitsService } from '@app/org';
import { UnitDeadlineDto, UnitDeadlineResultDto, UnitDeadlinesService } from '@app/plan';
import {
  HistoryEntryDto,
  PutMilestoneDto,
  StepMilestoneDto,
  TransitionDto,
  transitionTableMarkdown,
  WorkflowDto,
  WorkflowService,
  WorkflowStepDto,
} from '@app/workflow';

@ApiTags('workflow')
@ApiBearerAuth()
@Controller('api/units/:id')
@UnitScope({ param: 'id' })
export class WorkflowController {
  constructor(
    private readonly workflow: WorkflowService,
    private readonly congress: CongressService,
    private readonly units: UnitsService,
    private readonly deadlines: UnitDeadlinesService,
  ) {}

  /**
   * The unit's own due date for step `no` (a new commune's compressed schedule, a pilot congress):
   * a supervisor or admin of a strict ancestor. Recomputations from the plan's rules leave it alone.
   */
  @Put('deadlines/:no')
  @MinRole('supervisor')
  setDeadline(
    @Param('id', DbIntPipe) id: number,
    @Param('no', DbIntPipe) no: number,
    @Body() dto: UnitDeadlineDto,
    @CurrentUser() user: AuthUser,
  ): Promise<UnitDeadlineResultDto> {
    return this.deadlines.set(id, no, dto, user);
  }

  /** Removes the unit's own deadline: the step follows the plan's rule again. */
  @Delete('deadlines/:no')
  @MinRole('supervisor')
  clearDeadline(
    @Param('id', DbIntPipe) id: number,
    @Param('no', DbIntPipe) no: number,
    @CurrentUser() user: AuthUser,
  ): Promise<UnitDeadlineResultDto> {
    return this.deadlines.clear(id, no, user);
  }

  /** The unit's steps (those its plan applies to its tier) with due dates, overdue flags and the actions the caller may take. */
  @Get('workflow')
  get(@Param('id', DbIntPipe) id: number, @CurrentUser() user: AuthUser): Promise<WorkflowDto> {
    return this.workflow.workflow(id, user);
  }

  @Post('steps/:no/actions')
  @HttpCode(200)
  @ApiOperation({ summary: 'Apply an action to a step', description: `The transition table:\n\n${transitionTableMarkdown()}` })
  act(
    @Param('id', DbIntPipe) id: number,
    @Param('no', DbIntPipe) no: number,
    @Body() dto: TransitionDto,
    @CurrentUser() user: AuthUser,
  ): Promise<WorkflowStepDto> {
    return this.workflow.transition(id, no, dto, user);
  }

  /**
   * Marks the step's milestone done or not done (step 11: delegates allocated and the opening date
   * fixed, 30 working days before the congress): an editor of the unit or of a unit above it.
   */
  @Put('steps/:no/milestone')
  @MinRole('editor')
  setMilestone(
    @Param('id', DbIntPipe) id: number,
    @Param('no', DbIntPipe) no: number,
    @Body() dto: PutMilestoneDto,
    @CurrentUser() user: AuthUser,
  ): Promise<StepMilestoneDto> {
    return this.workflow.setMilestone(id, no, dto, user);
  }

  /** Every transition of the step, oldest first. */
  @Get('steps/:no/history')
  history(@Param('id', DbIntPipe) id: number, @Param('no', DbIntPipe) no: number): Promise<HistoryEntryDto[]> {
    return this.workflow.history(id, no);
  }

  @Put('congress')
  @MinRole('editor')
  async putCongress(
    @Param('id', DbIntPipe) id: number,
    @Body() dto: PutCongressDto,
    @CurrentUser() user: AuthUser,
  ): Promise<CongressRecordDto> {
    // A merged or dissolved unit's record is read-only (409 UNIT_CLOSED).
    assertActive(await this.units.require(id));
    return this.congress.put(id, dto, user.id);
  }

  @Get('congress')
  getCongress(@Param('id', DbIntPipe) id: number): Promise<CongressRecordDto> {
    return this.congress.get(id);
  }
}
