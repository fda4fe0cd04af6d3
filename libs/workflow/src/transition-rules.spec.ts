import { pendingPrerequisites } from './transition-rules';
import type { StepStatus } from './transition-table';

/**
 * The prerequisite rule: a step waits for the steps it depends on until each is finished; a
 * dependency on a step the unit does not have (its plan step does not apply to the unit's tier)
 * counts as met.
 */
describe('pendingPrerequisites', () => {
  const cell = new Map<number, StepStatus>([
    [1, 'completed'],
    [3, 'not_started'],
    [5, 'skipped'],
    [7, 'not_started'],
    [9, 'in_progress'],
    [11, 'closed'],
  ]);
  it.each([
    ['a step the unit does not have (a cell without step 6) counts as met', [6], []],
    ['a completed, skipped or closed step counts as met', [1, 5, 11], []],
    ['an open step is pending', [3, 9], [3, 9]],
    ['mixed: only the open steps the unit has are pending', [2, 3, 6, 9], [3, 9]],
    ['no prerequisites', [], []],
  ] as const)('%s', (_rule, dependsOn, pending) => {
    expect(pendingPrerequisites(dependsOn, cell)).toEqual(pending);
  });
});
