import { describe, expect, it } from 'vitest';
import openapi from './api/openapi.json';
import { ACTION, ROLE, STATUS, TIER } from './vi';
import { urgencyTag } from './format';
import { workStepTag } from '../features/work/WorkPage';

const schemas = openapi.components.schemas as Record<string, { enum?: string[] }>;

describe('every value the API can send has Vietnamese words', () => {
  it('statuses, actions, tiers and urgencies of the OpenAPI document', () => {
    for (const s of schemas.StepStatus.enum ?? []) expect(STATUS[s as keyof typeof STATUS], s).toBeTruthy();
    for (const a of schemas.Action.enum ?? []) expect(ACTION[a as keyof typeof ACTION], a).toBeTruthy();
    for (const t of schemas.Tier.enum ?? []) expect(TIER[t as keyof typeof TIER], t).toBeTruthy();
    for (const u of schemas.WorkUrgency.enum ?? []) expect(urgencyTag(u).text, u).toBeTruthy();
    for (const r of ['viewer', 'editor', 'supervisor', 'admin'] as const) expect(ROLE[r]).toBeTruthy();
  });

  it('uses the exact words of UI.md for statuses and actions', () => {
    expect(STATUS).toMatchObject({
      not_started: 'Chưa bắt đầu',
      in_progress: 'Đang thực hiện',
      awaiting_approval: 'Chờ phê duyệt',
      returned: 'Trả lại, đề nghị hoàn thiện',
      completed: 'Đã hoàn thành',
      skipped: 'Không thực hiện',
      closed: 'Đã đóng',
    });
    expect(ACTION).toEqual({
      start: 'Bắt đầu',
      complete: 'Hoàn thành',
      submit: 'Trình duyệt',
      approve: 'Phê duyệt',
      return: 'Trả lại',
      reopen: 'Mở lại',
      skip: 'Không thực hiện',
    });
  });
});

describe('the tag of a step in Việc cần làm', () => {
  const base = { no: 1, code: 'S1', title: 't', status: 'in_progress' as const, dueDate: '2026-03-01', version: 1 };
  it('says why the step is there', () => {
    expect(workStepTag({ ...base, reason: 'overdue', daysOverdue: 4, daysLeft: -4 })).toEqual({ tone: 'red', text: 'quá hạn 4 ngày' });
    expect(workStepTag({ ...base, status: 'returned', reason: 'returned', daysOverdue: 0, daysLeft: 9 })).toEqual({
      tone: 'volcano',
      text: 'Trả lại, đề nghị hoàn thiện',
    });
    expect(workStepTag({ ...base, status: 'awaiting_approval', reason: 'awaiting_approval', daysOverdue: 0, daysLeft: null }).text).toBe(
      'Chờ tôi phê duyệt',
    );
    expect(workStepTag({ ...base, reason: 'due_soon', daysOverdue: 0, daysLeft: 0 })).toEqual({ tone: 'orange', text: 'hạn hôm nay' });
    expect(workStepTag({ ...base, reason: 'due_soon', daysOverdue: 0, daysLeft: 5 })).toEqual({ tone: 'orange', text: 'còn 5 ngày' });
  });
});
