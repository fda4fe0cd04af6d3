/**
 * The congress format (BRIEF.md "Who decides the congress format"): decided by the superior
 * committee, never by the unit itself. It says which of the 4 contents the congress leaves out.
 */
export const CONGRESS_TYPES = ['full', 'three_contents', 'two_contents'] as const;
export type CongressType = (typeof CONGRESS_TYPES)[number];

/** The contents a format leaves out: no committee election (3), and no delegation either (4). */
export const CONTENTS_LEFT_OUT: Record<CongressType, readonly number[]> = {
  full: [],
  three_contents: [3],
  two_contents: [3, 4],
};

/** The 4 contents as staff name them (exports, emails). */
export const CONTENT_TITLES_VI: Record<number, string> = {
  1: 'Báo cáo chính trị',
  2: 'Góp ý văn kiện cấp trên',
  3: 'Bầu cấp ủy khóa mới',
  4: 'Bầu đại biểu dự đại hội cấp trên',
};

export const CONGRESS_TYPE_VI: Record<CongressType, string> = {
  full: 'Đại hội 4 nội dung',
  three_contents: 'Đại hội 3 nội dung',
  two_contents: 'Đại hội 2 nội dung',
};

/** The reason recorded for a content the format leaves out, when the record gives none. */
export function leftOutReason(type: CongressType, no: number): string {
  const why = no === 3 ? 'cấp ủy do cấp trên chỉ định' : 'không bầu đại biểu dự đại hội cấp trên';
  return `${CONGRESS_TYPE_VI[type]} theo quyết định của cấp trên: ${why}`;
}
