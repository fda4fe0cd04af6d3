import { toLocalDate } from './clock.service';

describe('toLocalDate (remembered per minute)', () => {
  it('turns the day at midnight in Vietnam (17:00 UTC), whatever was asked just before', () => {
    expect(toLocalDate(new Date('2025-03-01T16:59:59.999Z'))).toBe('2025-03-01');
    expect(toLocalDate(new Date('2025-03-01T17:00:00.000Z'))).toBe('2025-03-02');
    // Back to the earlier minute: not the remembered answer of the later one.
    expect(toLocalDate(new Date('2025-03-01T16:59:30.000Z'))).toBe('2025-03-01');
  });

  it('keeps each time zone apart', () => {
    const at = new Date('2025-03-01T20:00:00.000Z');
    expect(toLocalDate(at)).toBe('2025-03-02');
    expect(toLocalDate(at, 'UTC')).toBe('2025-03-01');
    expect(toLocalDate(at, 'America/New_York')).toBe('2025-03-01');
    expect(toLocalDate(at)).toBe('2025-03-02');
  });

  it('still refuses an invalid date', () => {
    expect(() => toLocalDate(new Date('not a date'))).toThrow(RangeError);
  });
});
