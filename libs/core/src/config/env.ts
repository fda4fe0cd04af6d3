import { plainToInstance, Transform } from 'class-transformer';
import { IsBoolean, IsEmail, IsIn, IsInt, IsNotEmpty, IsString, Matches, Max, Min, MinLength, validateSync } from 'class-validator';

const toBool = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? ['1', 'true', 'yes', 'on'].includes(value.toLowerCase()) : value;

export const TIERS = ['central', 'province', 'district', 'grassroots', 'cell'] as const;

/**
 * Every environment variable the product reads, with localhost defaults for development.
 * Validated once at start-up: a bad value stops the process with a message naming the variable.
 */
export class Env {
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL = 'postgres://congress:congress@127.0.0.1:5432/congress';

  @Matches(/^rediss?:\/\/.+/, { message: 'REDIS_URL must be a redis:// URL' })
  REDIS_URL = 'redis://127.0.0.1:6379';

  /** Key prefix of every BullMQ queue, so several deployments (or test runs) can share one Redis. */
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'REDIS_PREFIX may only contain letters, digits, _ and -' })
  REDIS_PREFIX = 'ct';

  @Matches(/^smtps?:\/\/.+/, { message: 'SMTP_URL must be an smtp:// or smtps:// URL' })
  SMTP_URL = 'smtp://127.0.0.1:1025';

  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @Matches(/^https?:\/\/.+/, { message: 'APP_URL must be an http(s):// URL' })
  APP_URL = 'http://localhost:3000';

  @IsString()
  @MinLength(16, { message: 'JWT_SECRET must be at least 16 characters' })
  JWT_SECRET = 'dev-only-secret-change-me-in-production';

  @Matches(/^\d+[smhd]?$/, { message: 'JWT_EXPIRES_IN must be a number of seconds or like 8h, 30m, 1d' })
  JWT_EXPIRES_IN = '8h';

  @IsEmail({}, { message: 'ADMIN_EMAIL must be an email address' })
  ADMIN_EMAIL = 'admin@example.com';

  @IsString()
  @MinLength(10, { message: 'ADMIN_PASSWORD must be at least 10 characters' })
  ADMIN_PASSWORD = 'doi-mat-khau-ngay-2025';

  @IsString()
  @IsNotEmpty()
  TZ_APP = 'Asia/Ho_Chi_Minh';

  @Matches(/^[A-Za-z0-9._-]{1,64}$/, { message: 'ROOT_UNIT_CODE must be 1-64 letters, digits, ".", "_" or "-"' })
  ROOT_UNIT_CODE = 'TW';

  @IsString()
  @IsNotEmpty()
  ROOT_UNIT_NAME = 'Ban Chấp hành Trung ương';

  @IsIn(TIERS, { message: `ROOT_UNIT_TIER must be one of ${TIERS.join(', ')}` })
  ROOT_UNIT_TIER: (typeof TIERS)[number] = 'central';

  /** Run pending migrations when the API starts (turn off when a release job runs them). */
  @Transform(toBool)
  @IsBoolean()
  DB_MIGRATIONS_RUN = true;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** Login attempts allowed per account (whatever the address) within LOGIN_RATE_TTL_SECONDS. */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  LOGIN_RATE_LIMIT = 10;

  /** Login attempts allowed per client address (whatever the accounts) within LOGIN_RATE_TTL_SECONDS. */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  LOGIN_ADDRESS_RATE_LIMIT = 30;

  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  LOGIN_RATE_TTL_SECONDS = 60;

  /** Mark the web session cookies Secure (true when the app is served over HTTPS, as in production). */
  @Transform(toBool)
  @IsBoolean()
  COOKIE_SECURE = false;

  /** Folder of the built web app served at / (relative to the working directory). */
  @IsString()
  @IsNotEmpty()
  WEB_DIST_DIR = 'apps/web/dist';

  /** Largest request body accepted by the unit import (JSON or file upload), in MB. */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  IMPORT_BODY_LIMIT_MB = 200;

  /** Trust X-Forwarded-For (set true only behind a reverse proxy you run): it decides the client address the login limit counts. */
  @Transform(toBool)
  @IsBoolean()
  TRUST_PROXY = false;

  @IsString()
  @IsNotEmpty()
  MAIL_FROM = 'Ban Tổ chức <no-reply@congress.local>';

  /** Mails sent per second at most (BullMQ queue rate limit). */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  MAIL_RATE_PER_SECOND = 20;

  /**
   * Attempts per mail before it is marked failed. The backoff doubles from MAIL_BACKOFF_MS up to
   * MAIL_BACKOFF_MAX_MS: with the defaults (30 attempts, 1 min doubling to 1 h) the retries span
   * about 24 h, so an SMTP server down for a night delays mail and loses none.
   */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  MAIL_ATTEMPTS = 30;

  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(10)
  MAIL_BACKOFF_MS = 60_000;

  /** The longest wait between two attempts of one mail. */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(10)
  MAIL_BACKOFF_MAX_MS = 3_600_000;

  /**
   * How long a claimed mail stays reserved for the worker sending it (renewed while that worker
   * lives); a mail whose worker died is claimed again once its lease has run out.
   */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1000)
  MAIL_LEASE_MS = 600_000;

  /** How often the worker looks for mails whose worker died or whose job Redis lost, and queues them again. */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(100)
  MAIL_RECLAIM_MS = 60_000;

  /** How often the worker re-registers its job schedulers (also done whenever Redis reconnects). */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(100)
  SCHEDULE_REASSERT_MS = 300_000;

  /** Reminders go out this many days before a due date (and on the day itself). */
  @Matches(/^\d+(,\d+)*$/, { message: 'REMINDER_DAYS_BEFORE must be a comma-separated list of days, e.g. 7,3,1' })
  REMINDER_DAYS_BEFORE = '7,3,1';

  /** Overdue steps are reminded every N days. */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  OVERDUE_EVERY_DAYS = 3;

  /** A unit overdue by more than M days is also reported to the supervisors of its parent. */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(0)
  ESCALATE_AFTER_DAYS = 7;

  @Matches(/^(\S+\s+){4}\S+$/, { message: 'SWEEP_CRON must be a 5-field cron pattern' })
  SWEEP_CRON = '0 7 * * *';

  @Matches(/^(\S+\s+){4}\S+$/, { message: 'DIGEST_CRON must be a 5-field cron pattern' })
  DIGEST_CRON = '30 7 * * *';

  /** How often the worker's outbox relay looks for unpublished rows. */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(10)
  OUTBOX_POLL_MS = 1000;
}

/** Validates process.env (or a given record) into a typed Env; throws naming every bad variable. */
export function validateEnv(raw: Record<string, unknown>): Env {
  const defined = Object.fromEntries(Object.entries(raw).filter(([key, value]) => key in new Env() && value !== undefined && value !== ''));
  const env = plainToInstance(Env, defined, { exposeDefaultValues: true });
  const errors = validateSync(env, { skipMissingProperties: false });
  if (errors.length > 0) {
    const lines = errors.map((e) => `  ${e.property}: ${Object.values(e.constraints ?? {}).join('; ')}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return env;
}
