import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, within } from '@testing-library/react';
import { App } from 'antd';
import { describe, expect, it } from 'vitest';
import { StepList } from './StepList';
import type { WorkflowStep } from './api';

function step(no: number, over: Partial<WorkflowStep>): WorkflowStep {
  return {
    no,
    code: `S${no}`,
    title: `Bước thử ${no}`,
    status: 'not_started',
    dueDate: null,
    overdue: false,
    unscheduled: false,
    requiresApproval: false,
    dependsOn: [],
    version: 1,
    allowedActions: [],
    updatedAt: '2026-03-01T00:00:00Z',
    updatedBy: null,
    ...over,
  } as WorkflowStep;
}

describe('StepList', () => {
  it('renders each step with its Vietnamese status and only the allowed buttons', () => {
    render(
      <QueryClientProvider client={new QueryClient()}>
        <App>
          <StepList
            unitId={5}
            unitName="Chi bộ A"
            steps={[
              step(1, { status: 'in_progress', allowedActions: ['complete', 'skip'], dueDate: '2000-01-01' }),
              step(7, { status: 'awaiting_approval', allowedActions: [] }),
            ]}
          />
        </App>
      </QueryClientProvider>,
    );
    const first = screen.getByRole('region', { name: 'Bước 1: Bước thử 1' });
    expect(within(first).getByText('Đang thực hiện')).toBeTruthy();
    expect(within(first).getByText(/^quá hạn \d+ ngày$/)).toBeTruthy();
    expect(within(first).getByRole('button', { name: 'Hoàn thành' })).toBeTruthy();
    expect(within(first).getByRole('button', { name: 'Không thực hiện' })).toBeTruthy();
    expect(within(first).queryByRole('button', { name: 'Bắt đầu' })).toBeNull();
    const seventh = screen.getByRole('region', { name: 'Bước 7: Bước thử 7' });
    expect(within(seventh).getByText('Chờ phê duyệt')).toBeTruthy();
    expect(
      within(seventh)
        .getAllByRole('button')
        .map((b) => b.textContent),
    ).toEqual(['Lịch sử']);
  });

  it("shows a step's milestone with its due date and overdue tag; an editor may mark it, a viewer may not", () => {
    const milestone = { title: 'Phân bổ, triệu tập đại biểu', dueDate: '2000-01-03', done: false, doneAt: null, overdue: true };
    const view = (canEdit: boolean) =>
      render(
        <QueryClientProvider client={new QueryClient()}>
          <App>
            <StepList
              unitId={5}
              unitName="Đảng ủy xã A"
              canEdit={canEdit}
              steps={[step(11, { milestone }), step(12, { milestone: null })]}
            />
          </App>
        </QueryClientProvider>,
      );
    const { unmount } = view(true);
    const eleventh = screen.getByRole('region', { name: 'Bước 11: Bước thử 11' });
    expect(within(eleventh).getByText('Mốc: Phân bổ, triệu tập đại biểu')).toBeTruthy();
    expect(within(eleventh).getByText('Hạn: 03/01/2000')).toBeTruthy();
    expect(within(eleventh).getAllByText(/^quá hạn \d+ ngày$/)).toHaveLength(1);
    expect(within(eleventh).getByRole('button', { name: 'Đánh dấu mốc đã xong' })).toBeTruthy();
    expect(within(screen.getByRole('region', { name: 'Bước 12: Bước thử 12' })).queryByText(/^Mốc:/)).toBeNull();
    unmount();
    view(false);
    expect(screen.queryByRole('button', { name: 'Đánh dấu mốc đã xong' })).toBeNull();
  });
});
