import type { FieldError } from '../errors/domain-error';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a string cannot be stored as PostgreSQL text (NUL) or encoded as UTF-8 (a lone surrogate), or null. */
export function unsafeStringReason(value: string): string | null {
  if (value.includes('\u0000')) return 'must not contain the NUL character';
  if (LONE_SURROGATE.test(value)) return 'must not contain an unpaired UTF-16 surrogate';
  return null;
}

/**
 * Every string (and object key) inside `value` that PostgreSQL or UTF-8 cannot hold, as field
 * errors under `root` — walked without recursion, so a deeply nested or huge body cannot overflow
 * the stack; stops after `limit` findings.
 */
export function findUnsafeStrings(value: unknown, root: string, limit = 20): FieldError[] {
  const found: FieldError[] = [];
  const stack: [unknown, string][] = [[value, root]];
  while (stack.length > 0 && found.length < limit) {
    const [current, path] = stack.pop()!;
    if (typeof current === 'string') {
      const reason = unsafeStringReason(current);
      if (reason) found.push({ field: path || 'body', reason });
    } else if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--) stack.push([current[i], `${path}[${i}]`]);
    } else if (current !== null && typeof current === 'object') {
      for (const [key, child] of Object.entries(current as Record<string, unknown>)) {
        const reason = unsafeStringReason(key);
        const childPath = path ? `${path}.${key}` : key;
        if (reason) found.push({ field: JSON.stringify(childPath), reason: `a field name ${reason}` });
        stack.push([child, childPath]);
      }
    }
  }
  return found;
}
