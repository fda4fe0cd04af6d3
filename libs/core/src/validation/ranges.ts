import { applyDecorators, Injectable, PipeTransform } from '@nestjs/common';
import { IsInt, Max, Min, ValidateBy, ValidateIf, ValidationOptions } from 'class-validator';
import { DomainError } from '../errors/domain-error';

/**
 * What the database columns can hold, in one place: every id and counter in the schema is an
 * int4, every date a `date` that the calendar tables cover. Inputs outside these ranges are a 400
 * here, never a PostgreSQL "out of range" error (a 500) later.
 */
export const INT4_MAX = 2_147_483_647;
export const MIN_YEAR = 1900;
export const MAX_YEAR = 2100;

/** An id of a row (int4 primary keys start at 1). */
export function IsDbInt(options: { min?: number; max?: number } = {}, validation?: ValidationOptions): PropertyDecorator {
  const min = options.min ?? 1;
  const max = options.max ?? INT4_MAX;
  return applyDecorators(IsInt(validation), Min(min, validation), Max(max, validation));
}

/** True for a real day of the Gregorian calendar written YYYY-MM-DD, in years MIN_YEAR..MAX_YEAR. */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (year < MIN_YEAR || year > MAX_YEAR || month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** A calendar day YYYY-MM-DD that exists (no 2025-02-30, no 2025-13-01) between 1900 and 2100. */
export function IsCalendarDate(validation?: ValidationOptions): PropertyDecorator {
  return applyDecorators(
    ValidateBy(
      {
        name: 'isCalendarDate',
        validator: {
          validate: (value) => isCalendarDate(value),
          defaultMessage: (args) => `${args?.property ?? 'value'} must be a real date YYYY-MM-DD between ${MIN_YEAR} and ${MAX_YEAR}`,
        },
      },
      validation,
    ),
  );
}

/**
 * Optional, but not nullable: absent is fine, `null` is refused (class-validator's @IsOptional
 * lets null through, which then reaches a NOT NULL column). Use @IsOptional only where null means
 * "clear it".
 */
export function IsOmittable(): PropertyDecorator {
  return ValidateIf((_object, value) => value !== undefined);
}

/** `:id`, `:no` and other integer path parameters: plain digits, inside int4 (1..INT4_MAX). */
@Injectable()
export class DbIntPipe implements PipeTransform<string, number> {
  transform(value: string, metadata?: { data?: string }): number {
    const field = metadata?.data ?? 'id';
    const n = /^\d{1,10}$/.test(value) ? Number(value) : NaN;
    if (!Number.isInteger(n) || n < 1 || n > INT4_MAX) {
      throw DomainError.validation([{ field, reason: `must be an integer from 1 to ${INT4_MAX}` }]);
    }
    return n;
  }
}

/** `:date` path parameters: a real calendar day. */
@Injectable()
export class CalendarDatePipe implements PipeTransform<string, string> {
  transform(value: string, metadata?: { data?: string }): string {
    if (!isCalendarDate(value)) {
      throw DomainError.validation([
        { field: metadata?.data ?? 'date', reason: `must be a real date YYYY-MM-DD between ${MIN_YEAR} and ${MAX_YEAR}` },
      ]);
    }
    return value;
  }
}
