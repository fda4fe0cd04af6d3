import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { DbIntPipe, OperationDto, OperationsService } from '@app/core';
import { AuthUser, CurrentUser } from '@app/auth';

@ApiTags('operations')
@ApiBearerAuth()
@Controller('api/operations')
export class OperationsController {
  constructor(private readonly operations: OperationsService) {}

  /**
   * A long operation started with `?async=true` (unit import, plan activation): its status, progress
   * and outcome. Readable by the person who started it and by admins whose subtree holds its unit.
   */
  @Get(':id')
  get(@Param('id', DbIntPipe) id: number, @CurrentUser() user: AuthUser): Promise<OperationDto> {
    return this.operations.get(id, user);
  }
}
