import { Injectable, StreamableFile } from '@nestjs/common';
import { Clock, DomainError } from '@app/core';
import type { UnitRow } from '@app/org';
import { OverdueItemDto, OverdueReportDto } from './dto/reports.dto';
import { Column, CsvSeparator, exportFile, pages, XLSX_MAX_DATA_ROWS } from './export';
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
    const [total, items, approvalsOverdue, milestonesOverdue] = await Promise.all([
      this.total(root, today, pilot, stepNo),
      this.reports.overduePage(root.path, today, OVERDUE_FIRST, pageSize, (page - 1) * pageSize, { pilot, sort, stepNo }),
      this.reports.approvalsOverdue(root.path, today, APPROVALS_OVERDUE_MAX, pilot),
      this.reports.milestonesOverdue(root.path, today, APPROVALS_OVERDUE_MAX, pilot),
    ]);
    return { total, items, approvalsOverdue, milestonesOverdue };
  }

  /** The overdue steps under the root: from the counters where they answer, else counted directly. */
  private async total(root: UnitRow, today: string, pilot: boolean | null, stepNo: number | null): Promise<number> {
    // The counters do not tell pilots apart: with the filter the total is counted directly.
    if (root.depth > BUCKET_DEPTH || pilot !== null) return this.reports.overdueCount(root.path, today, pilot, stepNo);
    await this.progress.rollOverdue(today);
    return this.reports.overdueCountFromCounters(root.path, stepNo);
  }

  async export(
    root: UnitRow,
    format: 'csv' | 'xlsx',
    sep: CsvSeparator = ',',
    filter: Omit<OverdueFilter, 'sort'> = {},
  ): Promise<StreamableFile> {
    const { pilot = null, stepNo = null } = filter;
    const today = this.clock.today();
    // An XLSX sheet holds 1,048,576 rows: a list that does not fit is refused before the file starts
    // (a national list late in the campaign can be millions of steps), with the way out.
    if (format === 'xlsx') {
      const total = await this.total(root, today, pilot, stepNo);
      if (total > XLSX_MAX_DATA_ROWS) {
        throw DomainError.validation(
          [
            {
              field: 'format',
              reason: `danh sách có ${total.toLocaleString('vi-VN')} dòng, quá số dòng một trang tính XLSX chứa được (${XLSX_MAX_DATA_ROWS.toLocaleString('vi-VN')}): hãy tải CSV, hoặc chọn đơn vị nhỏ hơn hay một bước`,
            },
          ],
          'Danh sách quá dài cho một tệp XLSX',
        );
      }
    }
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
