import { describe, expect, it } from 'vitest';
import { csrfToken, loginPath } from './client';
import { safeNext } from '../../features/auth/session';

describe('session helpers', () => {
  it('reads the ct_csrf cookie', () => {
    expect(csrfToken('a=1; ct_csrf=abc%3D; b=2')).toBe('abc=');
    expect(csrfToken('a=1')).toBeNull();
  });

  it('sends a 401 to the login page with the wanted path', () => {
    expect(loginPath('/units/12?tab=bulk')).toBe('/login?next=%2Funits%2F12%3Ftab%3Dbulk');
    expect(loginPath('/')).toBe('/login');
    expect(loginPath('/login?next=%2F')).toBe('/login?next=%2F');
  });

  it('returns after login only to a path of this app', () => {
    expect(safeNext('/units/12')).toBe('/units/12');
    expect(safeNext('//evil.example')).toBe('/');
    expect(safeNext('https://evil.example')).toBe('/');
    expect(safeNext('/\\evil.example')).toBe('/');
    expect(safeNext(null)).toBe('/');
  });
});
