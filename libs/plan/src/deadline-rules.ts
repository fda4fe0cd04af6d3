import { DomainError, FieldError, isCalendarDate, TIERS, Tier } from '@app/core';
import type { CongressWindow, DeadlineRule, Deadlines } from './plan-template';

export { isCalendarDate };

/** Checks `{tier: rule}` from a request: known tiers, and each rule an absolute date or an offset. */
export function parseDeadlines(input: unknown, field = 'deadlines'): Deadlines {
  const errors: FieldError[] = [];
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw DomainError.validation([{ field, reason: 'must be an object mapping tiers to rules' }]);
  }
  const out: Deadlines = {};
  for (const [tier, rule] of Object.entries(input)) {
    const f = `${field}.${tier}`;
    if (!(TIERS as readonly string[]).includes(tier)) {
      errors.push({ field: f, reason: `unknown tier; one of ${TIERS.join(', ')}` });
      continue;
    }
    const parsed = parseRule(rule);
    if (typeof parsed === 'string') errors.push({ field: f, reason: parsed });
    else out[tier as Tier] = parsed;
  }
  if (errors.length > 0) throw DomainError.validation(errors);
  return out;
}

function parseRule(rule: unknown): DeadlineRule | string {
  if (rule === null || typeof rule !== 'object' || Array.isArray(rule)) return 'must be {date} or {daysFromCongress, workingDays}';
  const r = rule as Record<string, unknown>;
  const keys = Object.keys(r);
  if ('date' in r) {
    if (keys.length !== 1) return '{date} takes no other field';
    return isCalendarDate(r.date) ? { date: r.date } : 'date must be a calendar date YYYY-MM-DD';
  }
  if ('daysFromCongress' in r) {
    if (keys.some((k) => k !== 'daysFromCongress' && k !== 'workingDays')) return 'only daysFromCongress and workingDays are allowed';
    const days = r.daysFromCongress;
    if (typeof days !== 'number' || !Number.isInteger(days) || Math.abs(days) > 730)
      return 'daysFromCongress must be an integer between -730 and 730';
    if (r.workingDays !== undefined && typeof r.workingDays !== 'boolean') return 'workingDays must be true or false';
    return { daysFromCongress: days, workingDays: r.workingDays === true };
  }
  return 'must be {date} or {daysFromCongress, workingDays}';
}

/** Checks `{tier: {from?, to}}` from a request: `to` required ("complete before"), `from` optional. */
export function parseWindows(input: unknown): Partial<Record<Tier, CongressWindow>> {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw DomainError.validation([{ field: 'congressWindows', reason: 'must map tiers to {from?, to}' }]);
  }
  const errors: FieldError[] = [];
  const out: Partial<Record<Tier, CongressWindow>> = {};
  for (const [tier, w] of Object.entries(input)) {
    const f = `congressWindows.${tier}`;
    const win = w as Record<string, unknown> | null;
    const from = win?.from ?? null;
    if (!(TIERS as readonly string[]).includes(tier)) errors.push({ field: f, reason: 'unknown tier' });
    else if (win === null || typeof win !== 'object' || Array.isArray(win) || Object.keys(win).some((k) => k !== 'from' && k !== 'to')) {
      errors.push({ field: f, reason: 'must be {from?, to}' });
    } else if (!isCalendarDate(win.to)) errors.push({ field: `${f}.to`, reason: 'must be a calendar date YYYY-MM-DD (complete before)' });
    else if (from !== null && (!isCalendarDate(from) || from > win.to)) {
      errors.push({ field: `${f}.from`, reason: 'must be empty or a calendar date YYYY-MM-DD not after to' });
    } else out[tier as Tier] = from === null ? { to: win.to } : { from, to: win.to };
  }
  if (errors.length > 0) throw DomainError.validation(errors);
  return out;
}

const vnDate = (iso: string) => iso.split('-').reverse().join('/');

/**
 * The one rule for a congress date and a congress record's `heldOn`: on or before the window's end
 * ("complete before"), and on or after its start only when the plan sets one. Null when the date is fine.
 */
export function congressWindowProblem(window: CongressWindow | null | undefined, date: string): string | null {
  if (!window) return null;
  if (date > window.to) return `must be on or before ${vnDate(window.to)} (the congress window ends then)`;
  if (window.from && date < window.from) return `must lie in the congress window ${vnDate(window.from)} – ${vnDate(window.to)}`;
  return null;
}

/** The window as staff read it: "đến hết 30/06/2025", or "01/01/2025 – 31/03/2025" when it has a start. */
export function windowText(window: { from?: string | null; to: string }): string {
  return window.from ? `${vnDate(window.from)} – ${vnDate(window.to)}` : `đến hết ${vnDate(window.to)}`;
}
