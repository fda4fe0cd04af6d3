import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { INT4_MAX } from '../validation/ranges';

// The mixin pattern needs a constructor of any arguments.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Constructor<T = object> = new (...args: any[]) => T;

/**
 * Adds page / pageSize (1-based pages) to a query class: the one definition of a listing's paging,
 * with the page size's default and maximum per listing. The page number stays inside int4 (a 400,
 * never an overflowing OFFSET). Declared for OpenAPI explicitly: this file is not a *.dto.ts, so the
 * Swagger CLI plugin does not describe it.
 */
export function Paged<TBase extends Constructor>(Base: TBase, size: { default: number; max: number }) {
  class PagedQuery extends Base {
    @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: INT4_MAX, default: 1 })
    @IsOptional()
    @Type(() => Number)
    @IsInt()
    @Min(1)
    @Max(INT4_MAX)
    page = 1;

    @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: size.max, default: size.default })
    @IsOptional()
    @Type(() => Number)
    @IsInt()
    @Min(1)
    @Max(size.max)
    pageSize = size.default;
  }
  return PagedQuery;
}

/** page / pageSize of a listing: 1-based pages of at most 500 rows, 50 by default. */
export class PageQuery extends Paged(class {}, { default: 50, max: 500 }) {}
