import type { ApiResponse } from './test-app';

export interface RowError {
  row?: number;
  field: string;
  reason: string;
}

/** Asserts the one error shape of the API contract, and that no stack trace leaks. */
export function expectError(res: ApiResponse, status: number, code: string): void {
  expect({ status: res.status, code: res.body?.code }).toEqual({ status, code });
  expect(res.body).toEqual(expect.objectContaining({ statusCode: status, code, message: expect.any(String) }));
  expect(res.body.message.length).toBeGreaterThan(0);
  for (const key of Object.keys(res.body)) expect(['statusCode', 'code', 'message', 'details']).toContain(key);
  expectNoStack(res);
}

export function expectNoStack(res: ApiResponse): void {
  const text = typeof res.body === 'string' ? res.body : JSON.stringify(res.body ?? '');
  expect(text).not.toMatch(/\bat [\w.<>]+ \(|\.ts:\d+|\.js:\d+|"stack"/);
}

/** The row errors of a 400 VALIDATION_FAILED import refusal. */
export function rowErrors(res: ApiResponse): RowError[] {
  expectError(res, 400, 'VALIDATION_FAILED');
  expect(Array.isArray(res.body.details)).toBe(true);
  return res.body.details as RowError[];
}

/** The errors reported for one row (and optionally one field). */
export function errorsAt(details: RowError[], row: number, field?: string): RowError[] {
  return details.filter((d) => d.row === row && (field === undefined || d.field === field));
}
