import { Injectable, StreamableFile } from '@nestjs/common';
import type { AuthUser } from '@app/auth';
import { DomainError } from '@app/core';
import { UnitRow, UnitsRepository } from '@app/org';
import { ContentsService } from './contents.service';
import { ContentsQuery, ContentsReportDto, OverdueReportDto, PagedReportQuery, ProgressQuery, ProgressReportDto } from './dto/reports.dto';
import { Column, exportFile } from './export';
import { STATUS_VI } from './labels';
import { OverdueService } from './overdue.service';
import { ProgressService } from './progress.service';

interface ProgressLine {
  key: string;
  name: string;
  units: number;
  completedAllSteps: number;
  no: number;
  counts: Record<string, number>;
}

const PROGRESS_COLUMNS: Column<ProgressLine>[] = [
  { header: 'Mã', value: (r) => r.key, width: 14 },
  { header: 'Tên', value: (r) => r.name, width: 40 },
  { header: 'Số đơn vị', value: (r) => r.units },
  { header: 'Hoàn thành tất cả các bước', value: (r) => r.completedAllSteps },
  { header: 'Bước', value: (r) => r.no, width: 8 },
  ...(['notStarted', 'inProgress', 'awaitingApproval', 'returned', 'completed', 'skipped', 'closed'] as const).map((field, i) => ({
    header: Object.values(STATUS_VI)[i],
    value: (r: ProgressLine) => r.counts[field],
  })),
  { header: 'Quá hạn', value: (r) => r.counts.overdue },
];

/** The reports, each for the subtree of a root the caller may see (the guard checks rootId). */
@Injectable()
export class ReportsService {
  constructor(
    private readonly units: UnitsRepository,
    private readonly progressReport: ProgressService,
    private readonly contentsReport: ContentsService,
    private readonly overdueReport: OverdueService,
  ) {}

  async progress(user: AuthUser, q: ProgressQuery): Promise<ProgressReportDto | StreamableFile> {
    const root = await this.root(user, q.rootId);
    const report = await this.progressReport.progress(root, q.groupBy, q.includeClosed ?? false);
    if (q.format === 'json') return report;
    const lines = report.rows.flatMap((r) =>
      r.steps.map((s) => ({
        key: r.key,
        name: r.name,
        units: r.units,
        completedAllSteps: r.completedAllSteps,
        no: s.no,
        counts: { ...s },
      })),
    );
    return exportFile(q.format, `tien-do-${root.code}`, PROGRESS_COLUMNS, iterate(lines));
  }

  async contents(user: AuthUser, q: ContentsQuery): Promise<ContentsReportDto | StreamableFile> {
    const root = await this.root(user, q.rootId);
    return q.format === 'json' ? this.contentsReport.report(root, q) : this.contentsReport.export(root, q, q.format);
  }

  async overdue(user: AuthUser, q: PagedReportQuery): Promise<OverdueReportDto | StreamableFile> {
    const root = await this.root(user, q.rootId);
    return q.format === 'json' ? this.overdueReport.report(root, q.page, q.pageSize) : this.overdueReport.export(root, q.format);
  }

  private async root(user: AuthUser, rootId?: number): Promise<UnitRow> {
    const root = await this.units.findById(rootId ?? user.unitId);
    if (!root) throw DomainError.notFound('Unit', rootId);
    // Again here, not only in the guard: the guard reads the raw query and skips ids it cannot parse ("5.0", "+5").
    if (!root.path.startsWith(user.unitPath)) {
      throw new DomainError('FORBIDDEN_SCOPE', `Unit ${root.id} is outside your unit's subtree`, { unitId: root.id });
    }
    return root;
  }
}

async function* iterate<T>(rows: T[]): AsyncIterable<T> {
  yield* rows;
}
