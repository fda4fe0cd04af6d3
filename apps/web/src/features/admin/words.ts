/** The words of the administration pages (UI.md: Vietnamese, the Party's terms). */

export const A = {
  importTitle: 'Nhập danh sách đơn vị',
  importNav: 'Nhập đơn vị',
  usersNav: 'Người dùng',
  plansNav: 'Kế hoạch',
  holidaysNav: 'Ngày nghỉ lễ',
  queuesNav: 'Hàng đợi gửi thư',
  adminNav: 'Các trang quản trị',
  importHint:
    'Tải lên file JSON, CSV hoặc XLSX, mỗi dòng một đơn vị, với các cột dưới đây (dòng đầu là dòng tiêu đề, tên cột viết đúng như mẫu). Đơn vị có mã đã tồn tại được cập nhật; file có dòng lỗi thì không ghi gì. Dòng 1 là dòng dữ liệu đầu tiên (sau dòng tiêu đề).',
  columnsTitle: 'Các cột của file nhập',
  leftOutHint: 'Cột không bắt buộc nếu bỏ hẳn khỏi file thì giữ nguyên giá trị đang lưu của đơn vị đã có.',
  importDrop: 'Kéo file vào đây hoặc bấm để chọn file',
  importFormats: 'JSON, CSV (UTF-8) hoặc XLSX',
  chooseFile: 'Chọn file để nhập',
  template: 'Tải file mẫu (CSV)',
  uploading: 'Đang tải file lên',
  processing: 'Đang xử lý',
  phase: {
    reading: (n: string) => `Đang đọc file: ${n} dòng`,
    checking: (n: string) => `Đang kiểm tra ${n} dòng`,
    writing: (n: string) => `Đang ghi ${n} dòng`,
    done: 'Hoàn tất',
  },
  backgroundHint: 'Có thể rời trang này: việc nhập vẫn tiếp tục, quay lại bằng đường dẫn này để xem kết quả.',
  importDone: 'Đã nhập xong',
  importFailed: 'Không nhập được: không có đơn vị nào được ghi',
  rowErrors: (rows: number, problems: number) => `${problems} lỗi ở ${rows} dòng. Sửa file rồi nhập lại.`,
  created: 'Tạo mới',
  updated: 'Cập nhật',
  unchanged: 'Không thay đổi',
  row: 'Dòng',
  field: 'Cột',
  reason: 'Lỗi',
  errorsTable: 'Các dòng lỗi',
  importAgain: 'Nhập file khác',
  wrongFileType: 'Chỉ nhận file .json, .csv hoặc .xlsx',
  jsonUnreadable: 'File JSON không đọc được (cần một mảng các đơn vị)',
  adminOnly: 'Trang này dành cho quản trị viên',
} as const;

/** Import columns (and the other names an import refusal may point at) in Vietnamese. */
export const IMPORT_FIELD: Record<string, string> = {
  code: 'Mã đơn vị (code)',
  name: 'Tên đơn vị (name)',
  tier: 'Cấp (tier)',
  parentCode: 'Mã đơn vị cấp trên (parentCode)',
  contactEmails: 'Email liên hệ (contactEmails)',
  committeeName: 'Tên cấp ủy (committeeName)',
  congressType: 'Loại đại hội (congressType)',
  pilot: 'Đại hội điểm (pilot)',
  row: 'Dòng',
  rows: 'Các dòng',
  file: 'File',
  body: 'Nội dung gửi lên',
};

const TIER_VI: Record<string, string> = {
  central: 'central (Trung ương)',
  province: 'province (tỉnh)',
  district: 'district (huyện)',
  grassroots: 'grassroots (cơ sở)',
  cell: 'cell (chi bộ)',
};
const tierVi = (t: string) => TIER_VI[t] ?? t;

