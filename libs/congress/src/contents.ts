/**
 * The rule of the 4 contents, in TypeScript. "Completed all contents" itself is the generated
 * column congress_records.completed_all (migration CongressPlan): every content recorded as done or
 * not applicable, and not all four not applicable. The reports filter and count on that column;
 * what TypeScript derives from the statuses (which apply, which are missing) is here, once.
 */
export const CONTENT_NUMBERS = [1, 2, 3, 4] as const;

/** Contents without a recorded status (all 4 when there is no record): what completing the congress step needs. */
export function unrecordedContents(contents: readonly (string | null)[] | null): number[] {
  if (!contents) return [1, 2, 3, 4];
  return contents.flatMap((s, i) => (s === null ? [i + 1] : []));
}

/** Of the 4 statuses (index 0 = content 1): how many apply, and which applicable ones are not done. */
export function contentsOutcome(contents: readonly (string | null)[]): { applicableContents: number; missing: number[] } {
  const applicable = CONTENT_NUMBERS.filter((no) => contents[no - 1] !== 'not_applicable');
  return { applicableContents: applicable.length, missing: applicable.filter((no) => contents[no - 1] !== 'done') };
}
