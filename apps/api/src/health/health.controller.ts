import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import type Redis from 'ioredis';
import { REDIS } from '@app/core';
import { Public } from '@app/auth';
import { NotificationsService } from '@app/notifications';

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly notifications: NotificationsService,
  ) {}

  /**
   * 200 when PostgreSQL and Redis answer, 503 otherwise. `mail` is a detail, never an outage: how
   * many emails failed for good (resend them with POST /api/notifications/resend) and how old the
   * oldest one waiting to go out is (it grows while the SMTP server is down).
   */
  @Public()
  @Get()
  @HealthCheck()
  check() {
    return this.health.check([() => this.db.pingCheck('database', { timeout: 2000 }), () => this.redisCheck(), () => this.mailCheck()]);
  }

  private async mailCheck() {
    const session = this.indicators.check('mail');
    try {
      return session.up({ ...(await this.notifications.mailHealth()) });
    } catch (error) {
      return session.up({ message: `mail figures unavailable: ${(error as Error).message}` });
    }
  }

  private async redisCheck() {
    const session = this.indicators.check('redis');
    try {
      const pong = await Promise.race([
        this.redis.ping(),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), 2000).unref()),
      ]);
      return pong === 'PONG' ? session.up() : session.down({ message: 'unexpected reply' });
    } catch (error) {
      return session.down({ message: (error as Error).message });
    }
  }
}
