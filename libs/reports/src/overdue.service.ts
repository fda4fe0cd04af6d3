import { Injectable, StreamableFile } from '@nestjs/common';
import { Clock } from '@app/core';
import type { UnitRow } from '@app/org';
import { OverdueItemDto, OverdueReportDto, OverdueSort } from './dto/reports.dto';
import { Column, CsvSeparator, exportFile, pages } from './export';
import { STATUS_VI, TIER_VI } from './labels';
import { ProgressService } from './progress.service';
import { BUCKET_DEPTH, OVERDUE_FIRST, PageSort, ReportsRepository } from './reports.repository';

const EXPORT_PAGE = 5000;
const APPROVALS_OVERDUE_MAX = 1000;

const COLUMNS: Column<OverdueItemDto>[] = [
  { header: 'Mã đơn vị', value: (r) => r.code, width: 14 },
  { header: 'Tên đơn vị', value: (r) => r.name, width: 40, total: 'count' },
  { header: 'Đơn vị cấp trên', value: (r) => r.parentName, width: 36 },
  { header: 'Cấp', value: (r) => TIER_VI[r.tier] },
  { header: 'Bước', value: (r) => r.stepNo, width: 8, type: 'number' },
  { header: 'Nội dung bước', value: (r) => r.title, width: 50 },
  { header: 'Hạn hoàn thành', value: (r) => r.dueDate, type: 'date' },
  { header: 'Số ngày quá hạn', value: (r) => r.daysOverdue, type: 'number' },
  { header: 'Trạng thái', value: (r) => STATUS_VI[r.status] ?? r.status, width: 26 },
];

/** Open steps past their due date, oldest first: who is behind, on which step. */
@Injectable()
export class OverdueService {
  constructor(
    private readonly reports: ReportsRepository,
    private readonly progress: ProgressService,
    private readonly clock: Clock,
  ) {}

  /** One page, oldest due date first, or sorted by a whitelisted column over all pages; one step's only with `stepNo`. */
  async report(root: UnitRow, page: number, pageSize: number, sort?: PageSort<OverdueSort>, stepNo?: number): Promise<OverdueReportDto> {
    const today = this.clock.today();
    const fromCounters = root.depth <= BUCKET_DEPTH;
    if (fromCounters) await this.progress.rollOverdue(today);
    const step = stepNo ?? null;
    const [total, items, approvalsOverdue] = await Promise.all([
      fromCounters ? this.reports.overdueCountFromCounters(root.path, step) : this.reports.overdueCount(root.path, today, step),
      this.reports.overduePage(root.path, today, OVERDUE_FIRST, pageSize, (page - 1) * pageSize, sort, step),
      this.reports.approvalsOverdue(root.path, today, APPROVALS_OVERDUE_MAX),
    ]);
    return { total, items, approvalsOverdue };
  }

  export(root: UnitRow, format: 'csv' | 'xlsx', sep: CsvSeparator = ',', stepNo?: number): StreamableFile {
    const today = this.clock.today();
    const rows = pages<OverdueItemDto>((after) =>
      this.reports.overduePage(
        root.path,
        today,
        after ? [after.dueDate, after.unitId, after.stepNo] : OVERDUE_FIRST,
        EXPORT_PAGE,
        0,
        undefined,
        stepNo ?? null,
      ),
    );
    const meta = {
      name: `danh-sach-qua-han-${root.code}`,
      title: 'Danh sách đơn vị quá hạn',
      subtree: `${root.name} (${root.code})`,
      asOf: today,
    };
    return exportFile(format, meta, COLUMNS, rows, sep);
  }
}
