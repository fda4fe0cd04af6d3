import { describe, expect, it } from 'vitest';
import { bulkOutcomes } from './BulkPanel';

describe('bulk results', () => {
  it('says per unit done or why not, in Vietnamese', () => {
    const names = new Map([
      [1, 'Chi bộ thôn 1'],
      [2, 'Chi bộ thôn 2'],
    ]);
    expect(
      bulkOutcomes(
        [
          { unitId: 1, stepNo: 1, ok: true },
          { unitId: 2, stepNo: 1, ok: false, code: 'VERSION_CONFLICT' },
          { unitId: 3, stepNo: 1, ok: false, code: 'FORBIDDEN_SCOPE' },
        ],
        names,
      ),
    ).toEqual([
      { unitId: 1, name: 'Chi bộ thôn 1', ok: true, text: 'Đã thực hiện' },
      { unitId: 2, name: 'Chi bộ thôn 2', ok: false, text: 'Bước này vừa được người khác cập nhật' },
      { unitId: 3, name: '3', ok: false, text: 'Bạn không có quyền thực hiện thao tác này với đơn vị này' },
    ]);
  });
});
