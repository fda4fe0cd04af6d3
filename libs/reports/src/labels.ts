/** What staff read in exports: Vietnamese names of tiers, statuses and contents (BRIEF.md "Words"). */
export const TIER_VI: Record<string, string> = {
  central: 'Trung ương',
  province: 'Tỉnh, thành phố',
  district: 'Cấp trên trực tiếp cơ sở',
  grassroots: 'Tổ chức cơ sở đảng',
  cell: 'Chi bộ trực thuộc',
};

export const STATUS_VI: Record<string, string> = {
  not_started: 'Chưa bắt đầu',
  in_progress: 'Đang thực hiện',
  awaiting_approval: 'Chờ phê duyệt',
  returned: 'Trả lại, đề nghị hoàn thiện',
  completed: 'Đã hoàn thành',
  skipped: 'Không thực hiện',
  closed: 'Đã đóng',
};

export const CONTENT_VI: Record<string, string> = {
  done: 'Đã thực hiện',
  not_done: 'Chưa thực hiện',
  not_applicable: 'Không áp dụng',
};

export const KIND_VI: Record<string, string> = { delegates: 'Đại hội đại biểu', members: 'Đại hội đảng viên' };

/** The 4 contents of a congress, by number (BRIEF.md "Words"): exports name them, never "Nội dung 1…4". */
export const CONTENT_NAMES = ['Báo cáo chính trị', 'Góp ý văn kiện cấp trên', 'Bầu cấp ủy khóa mới', 'Bầu đại biểu dự đại hội cấp trên'];

/** The file name's mark of the pilot filter. */
export const pilotSuffix = (pilot: boolean | null | undefined): string =>
  pilot === true ? '-dai-hoi-diem' : pilot === false ? '-khong-gom-dai-hoi-diem' : '';
/** The title's mark of the pilot filter, so that an exported file says what it holds. */
export const pilotTitle = (pilot: boolean | null | undefined): string =>
  pilot === true ? ' (đại hội điểm)' : pilot === false ? ' (không gồm đại hội điểm)' : '';
