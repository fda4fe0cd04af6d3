import { JwtService } from '@nestjs/jwt';

/** The JWT secret the auth tests give their app, so they can sign tokens of their own. */
export const TEST_JWT_SECRET = 'e2e-test-secret-0123456789abcdef';

export interface Claims {
  sub: number;
  role: string;
  unitId: number;
}

/** A token signed like the API signs them, already expired by a minute. */
export function expiredToken(claims: Claims, secret = TEST_JWT_SECRET): string {
  const now = Math.floor(Date.now() / 1000);
  return new JwtService({ secret }).sign({ ...claims, iat: now - 3600, exp: now - 60 });
}

export function signToken(claims: Claims, secret: string, expiresInSeconds = 3600): string {
  return new JwtService({ secret }).sign({ ...claims }, { expiresIn: expiresInSeconds });
}

/** The token with its payload replaced but the original signature kept. */
export function tamperPayload(token: string, change: (claims: Record<string, unknown>) => Record<string, unknown>): string {
  const [header, payload, signature] = token.split('.');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  return [header, Buffer.from(JSON.stringify(change(claims))).toString('base64url'), signature].join('.');
}

export function decodeClaims(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
}
