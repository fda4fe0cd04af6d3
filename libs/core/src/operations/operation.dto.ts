import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';

const toBoolean = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

/** `?async=true`: answer 202 with an operation id at once and do the work in the background. */
export class AsyncQuery {
  /** true: 202 `{operationId}` now, the outcome from `GET /api/operations/:id`; false or absent: wait for the outcome. */
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'async must be true or false' })
  async?: boolean;
}

export class OperationStartedDto {
  operationId: number;
  /** Always `running` when it starts. */
  status: 'running';
}

export class OperationErrorDto {
  code: string;
  message: string;
  details?: unknown;
}

export class OperationDto {
  id: number;
  /** `unit_import` or `plan_activation`. */
  kind: 'unit_import' | 'plan_activation';
  /** `running`, then `succeeded` (with `result`) or `failed` (with `error`, the shape of an API error). */
  status: 'running' | 'succeeded' | 'failed';
  /** `{phase, done?, total?}`: `reading` (rows read so far), `checking`, `writing`, `done`. */
  progress: Record<string, unknown>;
  /** What the synchronous call would have answered (e.g. `{created, updated, unchanged}`, `{units, steps}`). */
  result?: Record<string, unknown>;
  error?: OperationErrorDto;
  createdAt: string;
  finishedAt: string | null;
}
