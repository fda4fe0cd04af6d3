import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DomainError } from './domain-error';
import { ERROR_STATUS, ErrorBody, ErrorCode } from './error-codes';

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN_SCOPE',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
  503: 'SERVICE_UNAVAILABLE',
};

interface FastifyLikeError {
  statusCode?: number;
  code?: string;
  message?: string;
}

/**
 * Maps anything thrown to the one error shape. Unknown errors become a generic 500 with a
 * correlation id that is logged with the stack; no stack or SQL text ever reaches the client.
 */
export function toErrorBody(error: unknown, logger: Logger): ErrorBody {
  if (error instanceof DomainError) return error.toBody();
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const response = error.getResponse();
    const code = CODE_BY_STATUS[status] ?? (status >= 500 ? 'INTERNAL' : 'VALIDATION_FAILED');
    if (status === 503 && typeof response === 'object') {
      return { statusCode: 503, code, message: 'Service unavailable', details: response };
    }
    const message =
      status === 404 ? 'Not found' : status === 429 ? 'Too many requests, try again later' : readMessage(response, error.message);
    return { statusCode: status, code, message };
  }
  const fastify = error as FastifyLikeError;
  if (typeof fastify?.statusCode === 'number' && fastify.statusCode >= 400 && fastify.statusCode < 500) {
    // Fastify's own refusals: malformed JSON, body too large, unsupported content type.
    const status = fastify.statusCode;
    const code = CODE_BY_STATUS[status] ?? 'VALIDATION_FAILED';
    const message =
      status === 413
        ? 'Request body is too large'
        : status === 415
          ? 'Unsupported content type'
          : fastify.code === 'FST_ERR_CTP_EMPTY_JSON_BODY'
            ? 'Request body is empty but the content type is JSON'
            : status === 400
              ? 'Malformed request body'
              : 'Bad request';
    return { statusCode: status, code, message, details: fastify.code ? { reason: fastify.code } : undefined };
  }
  const correlationId = randomUUID();
  const driverError = (error as { driverError?: { code?: unknown; detail?: unknown } })?.driverError;
  const sqlState = driverError?.code;
  if (sqlState === CALENDAR_NOT_COVERED_SQLSTATE) return calendarNotCovered(Number(driverError?.detail)).toBody();
  if (typeof sqlState === 'string' && (sqlState.startsWith('22') || sqlState === '23502')) {
    // A value PostgreSQL cannot hold (out of range, not a date, NUL, null in a NOT NULL column) that
    // validation let through: the input's fault, so a 400 — and logged, since validation should have caught it.
    logger.warn({ err: error, correlationId, sqlState }, 'Input refused by PostgreSQL, not by validation');
    return {
      statusCode: 400,
      code: 'VALIDATION_FAILED',
      message: 'A value is outside what can be stored',
      details: [{ field: 'body', reason: `a value is out of range or malformed (${correlationId})` }],
    };
  }
  logger.error({ err: error, correlationId }, 'Unhandled error');
  return {
    statusCode: ERROR_STATUS.INTERNAL,
    code: 'INTERNAL',
    message: 'Internal error',
    details: { correlationId },
  };
}

/** Raised by calendar_not_covered() (migration 1764000012000) with the missing year as its detail. */
export const CALENDAR_NOT_COVERED_SQLSTATE = 'VC001';

/** The calendar's end is not a silent cliff: a due date past the years it covers is refused, naming the year. */
export function calendarNotCovered(year: number): DomainError {
  return new DomainError(
    'CALENDAR_NOT_COVERED',
    `Lịch ngày nghỉ chưa có năm ${year}: hãy nhập ngày nghỉ và ngày làm bù của năm ${year} trước khi tính hạn`,
    { year },
  );
}

function readMessage(response: string | object, fallback: string): string {
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  return typeof message === 'string' ? message : Array.isArray(message) ? message.join('; ') : fallback;
}

@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<{ status(code: number): { send(body: unknown): void } }>();
    const body = toErrorBody(exception, this.logger);
    reply.status(body.statusCode).send(body);
  }
}
