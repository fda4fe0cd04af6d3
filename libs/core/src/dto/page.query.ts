import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { INT4_MAX } from '../validation/ranges';

/**
 * page / pageSize of a listing: 1-based pages of at most 500 rows, 50 by default. Declared for
 * OpenAPI explicitly: this file is not a *.dto.ts, so the Swagger CLI plugin does not describe it.
 */
export class PageQuery {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(INT4_MAX)
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: INT4_MAX, default: 1 })
  page = 1;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 500, default: 50 })
  pageSize = 50;
}