/** One reason of an import refusal (unit-import.rows.ts, unit-import.service.ts) in Vietnamese; an unknown one says so plainly. */
export function importReason(reason: string | undefined): string {
  if (!reason) return 'Không hợp lệ';
  let m: RegExpExecArray | null;
  if (reason === 'is required') return 'Bắt buộc phải nhập';
  if (reason === 'unknown field') return 'Cột không có trong mẫu';
  if (reason.startsWith('must be an object')) return 'Dòng không đúng dạng: cần các cột code, name, tier, parentCode';
  if (reason.startsWith('must be 1-64 letters')) return 'Mã gồm 1–64 chữ cái không dấu, chữ số, ".", "_" hoặc "-"';
  if ((m = /^must be at most (\d+) characters/.exec(reason))) return `Không được dài quá ${m[1]} ký tự`;
  if (reason.startsWith('must be one of')) return `Cấp phải là một trong: ${Object.keys(TIER_VI).join(', ')}`;
  if (reason === 'must be empty or a unit code') return 'Để trống (đơn vị gốc) hoặc ghi mã đơn vị cấp trên';
  if ((m = /^"(.*)" is not an email address$/.exec(reason))) return `"${m[1]}" không phải địa chỉ email`;
  if ((m = /^duplicate code (\S+) \(first at row (\d+)\)$/.exec(reason))) return `Mã ${m[1]} bị trùng (đã có ở dòng ${m[2]})`;
  if ((m = /^(\S+) is the root unit and has no parent$/.exec(reason))) return `${m[1]} là đơn vị gốc, không có đơn vị cấp trên`;
  if (reason.startsWith('the tree is empty')) return 'Chưa có đơn vị gốc: một dòng phải để trống mã đơn vị cấp trên';
  if (reason.startsWith('only one unit can be the root')) return 'Chỉ một đơn vị được là đơn vị gốc (để trống mã đơn vị cấp trên)';
  if (reason === 'a unit cannot be its own parent') return 'Đơn vị không thể là cấp trên của chính nó';
  if ((m = /^unknown parent (\S+):/.exec(reason))) return `Không tìm thấy đơn vị cấp trên ${m[1]} (không có trong file và trong hệ thống)`;
  if ((m = /^tier (\S+) must be below its parent's tier (\S+)$/.exec(reason)))
    return `Cấp ${tierVi(m[1])} phải thấp hơn cấp của đơn vị cấp trên (${tierVi(m[2])})`;
  if ((m = /^tier (\S+) must be above its existing child (\S+) \((\S+)\)$/.exec(reason)))
    return `Cấp ${tierVi(m[1])} phải cao hơn cấp của đơn vị trực thuộc ${m[2]} (${tierVi(m[3])})`;
  if ((m = /^parent cycle: (.*)$/.exec(reason))) return `Vòng lặp đơn vị cấp trên: ${m[1]}`;
  if ((m = /^its parent chain leads into a cycle \((.*)\)$/.exec(reason))) return `Chuỗi đơn vị cấp trên dẫn vào vòng lặp (${m[1]})`;
  if ((m = /^unit (\S+) would be outside your unit's subtree$/.exec(reason))) return `Đơn vị ${m[1]} nằm ngoài phạm vi đơn vị của bạn`;
  if ((m = /^(\d+) problems on (\d+) rows in all; only the first (\d+) are listed$/.exec(reason)))
    return `Tổng cộng ${m[1]} lỗi ở ${m[2]} dòng; chỉ liệt kê ${m[3]} lỗi đầu`;
  if (reason.startsWith('the file could not be read')) return 'Không đọc được file (file hỏng hoặc sai định dạng)';
  if (reason.startsWith('must be a .csv or .xlsx')) return 'Chỉ nhận file .json, .csv hoặc .xlsx';
  if (reason === 'the import has no rows') return 'File không có dòng nào';
  if (reason.startsWith('must be a JSON array')) return 'Cần một mảng JSON các đơn vị, hoặc file CSV/XLSX';
  if (reason.startsWith('the body is not a valid multipart')) return 'File tải lên không hợp lệ';
  return 'Không hợp lệ';
}

/** What each import column holds (the help of /admin/import; README "Importing units"). */
export const IMPORT_COLUMNS: { column: string; required: boolean; meaning: string }[] = [
  { column: 'code', required: true, meaning: 'mã đơn vị, không trùng (ví dụ mã thống kê); đơn vị có mã đã tồn tại được cập nhật' },
  { column: 'name', required: true, meaning: 'tên đơn vị (tổ chức đảng), tối đa 300 ký tự' },
  { column: 'tier', required: true, meaning: 'cấp: central, province, district, grassroots hoặc cell; thấp hơn cấp của đơn vị cấp trên' },
  {
    column: 'parentCode',
    required: false,
    meaning: 'mã đơn vị cấp trên, có trong file hoặc đã có trong hệ thống; để trống: gắn vào đơn vị gốc',
  },
  { column: 'contactEmails', required: false, meaning: 'email liên hệ, cách nhau bởi dấu phẩy, dấu chấm phẩy hoặc khoảng trắng' },
  {
    column: 'congressType',
    required: false,
    meaning:
      'hình thức đại hội do cấp trên quyết định: full (đại hội 4 nội dung), three_contents (3 nội dung: không bầu cấp ủy), two_contents (2 nội dung: không bầu cấp ủy, không bầu đại biểu dự đại hội cấp trên); để trống: giữ giá trị đang lưu (đơn vị mới: full)',
  },
  {
    column: 'pilot',
    required: false,
    meaning: 'đại hội điểm: true hoặc false (cũng nhận 1/0, có/không); để trống: giữ giá trị đang lưu (đơn vị mới: false)',
  },
  {
    column: 'committeeName',
    required: false,
    meaning:
      'tên cấp ủy đứng tên đơn vị, dùng để gửi thư (ví dụ "Huyện ủy Vũ Thư"); để trống thì hệ thống suy ra từ tên đơn vị ("Đảng bộ huyện Vũ Thư" → "Huyện ủy Vũ Thư")',
  },
];

/** The template people fill in: every import column, with example rows (UTF-8 with BOM so Excel reads the accents). */
export const TEMPLATE_CSV =
  '\uFEFFcode,name,tier,parentCode,contactEmails,congressType,pilot,committeeName\r\n' +
  '344,Đảng bộ huyện Vũ Thư,district,,vanphong.vuthu@example.vn,full,false,Huyện ủy Vũ Thư\r\n' +
  '12433,Đảng bộ xã Vũ Hội,grassroots,344,,full,true,\r\n' +
  '12433-05,Chi bộ thôn Phú Mỹ,cell,12433,,three_contents,false,\r\n';

export const U = {
  title: 'Quản lý người dùng',
  add: 'Thêm người dùng',
  search: 'Tìm người dùng',
  searchPlaceholder: 'Tìm theo tên hoặc email',
  name: 'Họ và tên',
  email: 'Email',
  password: 'Mật khẩu',
  passwordHint: 'Ít nhất 10 ký tự, không dùng mật khẩu phổ biến hay chính email',
  role: 'Vai trò',
  roleOf: (name: string) => `Vai trò của ${name}`,
  unit: 'Đơn vị',
  unitPick: 'Chọn đơn vị (gõ tên hoặc mã)',
  state: 'Trạng thái',
  active: 'Đang hoạt động',
  disabled: 'Đã khóa',
  disable: 'Khóa tài khoản',
  enable: 'Mở khóa',
  you: '(bạn)',
  created: 'Đã thêm người dùng',
  roleChanged: (name: string, role: string) => `Đã đổi vai trò của ${name} thành ${role}`,
  disabledDone: (name: string) => `Đã khóa tài khoản ${name}`,
  enabledDone: (name: string) => `Đã mở khóa tài khoản ${name}`,
  empty: 'Chưa có người dùng nào',
  count: (n: string) => `${n} người dùng`,
  required: (label: string) => `Vui lòng nhập ${label.toLowerCase()}`,
  emailInvalid: 'Email không hợp lệ',
  passwordShort: 'Mật khẩu phải có ít nhất 10 ký tự',
  disableConfirm: (name: string) => `Khóa tài khoản ${name}? Người này sẽ không đăng nhập được nữa.`,
} as const;

/** Fields of the user forms, for the API's validation details. */
export const USER_FIELD: Record<string, string> = {
  email: U.email,
  name: U.name,
  password: U.password,
  role: U.role,
  unitId: U.unit,
  disabled: U.state,
};

export const P = {
  plansTitle: 'Kế hoạch đại hội',
  planTitle: (name: string) => `Kế hoạch: ${name}`,
  code: 'Mã',
  name: 'Tên kế hoạch',
  status: 'Trạng thái',
  statusOf: { draft: 'Dự thảo', active: 'Đang thực hiện' } as Record<string, string>,
  open: 'Mở',
  stepsTitle: '15 bước và thời hạn theo cấp',
  stepNo: 'Bước',
  stepTitle: 'Nội dung',
  edit: (no: number) => `Sửa hạn bước ${no}`,
  notApplied: 'Không áp dụng',
  milestone: (title: string, rule: string) => `Mốc: ${title} (${rule})`,
  appliesTo: 'Cấp áp dụng',
  editAppliesTo: (no: number) => `Sửa cấp áp dụng bước ${no}`,
  appliesToTitle: (no: number, title: string) => `Cấp áp dụng bước ${no}: ${title}`,
  appliesToHint:
    'Đơn vị thuộc cấp được thêm sẽ có bước này ngay; đơn vị thuộc cấp bị bỏ sẽ không còn bước này nếu chưa bắt đầu (nếu đã thực hiện, không thể bỏ cấp đó).',
  appliesToEmpty: 'Chọn ít nhất một cấp',
  appliesToSaved: (no: number) => `Đã lưu cấp áp dụng bước ${no}`,
  editTitle: (no: number, title: string) => `Sửa thời hạn bước ${no}: ${title}`,
  kind: (tier: string) => `Cách tính hạn (${tier})`,
  kindDate: 'Ngày cố định',
  kindOffset: 'Theo ngày đại hội',
  date: (tier: string) => `Ngày hạn (${tier})`,
  days: (tier: string) => `Số ngày so với ngày đại hội (${tier})`,
  daysHint: 'Số âm: trước ngày đại hội',
  workingDays: (tier: string) => `Tính ngày làm việc (${tier})`,
  workingDaysShort: 'Ngày làm việc',
  before: (n: number, working: boolean) => `${working ? `${n} ngày làm việc` : `${n} ngày`} trước đại hội`,
  after: (n: number, working: boolean) => `${working ? `${n} ngày làm việc` : `${n} ngày`} sau đại hội`,
  onCongress: 'Ngày đại hội',
  fixed: (d: string) => `Ngày ${d}`,
  noRule: '—',
  preview: 'Xem trước ảnh hưởng',
  previewResult: (moved: string, open: string) => `${moved} trong ${open} bước đang mở sẽ đổi hạn`,
  previewDetail: (earlier: string, later: string) => `${earlier} bước sớm hơn, ${later} bước muộn hơn`,
  previewNone: 'Không bước đang mở nào đổi hạn',
  previewExamples: 'Một số đơn vị đổi hạn',
  from: 'Hạn hiện tại',
  to: 'Hạn mới',
  previewFirst: 'Bấm "Xem trước ảnh hưởng" trước khi lưu',
  saved: (no: number) => `Đã lưu thời hạn bước ${no} và cập nhật hạn các bước đang mở`,
  dateInvalid: 'Ngày không hợp lệ (dd/mm/yyyy)',
  daysInvalid: 'Nhập số nguyên từ -730 đến 730',
  empty: 'Chưa có kế hoạch nào',
} as const;

export const H = {
  title: 'Lịch ngày nghỉ lễ',
  hint:
    'Ngày nghỉ không được tính là ngày làm việc; ngày làm bù (thứ Bảy, Chủ nhật đi làm) được tính là ngày làm việc. ' +
    'Hạn tính theo ngày dương lịch hoặc ngày cố định rơi vào ngày nghỉ được lùi sang ngày làm việc kế tiếp. ' +
    'Hạn của các bước đang mở được tính lại khi lịch thay đổi.',
  coverage: (first: number | null, last: number | null) =>
    first === null || last === null
      ? 'Lịch chưa có năm nào: chưa tính được hạn theo lịch.'
      : `Lịch đã có các năm ${first}–${last}. Hạn rơi ngoài các năm này sẽ bị từ chối: hãy nhập lịch năm mới trước.`,
  year: 'Năm',
  date: 'Ngày',
  weekday: 'Thứ',
  name: 'Tên ngày',
  kind: 'Loại',
  kindOf: { holiday: 'Ngày nghỉ', workday: 'Ngày làm bù' } as Record<string, string>,
  kindOfDay: (d: string) => `Loại ngày ${d}`,
  add: 'Thêm ngày',
  remove: (d: string) => `Xóa ngày ${d}`,
  removeShort: 'Xóa',
  added: (d: string, kind: string) => `Đã thêm ${kind === 'workday' ? 'ngày làm bù' : 'ngày nghỉ'} ${d}`,
  changed: (d: string, kind: string) => `Đã đổi ngày ${d} thành ${kind === 'workday' ? 'ngày làm bù' : 'ngày nghỉ'}`,
  removed: (d: string) => `Đã xóa ngày ${d}`,
  empty: 'Chưa có ngày nghỉ hay ngày làm bù nào trong năm',
  count: (n: string) => `${n} ngày`,
  dateInvalid: 'Ngày không hợp lệ (dd/mm/yyyy)',
  nameRequired: 'Vui lòng nhập tên ngày',
} as const;

export const WEEKDAY = ['Chủ nhật', 'Thứ hai', 'Thứ ba', 'Thứ tư', 'Thứ năm', 'Thứ sáu', 'Thứ bảy'];
