import { DomainError } from '@app/core';
import { congressWindowProblem, parseWindows, windowText } from './deadline-rules';
import { DEFAULT_CONGRESS_WINDOWS } from './plan-template';

/** Windows are "complete before" dates; a start only where the plan sets one (issue 11, item 5). */
describe('congress windows', () => {
  // [rule, window, date, refused]
  const TABLE: [string, { from?: string; to: string }, string, boolean][] = [
    ['no start: a pilot long before the end is fine', { to: '2025-06-30' }, '2025-03-20', false],
    ['no start: the end itself is fine', { to: '2025-06-30' }, '2025-06-30', false],
    ['no start: the day after the end is refused', { to: '2025-06-30' }, '2025-07-01', true],
    ['a start: the day before it is refused', { from: '2025-04-01', to: '2025-06-30' }, '2025-03-31', true],
    ['a start: on it is fine', { from: '2025-04-01', to: '2025-06-30' }, '2025-04-01', false],
    ['a start: after the end is refused', { from: '2025-04-01', to: '2025-06-30' }, '2025-07-01', true],
  ];
  it.each(TABLE)('%s', (_rule, window, date, refused) => {
    expect(congressWindowProblem(window, date) !== null).toBe(refused);
  });

  it('no window (a unit outside any plan): any date', () => {
    expect(congressWindowProblem(null, '2030-01-01')).toBeNull();
  });

  it('the defaults: Directive 45 ends, starts only for cells and the national congress', () => {
    expect(
      Object.entries(DEFAULT_CONGRESS_WINDOWS)
        .filter(([, w]) => w.from)
        .map(([tier]) => tier),
    ).toEqual(['cell', 'central']);
    expect(DEFAULT_CONGRESS_WINDOWS.grassroots).toEqual({ to: '2025-06-30' });
  });

  it('parses {to} and {from, to}; refuses a missing end, a start after it, unknown keys', () => {
    expect(parseWindows({ grassroots: { to: '2025-06-30' }, cell: { from: '2025-01-01', to: '2025-03-31' } })).toEqual({
      grassroots: { to: '2025-06-30' },
      cell: { from: '2025-01-01', to: '2025-03-31' },
    });
    expect(parseWindows({ grassroots: { from: null, to: '2025-06-30' } })).toEqual({ grassroots: { to: '2025-06-30' } });
    for (const bad of [
      { from: '2025-04-01' },
      { from: '2025-07-01', to: '2025-06-30' },
      { to: '2025-06-31' },
      { to: '2025-06-30', x: 1 },
      null,
    ]) {
      expect(() => parseWindows({ grassroots: bad })).toThrow(DomainError);
    }
  });

  it('reads as staff read it', () => {
    expect(windowText({ to: '2025-06-30' })).toBe('đến hết 30/06/2025');
    expect(windowText({ from: '2025-01-01', to: '2025-03-31' })).toBe('01/01/2025 – 31/03/2025');
  });
});
