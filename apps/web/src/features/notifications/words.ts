import type { Tone } from '../../components/Pill';
import type { NotificationKind, NotificationStatus } from './api';

/** The notification log's words (Vietnamese, with diacritics). */
export const N = {
  title: 'Nhật ký thông báo',
  intro: 'Các thư điện tử hệ thống đã gửi (hoặc chưa gửi được) cho các đơn vị trong phạm vi của bạn, mới nhất trước.',
  filterStatus: 'Lọc theo trạng thái',
  filterKind: 'Lọc theo loại thư',
  filterUnit: 'Lọc theo đơn vị',
  filterDays: 'Lọc theo ngày tạo',
  allStatuses: 'Mọi trạng thái',
  allKinds: 'Mọi loại thư',
  allUnits: 'Mọi đơn vị',
  clear: 'Xóa bộ lọc',
  reload: 'Tải lại',
  table: 'Bảng nhật ký thông báo',
  createdAt: 'Thời gian tạo',
  kind: 'Loại thư',
  unit: 'Đơn vị',
  noUnit: 'Không gắn đơn vị',
  recipients: 'Người nhận',
  more: (n: number) => `và ${n} người khác`,
  status: 'Trạng thái',
  attempts: 'Số lần gửi',
  sentAtText: (at: string) => `lúc ${at}`,
  error: 'Lỗi',
  actions: 'Thao tác',
  resend: 'Gửi lại',
  resendLabel: (unit: string) => `Gửi lại thư cho ${unit}`,
  resent: 'Đã đưa thư vào hàng đợi để gửi lại',
  notFailed: 'Thư này không còn ở trạng thái gửi thất bại',
  failedCount: (n: number) => `${n.toLocaleString('vi-VN')} thư gửi thất bại trên trang này`,
  empty: 'Không có thông báo nào khớp bộ lọc',
} as const;

export const KIND: Record<NotificationKind, string> = {
  reminder: 'Nhắc hạn',
  escalation: 'Báo quá hạn lên cấp trên',
  approval_overdue: 'Quá hạn phê duyệt',
  submitted: 'Trình duyệt',
  returned: 'Trả lại, đề nghị hoàn thiện',
  approved: 'Đã phê duyệt',
  digest: 'Tổng hợp ngày',
};

export const SEND_STATUS: Record<NotificationStatus, { text: string; tone: Tone }> = {
  pending: { text: 'Chờ gửi', tone: 'gold' },
  sending: { text: 'Đang gửi', tone: 'blue' },
  sent: { text: 'Đã gửi', tone: 'green' },
  failed: { text: 'Gửi thất bại', tone: 'red' },
  skipped: { text: 'Không gửi (không có người nhận)', tone: 'default' },
  digested: { text: 'Gộp vào thư tổng hợp ngày', tone: 'default' },
};
