import { ERROR_STATUS, ErrorBody, ErrorCode } from './error-codes';

/** A refusal the API reports as `{statusCode, code, message, details}`; thrown by services. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'DomainError';
  }

  get statusCode(): number {
    return ERROR_STATUS[this.code];
  }

  toBody(): ErrorBody {
    const body: ErrorBody = { statusCode: this.statusCode, code: this.code, message: this.message };
    if (this.details !== undefined) body.details = this.details;
    return body;
  }

  static notFound(what: string, id: unknown): DomainError {
    return new DomainError('NOT_FOUND', `${what} ${String(id)} not found`, { [what.toLowerCase()]: id });
  }

  static validation(details: FieldError[], message = 'Validation failed'): DomainError {
    return new DomainError('VALIDATION_FAILED', message, details);
  }
}

export interface FieldError {
  field: string;
  reason: string;
  row?: number;
}
