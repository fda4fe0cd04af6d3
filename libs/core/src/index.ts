export * from './core.module';
export * from './config/env';
export * from './clock/clock.service';
export * from './errors';
export * from './database/data-source';
export * from './database/snake-naming.strategy';
export * from './tiers';
export * from './redis/redis.module';
