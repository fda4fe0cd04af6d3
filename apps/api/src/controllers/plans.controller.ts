import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { DbIntPipe, CalendarDatePipe } from '@app/core';
import { AuthUser, CurrentUser, MinRole, RootAdmin, UnitScope } from '@app/auth';
import {
  ActivatePlanDto,
  ActivationResultDto,
  CreatePlanDto,
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

  /** Renames the plan or changes tiers' congress windows. */
  @Patch('plans/:id')
  @MinRole('admin')
  update(@Param('id', DbIntPipe) id: number, @Body() dto: UpdatePlanDto, @CurrentUser() user: AuthUser): Promise<PlanDto> {
    return this.plans.update(id, dto, user);
  }

  /** Edits a step's deadline rules (tiers not named keep theirs) and recomputes the due dates of its open steps. */
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

  /** Creates the 15 steps for every unit of the subtree (and, later, for units added under it). */
  @Post('plans/:id/activate')
  @MinRole('admin')
  @UnitScope({ body: 'rootUnitId' })
  @HttpCode(200)
  activate(@Param('id', DbIntPipe) id: number, @Body() dto: ActivatePlanDto): Promise<ActivationResultDto> {
    return this.plans.activate(id, dto.rootUnitId);
  }

  @Get('holidays')
  listHolidays(@Query() query: HolidaysQuery): Promise<HolidayDto[]> {
    return this.holidays.list(query.year);
  }

  @Put('holidays/:date')
  @MinRole('admin')
  @RootAdmin()
  putHoliday(@Param('date', CalendarDatePipe) date: string, @Body() dto: PutHolidayDto): Promise<HolidayDto> {
    return this.holidays.put(date, dto.name);
  }

  @Delete('holidays/:date')
  @MinRole('admin')
  @RootAdmin()
  @HttpCode(204)
  deleteHoliday(@Param('date', CalendarDatePipe) date: string): Promise<void> {
    return this.holidays.remove(date);
  }
}
