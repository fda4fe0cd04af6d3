/** What staff read in exports: Vietnamese names of tiers, statuses and contents. */
export const TIER_VI: Record<string, string> = {
  central: 'Trung ương',
  province: 'Tỉnh, thành phố',
  district: 'Cấp huyện và tương đương',
  grassroots: 'Tổ chức cơ sở đảng',
  cell: 'Chi bộ trực thuộc',
};

export const STATUS_VI: Record<string, string> = {
  not_started: 'Chưa bắt đầu',
  in_progress: 'Đang thực hiện',
  awaiting_approval: 'Chờ phê duyệt',
  returned: 'Bị trả lại',
  completed: 'Hoàn thành',
  skipped: 'Bỏ qua',
  closed: 'Đã đóng (đơn vị đã hợp nhất, giải thể)',
};

export const CONTENT_VI: Record<string, string> = {
  done: 'Đã thực hiện',
  not_done: 'Chưa thực hiện',
  not_applicable: 'Không áp dụng',
};

export const KIND_VI: Record<string, string> = { delegates: 'Đại hội đại biểu', members: 'Đại hội đảng viên' };
