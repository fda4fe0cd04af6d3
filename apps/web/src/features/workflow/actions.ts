import { ACTION, type StepAction } from '../../lib/vi';

/** The order buttons appear in, forward actions first. */
export const ACTION_ORDER: StepAction[] = ['start', 'complete', 'submit', 'approve', 'return', 'reopen', 'skip'];

/** API.md: these actions need a note (the dialog's "Lý do" is required). */
export function needsNote(action: StepAction): boolean {
  return action === 'return' || action === 'reopen' || action === 'skip';
}

export interface ActionButton {
  action: StepAction;
  label: string;
  primary: boolean;
  danger: boolean;
}

/** One button per action in `allowedActions` (and only those), in a stable order. */
export function actionButtons(allowed: readonly string[]): ActionButton[] {
  const set = new Set(allowed);
  return ACTION_ORDER.filter((a) => set.has(a)).map((action) => ({
    action,
    label: ACTION[action],
    primary: action === 'start' || action === 'complete' || action === 'submit' || action === 'approve',
    danger: action === 'return',
  }));
}
