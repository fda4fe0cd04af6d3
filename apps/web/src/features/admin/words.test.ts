import { describe, expect, it } from 'vitest';
import { importReason } from './words';

describe('importReason: the API import refusals in Vietnamese', () => {
  it.each([
    ['is required', 'Bắt buộc phải nhập'],
    [
      'must be one of central, province, district, grassroots, cell',
      'Cấp phải là một trong: central, province, district, grassroots, cell',
    ],
    ['duplicate code X1 (first at row 2)', 'Mã X1 bị trùng (đã có ở dòng 2)'],
    ['unknown parent ZZ: not in the file nor among the units', 'Không tìm thấy đơn vị cấp trên ZZ (không có trong file và trong hệ thống)'],
    ["tier district must be below its parent's tier cell", 'Cấp district (huyện) phải thấp hơn cấp của đơn vị cấp trên (cell (chi bộ))'],
    ['"abc" is not an email address', '"abc" không phải địa chỉ email'],
    ['parent cycle: A → B → A', 'Vòng lặp đơn vị cấp trên: A → B → A'],
    ["unit Q1 would be outside your unit's subtree", 'Đơn vị Q1 nằm ngoài phạm vi đơn vị của bạn'],
    ['2000 problems on 1500 rows in all; only the first 1000 are listed', 'Tổng cộng 2000 lỗi ở 1500 dòng; chỉ liệt kê 1000 lỗi đầu'],
  ])('%s', (reason, vi) => expect(importReason(reason)).toBe(vi));

  it('an unknown reason is never shown in English', () => {
    expect(importReason('something new the API says')).toBe('Không hợp lệ');
    expect(importReason(undefined)).toBe('Không hợp lệ');
  });
});
