import { describe, expect, it } from 'vitest';
import { actionButtons, needsNote } from './actions';

describe('allowedActions → buttons', () => {
  it('shows exactly the allowed actions, in a stable order, with the words of UI.md', () => {
    expect(actionButtons(['skip', 'start']).map((b) => b.label)).toEqual(['Bắt đầu', 'Không thực hiện']);
    expect(actionButtons(['return', 'approve']).map((b) => b.label)).toEqual(['Phê duyệt', 'Trả lại']);
    expect(actionButtons([])).toEqual([]);
  });

  it('ignores actions it does not know', () => {
    expect(actionButtons(['complete', 'explode']).map((b) => b.action)).toEqual(['complete']);
  });

  it('marks return as the dangerous one and asks a reason for return, reopen and skip', () => {
    const buttons = actionButtons(['start', 'complete', 'submit', 'approve', 'return', 'reopen', 'skip']);
    expect(buttons.filter((b) => b.danger).map((b) => b.action)).toEqual(['return']);
    expect(buttons.filter((b) => needsNote(b.action)).map((b) => b.action)).toEqual(['return', 'reopen', 'skip']);
  });
});
