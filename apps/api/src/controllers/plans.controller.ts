import { Body, Controller, Delete, Get, HttpCode, Param, ParseIntPipe, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { MinRole, UnitScope } from '@app/auth';
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
  create(@Body() dto: CreatePlanDto): Promise<PlanDto> {
    return this.plans.create(dto);
  }

  @Get('plans')
  list(): Promise<PlanDto[]> {
    return this.plans.list();
  }

  @Get('plans/:id')
  get(@Param('id', ParseIntPipe) id: number): Promise<PlanDto> {
    return this.plans.get(id);
  }

  /** Renames the plan or changes tiers' congress windows. */
  @Patch('plans/:id')
  @MinRole('admin')
  update(@Param('id', ParseIntPipe) id: number, @Body() dto: UpdatePlanDto): Promise<PlanDto> {
    return this.plans.update(id, dto);
  }

  /** Edits a step's deadline rules (tiers not named keep theirs) and recomputes the due dates of its open steps. */
  @Patch('plans/:id/steps/:no')
  @MinRole('admin')
  updateStep(
    @Param('id', ParseIntPipe) id: number,
    @Param('no', ParseIntPipe) no: number,
    @Body() dto: UpdatePlanStepDto,
  ): Promise<PlanDto> {
    return this.plans.updateStepDeadlines(id, no, dto.deadlines);
  }

  /** Creates the 15 steps for every unit of the subtree (and, later, for units added under it). */
  @Post('plans/:id/activate')
  @MinRole('admin')
  @UnitScope({ body: 'rootUnitId' })
  @HttpCode(200)
  activate(@Param('id', ParseIntPipe) id: number, @Body() dto: ActivatePlanDto): Promise<ActivationResultDto> {
    return this.plans.activate(id, dto.rootUnitId);
  }

  @Get('holidays')
  listHolidays(@Query() query: HolidaysQuery): Promise<HolidayDto[]> {
    return this.holidays.list(query.year);
  }

  @Put('holidays/:date')
  @MinRole('admin')
  putHoliday(@Param('date') date: string, @Body() dto: PutHolidayDto): Promise<HolidayDto> {
    return this.holidays.put(date, dto.name);
  }

  @Delete('holidays/:date')
  @MinRole('admin')
  @HttpCode(204)
  deleteHoliday(@Param('date') date: string): Promise<void> {
    return this.holidays.remove(date);
  }
}
