import { readFileSync } from 'node:fs';
import type { FieldError } from '@app/core';

export const MIN_PASSWORD_LENGTH = 10;

let common: Set<string> | undefined;

/**
 * The common-password list of zxcvbn-ts (@zxcvbn-ts/language-common, ~49,000 passwords from
 * breach corpora, maintained on npm), read once, lower-cased.
 */
function commonPasswords(): Set<string> {
  if (!common) {
    const file = require.resolve('@zxcvbn-ts/language-common/src/passwords.json');
    const list = JSON.parse(readFileSync(file, 'utf8')) as string[];
    common = new Set(list.map((p) => p.toLowerCase()));
  }
  return common;
}

/**
 * Why a password is refused, or null: at least 10 characters, not one of the common passwords,
 * not the user's own email or its local part, and not one character (or two) repeated.
 */
export function passwordProblem(password: string, email?: string): string | null {
  if ([...password].length < MIN_PASSWORD_LENGTH) return `must be at least ${MIN_PASSWORD_LENGTH} characters`;
  const lower = password.trim().toLowerCase();
  if (commonPasswords().has(lower)) return 'is one of the most common passwords: choose another';
  if (email) {
    const address = email.trim().toLowerCase();
    if (lower === address || lower === address.split('@')[0]) return 'must not be your email address';
  }
  if (new Set(lower).size < 3) return 'must not be one character repeated';
  return null;
}

export function passwordErrors(password: string, email?: string, field = 'password'): FieldError[] {
  const reason = passwordProblem(password, email);
  return reason ? [{ field, reason }] : [];
}
