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

export function parseWindows(input: unknown): Partial<Record<Tier, CongressWindow>> {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw DomainError.validation([{ field: 'congressWindows', reason: 'must map tiers to {from, to}' }]);
  }
  const errors: FieldError[] = [];
  const out: Partial<Record<Tier, CongressWindow>> = {};
  for (const [tier, w] of Object.entries(input)) {
    const f = `congressWindows.${tier}`;
    const win = w as Partial<CongressWindow> | null;
    if (!(TIERS as readonly string[]).includes(tier)) errors.push({ field: f, reason: 'unknown tier' });
    else if (!win || !isCalendarDate(win.from) || !isCalendarDate(win.to) || win.from > win.to) {
      errors.push({ field: f, reason: 'must be {from, to} dates YYYY-MM-DD with from <= to' });
    } else out[tier as Tier] = { from: win.from, to: win.to };
  }
  if (errors.length > 0) throw DomainError.validation(errors);
  return out;
}
