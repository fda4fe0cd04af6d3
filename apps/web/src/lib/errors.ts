import { ERROR, FIELD, REASON } from './vi';

/** An API refusal (`{statusCode, code, message, details?}`) or a network failure (code NETWORK). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

interface FieldDetail {
  field: string;
  reason?: string;
}

function isFieldDetails(details: unknown): details is FieldDetail[] {
  return (
    Array.isArray(details) && details.every((d) => typeof d === 'object' && d !== null && typeof (d as FieldDetail).field === 'string')
  );
}

/** "contents.2.note" → "Lý do" ("note" is the last named segment); unknown names stay as they are. */
export function fieldLabel(path: string): string {
  const named = path.split('.').filter((s) => !/^\d+$/.test(s));
  const last = named[named.length - 1] ?? path;
  return FIELD[last] ?? last;
}

/** One class-validator reason in Vietnamese, from the words it is built from. */
export function reasonText(reason: string | undefined): string {
  if (!reason) return REASON.invalid;
  const r = reason.toLowerCase();
  const num = /(-?\d+(?:\.\d+)?)/.exec(reason)?.[1];
  if (r.includes('should not be empty') || r.includes('must be defined') || r.includes('is required') || r.includes('required for'))
    return REASON.required;
  if (r.includes('should not exist')) return REASON.notAllowed;
  if (r.includes('listed twice')) return REASON.duplicate;
  if (r.includes('more than 50%')) return REASON.over50;
  if (r.includes('must not exceed the committee size')) return REASON.overCommittee(num ?? '');
  if (r.includes('must not exceed the allocated')) return REASON.overAllocated(num ?? '');
  if (r.includes('must not be given')) return REASON.notGiven;
  if (r.includes('is not part of a')) return REASON.notInFormat;
  if (r.includes('congress window')) return REASON.outsideWindow;
  if (r.includes('reason is required') || r.includes('not applicable')) return REASON.requiredWhenNotApplicable;
  if (r.includes('must not be less than') || r.includes('must not be smaller')) return REASON.min(num ?? '');
  if (r.includes('must not be greater than') || r.includes('must not be larger')) return REASON.max(num ?? '');
  if (r.includes('longer than or equal')) return REASON.minLength(num ?? '');
  if (r.includes('shorter than or equal')) return REASON.maxLength(num ?? '');
  if (r.includes('email')) return REASON.email;
  if (r.includes('date') || r.includes('must match')) return REASON.date;
  if (r.includes('integer') || r.includes('number')) return REASON.number;
  if (r.includes('must be one of')) return REASON.oneOf;
  return REASON.invalid;
}

/** The Vietnamese sentence for an error the app shows: the code's message, and the details that help. */
export function errorMessage(error: unknown): string {
  if (!(error instanceof ApiError)) return error instanceof TypeError ? ERROR.NETWORK : ERROR.UNKNOWN;
  const base = ERROR[error.code] ?? ERROR.UNKNOWN;
  const d = error.details;
  if (error.code === 'VALIDATION_FAILED' && isFieldDetails(d) && d.length > 0) {
    const parts = d.map((x) => `${fieldLabel(x.field)} ${reasonText(x.reason)}`);
    return `${base}: ${[...new Set(parts)].join('; ')}`;
  }
  if (error.code === 'PREREQUISITES_PENDING' && d && typeof d === 'object' && Array.isArray((d as { pending?: unknown }).pending)) {
    return `${base}: ${REASON.pendingSteps(((d as { pending: number[] }).pending ?? []).join(', '))}`;
  }
  if (error.code === 'CONTENTS_MISSING' && d && typeof d === 'object' && Array.isArray((d as { missing?: unknown }).missing)) {
    // Recording a congress that exempts a content its format holds (the superior decides the format).
    if ((d as { congressType?: unknown }).congressType !== undefined) {
      return REASON.exemptedByFormat(((d as { missing: number[] }).missing ?? []).join(', '));
    }
    return `${base} (${REASON.missingContents(((d as { missing: number[] }).missing ?? []).join(', '))})`;
  }
  if (error.code === 'CALENDAR_NOT_COVERED' && d && typeof d === 'object' && typeof (d as { year?: unknown }).year === 'number') {
    // The API names the year the holiday calendar lacks ("Lịch ngày nghỉ chưa có năm 2027").
    return `Lịch ngày nghỉ chưa có năm ${(d as { year: number }).year}: hãy nhập ngày nghỉ và ngày làm bù của năm đó trước khi tính hạn`;
  }
  if (error.code === 'INTERNAL' && d && typeof d === 'object') {
    const id = (d as { correlationId?: string }).correlationId;
    if (id) return `${base} (${REASON.correlation(id)})`;
  }
  return base;
}

/** The message for a code alone (bulk results carry a code per item). */
export function codeMessage(code: string | undefined): string {
  return code ? (ERROR[code] ?? ERROR.UNKNOWN) : ERROR.UNKNOWN;
}
