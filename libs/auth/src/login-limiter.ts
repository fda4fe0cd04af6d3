import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { createHash } from 'node:crypto';
import { DomainError, Env } from '@app/core';

// Counts one attempt on both keys; the window starts with the first attempt. Returns both counts and the longer wait.
const HIT = `
local a = redis.call('INCR', KEYS[1])
if a == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local b = redis.call('INCR', KEYS[2])
if b == 1 then redis.call('PEXPIRE', KEYS[2], ARGV[1]) end
return {a, b, math.max(redis.call('PTTL', KEYS[1]), redis.call('PTTL', KEYS[2]))}
`;

/**
 * Login attempts counted in Redis, so the limit holds across API instances: per account (across
 * addresses, LOGIN_RATE_LIMIT) and per client address (across accounts, LOGIN_ADDRESS_RATE_LIMIT),
 * within LOGIN_RATE_TTL_SECONDS. Checked before any password is hashed. If Redis cannot answer,
 * logins go on (bounded by the hashing limit) rather than locking everybody out.
 */
@Injectable()
export class LoginLimiter implements OnApplicationShutdown {
  private readonly logger = new Logger('LoginLimiter');
  private readonly redis: Redis;

  constructor(private readonly env: Env) {
    this.redis = new Redis(env.REDIS_URL, { maxRetriesPerRequest: 1, commandTimeout: 1000, retryStrategy: (n) => Math.min(n * 200, 2000) });
    this.redis.on('error', () => undefined);
  }

  async hit(email: string, address: string): Promise<void> {
    const account = createHash('sha256').update(email.trim().toLowerCase()).digest('hex').slice(0, 32);
    const prefix = `${this.env.REDIS_PREFIX}:login`;
    let counts: [number, number, number];
    try {
      counts = (await this.redis.eval(
        HIT,
        2,
        `${prefix}:acct:${account}`,
        `${prefix}:addr:${address}`,
        this.env.LOGIN_RATE_TTL_SECONDS * 1000,
      )) as [number, number, number];
    } catch (error) {
      this.logger.warn(`Login attempts not counted (Redis: ${(error as Error).message})`);
      return;
    }
    const [perAccount, perAddress, waitMs] = counts;
    if (perAccount > this.env.LOGIN_RATE_LIMIT || perAddress > this.env.LOGIN_ADDRESS_RATE_LIMIT) {
      throw new DomainError('RATE_LIMITED', 'Too many login attempts, try again later', {
        retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)),
        scope: perAccount > this.env.LOGIN_RATE_LIMIT ? 'account' : 'address',
      });
    }
  }

  onApplicationShutdown(): void {
    this.redis.disconnect();
  }
}
