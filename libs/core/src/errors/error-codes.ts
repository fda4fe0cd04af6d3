/** The error codes of the API contract, each with its HTTP status. */
export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN_SCOPE: 403,
  /** A cookie-authenticated write without the CSRF header matching the ct_csrf cookie. */
  CSRF_FAILED: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  REQUEST_TIMEOUT: 408,
  INVALID_TRANSITION: 409,
  PREREQUISITES_PENDING: 409,
  VERSION_CONFLICT: 409,
  CONTENTS_MISSING: 409,
  CONFLICT: 409,
  /** The unit was merged or dissolved: its workflow is read-only. */
  UNIT_CLOSED: 409,
  /** A due date (working days counted, or a date moved off a day off) falls in a year the holiday calendar does not cover. */
  CALENDAR_NOT_COVERED: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  HEADERS_TOO_LARGE: 431,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  SERVICE_UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface ErrorBody {
  statusCode: number;
  code: ErrorCode;
  message: string;
  details?: unknown;
}
