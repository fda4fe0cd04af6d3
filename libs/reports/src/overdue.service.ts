import { Injectable, StreamableFile } from '@nestjs/common';
import { Clock } from '@app/core';
import type { UnitRow } from '@app/org';
import { OverdueItemDto, OverdueReportDto } from './dto/reports.dto';
import { Column, CsvSeparator, exportFile, pages } from './export';
import { pilotSuffix, pilotTitle, STATUS_VI, TIER_VI } from './labels';
import { ProgressService } from './progress.service';
import { BUCKET_DEPTH, OVERDUE_FIRST, OverdueFilter, ReportsRepository } from './reports.repository';

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

  /**
   * One page, oldest due date first, or sorted by a whitelisted column over all pages; one step's only
   * with `stepNo`; pilot units only (pilot true), the main wave only (false), every unit (null).
   */
  async report(root: UnitRow, page: number, pageSize: number, filter: OverdueFilter = {}): Promise<OverdueReportDto> {
    const { pilot = null, sort, stepNo = null } = filter;
    const today = this.clock.today();
    // The counters do not tell pilots apart: with the filter the total is counted directly.
    const fromCounters = root.depth <= BUCKET_DEPTH && pilot === null;
    if (fromCounters) await this.progress.rollOverdue(today);
    const [total, items, approvalsOverdue, milestonesOverdue] = await Promise.all([
      fromCounters ? this.reports.overdueCountFromCounters(root.path, stepNo) : this.reports.overdueCount(root.path, today, pilot, stepNo),
      this.reports.overduePage(root.path, today, OVERDUE_FIRST, pageSize, (page - 1) * pageSize, { pilot, sort, stepNo }),
      this.reports.approvalsOverdue(root.path, today, APPROVALS_OVERDUE_MAX, pilot),
      this.reports.milestonesOverdue(root.path, today, APPROVALS_OVERDUE_MAX, pilot),
    ]);
    return { total, items, approvalsOverdue, milestonesOverdue };
  }

  export(root: UnitRow, format: 'csv' | 'xlsx', sep: CsvSeparator = ',', filter: Omit<OverdueFilter, 'sort'> = {}): StreamableFile {
    const { pilot = null, stepNo = null } = filter;
    const today = this.clock.today();
    const rows = pages<OverdueItemDto>((after) =>
      this.reports.overduePage(root.path, today, after ? [after.dueDate, after.unitId, after.stepNo] : OVERDUE_FIRST, EXPORT_PAGE, 0, {
        pilot,
        stepNo,
      }),
    );
    const meta = {
      name: `danh-sach-qua-han-${root.code}${pilotSuffix(pilot)}`,
      title: `Danh sách đơn vị quá hạn${pilotTitle(pilot)}`,
      subtree: `${root.name} (${root.code})`,
      asOf: today,
    };
    return exportFile(format, meta, COLUMNS, rows, sep);
  }
}
