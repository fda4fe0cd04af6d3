import { describe, expect, it } from 'vitest';
import { ApiError, codeMessage, errorMessage, fieldLabel } from './errors';
import { ERROR } from './vi';

describe('API errors in Vietnamese', () => {
  it('has a message for every code of API.md, the session and the network', () => {
    for (const code of [
      'VALIDATION_FAILED',
      'UNAUTHENTICATED',
      'FORBIDDEN_SCOPE',
      'NOT_FOUND',
      'INVALID_TRANSITION',
      'PREREQUISITES_PENDING',
      'VERSION_CONFLICT',
      'CONTENTS_MISSING',
      'RATE_LIMITED',
      'UNIT_CLOSED',
      'CALENDAR_NOT_COVERED',
      'PAYLOAD_TOO_LARGE',
      'UNSUPPORTED_MEDIA_TYPE',
      'CSRF_FAILED',
      'INTERNAL',
      'NETWORK',
    ]) {
      expect(ERROR[code], code).toBeTruthy();
      expect(errorMessage(new ApiError(400, code, 'English text'))).toBe(ERROR[code]);
    }
  });

  it('names the year the holiday calendar lacks', () => {
    expect(errorMessage(new ApiError(409, 'CALENDAR_NOT_COVERED', 'x', { year: 2027 }))).toContain('Lịch ngày nghỉ chưa có năm 2027');
  });

  it('says a stale version in the words of UI.md', () => {
    expect(errorMessage(new ApiError(409, 'VERSION_CONFLICT', 'stale', { currentVersion: 3 }))).toBe(
      'Bước này vừa được người khác cập nhật',
    );
  });

  it('names each invalid field in Vietnamese', () => {
    const e = new ApiError(400, 'VALIDATION_FAILED', 'Validation failed', [
      { field: 'note', reason: 'note should not be empty' },
      { field: 'committee.women', reason: 'must not exceed the committee size (9)' },
      { field: 'committee.minVotePct', reason: 'an elected member needs more than 50% of the votes' },
    ]);
    expect(errorMessage(e)).toBe(
      'Dữ liệu chưa hợp lệ: Lý do bắt buộc phải nhập; Số nữ không được lớn hơn số ủy viên được bầu (9); Tỷ lệ phiếu thấp nhất phải trên 50%',
    );
    expect(fieldLabel('contents.2.note')).toBe('Lý do');
  });

  it('says the congress record rules in Vietnamese: required, not given, outside the window, the format', () => {
    const e = new ApiError(400, 'VALIDATION_FAILED', 'Validation failed', [
      { field: 'committee.women', reason: 'women is required' },
      { field: 'committee.minVotePct', reason: 'an appointed committee has no vote figures: must not be given' },
      { field: 'heldOn', reason: 'must lie in the grassroots congress window 01/04/2025 – 30/06/2025' },
      { field: 'contents.2.status', reason: 'content 3 is not part of a three_contents congress: not_applicable only' },
    ]);
    expect(errorMessage(e)).toBe(
      'Dữ liệu chưa hợp lệ: Số nữ bắt buộc phải nhập; Tỷ lệ phiếu thấp nhất không nhập: đại hội không có nội dung này (cấp ủy do cấp trên chỉ định hoặc không bầu đại biểu); ' +
        'Ngày đại hội phải nằm trong thời hạn tổ chức đại hội của cấp mình; Trạng thái không thuộc loại đại hội do cấp trên quyết định: chỉ ghi "Không áp dụng"',
    );
    expect(errorMessage(new ApiError(409, 'CONTENTS_MISSING', '', { missing: [3], congressType: 'full' }))).toBe(
      'Nội dung 3 do cấp trên quyết định loại đại hội, đơn vị không tự miễn được',
    );
  });

  it('lists pending prerequisites and keeps the correlation id of an internal error', () => {
    expect(errorMessage(new ApiError(409, 'PREREQUISITES_PENDING', '', { pending: [1, 2] }))).toBe(
      'Các bước trước chưa hoàn thành: bước 1, 2',
    );
    expect(errorMessage(new ApiError(500, 'INTERNAL', '', { correlationId: 'abc' }))).toContain('abc');
  });

  it('falls back to a generic sentence, never to English', () => {
    expect(errorMessage(new ApiError(418, 'TEAPOT', 'I am a teapot'))).toBe(ERROR.UNKNOWN);
    expect(errorMessage(new TypeError('Failed to fetch'))).toBe(ERROR.NETWORK);
    expect(codeMessage('FORBIDDEN_SCOPE')).toBe(ERROR.FORBIDDEN_SCOPE);
  });
});
