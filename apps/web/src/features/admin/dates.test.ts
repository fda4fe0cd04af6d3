import { describe, expect, it } from 'vitest';
import { isoOf } from './dates';
import { ruleText } from './PlanPage';

describe('isoOf: dd/mm/yyyy as typed', () => {
  it('reads real dates', () => {
    expect(isoOf('5/2/2025')).toBe('2025-02-05');
    expect(isoOf(' 29/02/2024 ')).toBe('2024-02-29');
  });
  it('refuses impossible or malformed dates', () => {
    for (const s of ['30/02/2025', '29/02/2025', '2025-02-05', '', '1/13/2025']) expect(isoOf(s)).toBeNull();
  });
});

describe('ruleText: deadline rules in words', () => {
  it('says fixed dates and offsets from the congress', () => {
    expect(ruleText({ date: '2024-11-30' })).toBe('Ngày 30/11/2024');
    expect(ruleText({ daysFromCongress: -35, workingDays: true })).toBe('35 ngày làm việc trước đại hội');
    expect(ruleText({ daysFromCongress: 10, workingDays: false })).toBe('10 ngày sau đại hội');
    expect(ruleText({ daysFromCongress: 0 })).toBe('Ngày đại hội');
    expect(ruleText(undefined)).toBe('—');
  });
});
