import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AsyncQuery, CalendarDatePipe, DbIntPipe, DomainError, OperationStartedDto } from '@app/core';
import { AuthUser, CurrentUser, MinRole, RootAdmin, UnitScope } from '@app/auth';
import {
  ActivatePlanDto,
  ActivationResultDto,
  CreatePlanDto,
  DeadlinePreviewDto,
  CalendarCoverageDto,
  HolidayDto,
  HolidaysQuery,
  HolidaysService,
  PlanDto,
  PlansService,
  PutHolidayDto,
  UpdatePlanDto,
  UpdatePlanStepDto,
} from '@app/plan';

@ApiTags('plans')
@ApiBearerAuth()
@Controller('api')
export class PlansController {
  constructor(
    private readonly plans: PlansService,
    private readonly holidays: HolidaysService,
  ) {}

  /** Creates a plan from the default 15-step template. */
  @Post('plans')
  @MinRole('admin')
  @RootAdmin()
  create(@Body() dto: CreatePlanDto): Promise<PlanDto> {
    return this.plans.create(dto);
  }

  @Get('plans')
  list(): Promise<PlanDto[]> {
    return this.plans.list();
  }

  @Get('plans/:id')
  get(@Param('id', DbIntPipe) id: number): Promise<PlanDto> {
    return this.plans.get(id);
  }

  /**
   * Renames the plan or changes tiers' congress windows `{tier: {from?, to}}`: "complete before" `to`,
   * a start only when `from` is given (then enforced for congress dates and congress records alike).
   */
  @Patch('plans/:id')
  @MinRole('admin')
  update(@Param('id', DbIntPipe) id: number, @Body() dto: UpdatePlanDto, @CurrentUser() user: AuthUser): Promise<PlanDto> {
    return this.plans.update(id, dto, user);
  }

  /**
   * Edits a step's deadline rules (tiers not named keep theirs) and recomputes the due dates of its open steps:
   * working days on the calendar; a calendar-day or absolute date on a day off moves to the next working day;
   * a due date outside the years the calendar covers → 409 CALENDAR_NOT_COVERED (nothing saved).
   */
  @Patch('plans/:id/steps/:no')
  @MinRole('admin')
  updateStep(
    @Param('id', DbIntPipe) id: number,
    @Param('no', DbIntPipe) no: number,
    @Body() dto: UpdatePlanStepDto,
    @CurrentUser() user: AuthUser,
  ): Promise<PlanDto> {
    return this.plans.updateStep(id, no, dto, user);
  }

  /** What the same PATCH would do to due dates (how many open steps move, earlier or later), without saving anything. */
  @Post('plans/:id/steps/:no/preview')
  @MinRole('admin')
  @HttpCode(200)
  previewStep(
    @Param('id', DbIntPipe) id: number,
    @Param('no', DbIntPipe) no: number,
    @Body() dto: UpdatePlanStepDto,
    @CurrentUser() user: AuthUser,
  ): Promise<DeadlinePreviewDto> {
    if (dto.deadlines === undefined) throw DomainError.validation([{ field: 'deadlines', reason: 'is required' }]);
    return this.plans.previewStepDeadlines(id, no, dto.deadlines, user);
  }

  /**
   * Creates the 15 steps for every unit of the subtree (and, later, for units added under it).
   * With `?async=true`: 202 `{operationId}` at once, the outcome from `GET /api/operations/:id`.
   */
  @Post('plans/:id/activate')
  @MinRole('admin')
  @UnitScope({ body: 'rootUnitId' })
  @HttpCode(200)
  @ApiOkResponse({ type: ActivationResultDto })
  @ApiAcceptedResponse({ type: OperationStartedDto, description: 'with ?async=true' })
  async activate(
    @Param('id', DbIntPipe) id: number,
    @Body() dto: ActivatePlanDto,
    @Query() query: AsyncQuery,
    @CurrentUser() user: AuthUser,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ActivationResultDto | OperationStartedDto> {
    if (!query.async) return this.plans.activate(id, dto.rootUnitId);
    const operationId = await this.plans.activateInBackground(id, dto.rootUnitId, user);
    reply.status(202);
    return { operationId, status: 'running' };
  }

  /** The calendar of a year (or all): days off (`holiday`) and make-up working days (`workday`). */
  @Get('holidays')
  listHolidays(@Query() query: HolidaysQuery): Promise<HolidayDto[]> {
    return this.holidays.list(query.year);
  }

  /** The years the calendar covers (null: no entries): a due date outside them is refused (409 CALENDAR_NOT_COVERED). */
  @Get('holidays/coverage')
  async holidayCoverage(): Promise<CalendarCoverageDto> {
    const years = await this.holidays.coveredYears();
    return { firstYear: years?.first ?? null, lastYear: years?.last ?? null };
  }

  /**
   * Adds or changes a day: `kind` `holiday` (default, a day off) or `workday` (a make-up working day, a
   * Saturday or Sunday only). Open due dates are recomputed; a change that would put one outside the
   * years the calendar covers → 409 CALENDAR_NOT_COVERED, nothing stored.
   */
  @Put('holidays/:date')
  @MinRole('admin')
  @RootAdmin()
  putHoliday(@Param('date', CalendarDatePipe) date: string, @Body() dto: PutHolidayDto): Promise<HolidayDto> {
    return this.holidays.put(date, dto.name, dto.kind);
  }

  /** Removes a day; open due dates are recomputed (409 CALENDAR_NOT_COVERED when one would fall outside the calendar). */
  @Delete('holidays/:date')
  @MinRole('admin')
  @RootAdmin()
  @HttpCode(204)
  deleteHoliday(@Param('date', CalendarDatePipe) date: string): Promise<void> {
    return this.holidays.remove(date);
  }
}
