import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser, MinRole, RootAdmin, UnitScope } from '@app/auth';
import { DbIntPipe } from '@app/core';
import { ListNotificationsQuery, NotificationListDto, NotificationsService, RequeuedDto, ResendDto, SweepDto } from '@app/notifications';

@ApiTags('notifications')
@ApiBearerAuth()
@Controller('api')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  /** The notification log of the caller's subtree, newest first. */
  @Get('notifications')
  @UnitScope({ query: 'unitId' })
  list(@CurrentUser() user: AuthUser, @Query() query: ListNotificationsQuery): Promise<NotificationListDto> {
    return this.notifications.list(user.unitPath, query);
  }

  /** Queues the failed notifications of the caller's subtree again (all, or those created since `since`). */
  @Post('notifications/resend')
  @MinRole('admin')
  @HttpCode(200)
  resendFailed(@CurrentUser() user: AuthUser, @Body() dto: ResendDto): Promise<RequeuedDto> {
    return this.notifications.resend(user.unitPath, { since: dto.since });
  }

  /** Queues one failed notification of the caller's subtree again; `{requeued: 0}` when it is not failed. */
  @Post('notifications/:id/resend')
  @MinRole('admin')
  @HttpCode(200)
  resendOne(@CurrentUser() user: AuthUser, @Param('id', DbIntPipe) id: number): Promise<RequeuedDto> {
    return this.notifications.resend(user.unitPath, { id: String(id) });
  }

  /**
   * Runs the reminder sweep now; emails already recorded for that day are not sent again. As of
   * another day (`asOf`) it mails the whole tree again: an admin of the root only.
   */
  @Post('reminders/sweep')
  @MinRole('admin')
  @RootAdmin({ whenBody: 'asOf' })
  @HttpCode(200)
  sweep(@Body() dto: SweepDto): Promise<{ notifications: number; escalations: number; approvals: number; enqueued: number }> {
    return this.notifications.sweep(dto.asOf);
  }
}
