import { Injectable, StreamableFile } from '@nestjs/common';
import type { AuthUser } from '@app/auth';
import { DomainError } from '@app/core';
import { UnitRow, UnitsRepository } from '@app/org';
import { ContentsService } from './contents.service';
import {
  ContentsQuery,
  ContentsReportDto,
  OverdueReportDto,
  OverdueQuery,
  ProgressQuery,
  ProgressReportDto,
  ProgressRowDto,
} from './dto/reports.dto';
import { Column, CsvSeparator, exportFile, ExportMeta } from './export';
import { pilotSuffix, pilotTitle, STATUS_VI } from './labels';
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

const STATUS_FIELDS = ['notStarted', 'inProgress', 'awaitingApproval', 'returned', 'completed', 'skipped', 'closed'] as const;

/** Long format: one row per group and step. */
const PROGRESS_COLUMNS: Column<ProgressLine>[] = [
  { header: 'Mã', value: (r) => r.key, width: 14 },
  { header: 'Tên', value: (r) => r.name, width: 40 },
  { header: 'Số đơn vị', value: (r) => r.units, type: 'number' },
  { header: 'Hoàn thành tất cả các bước', value: (r) => r.completedAllSteps, type: 'number' },
  { header: 'Bước', value: (r) => r.no, width: 8, type: 'number' },
  ...STATUS_FIELDS.map((field, i) => ({
    header: Object.values(STATUS_VI)[i],
    value: (r: ProgressLine) => r.counts[field],
    type: 'number' as const,
    total: 'sum' as const,
  })),
  { header: 'Quá hạn', value: (r) => r.counts.overdue, type: 'number', total: 'sum' },
];

const STEP_COUNT = 15;
const finished = (s: ProgressRowDto['steps'][number]) => s.completed + s.skipped;

/** Wide format: one row per group (child unit or tier), one column per step (units that finished it). */
const PROGRESS_WIDE_COLUMNS = (parent: string | null): Column<ProgressRowDto>[] => [
  { header: 'Mã', value: (r) => r.key, width: 14 },
  { header: 'Tên', value: (r) => r.name, width: 40 },
  ...(parent === null ? [] : [{ header: 'Đơn vị cấp trên', value: () => parent, width: 30 }]),
  { header: 'Số đơn vị', value: (r) => r.units, type: 'number', total: 'sum' },
  { header: 'Hoàn thành tất cả các bước', value: (r) => r.completedAllSteps, type: 'number', total: 'sum' },
  {
    header: 'Tỷ lệ hoàn thành tất cả các bước',
    value: (r) => (r.units > 0 ? Math.round((r.completedAllSteps * 10_000) / r.units) / 100 : null),
    type: 'percent',
  },
  ...Array.from({ length: STEP_COUNT }, (_, i) => ({
    header: `Bước ${i + 1}: đã xong`,
    value: (r: ProgressRowDto) => (r.steps[i] ? finished(r.steps[i]) : 0),
    type: 'number' as const,
    total: 'sum' as const,
    width: 10,
  })),
  { header: 'Số bước quá hạn', value: (r) => r.steps.reduce((n, s) => n + s.overdue, 0), type: 'number', total: 'sum' },
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
    const report = await this.progressReport.progress(root, q.groupBy, q.includeClosed ?? false, q.pilot ?? null);
    if (q.format === 'json') return report;
    const meta: ExportMeta = {
      name: `tien-do-${root.code}${q.layout === 'wide' ? '-bang-ngang' : ''}${pilotSuffix(q.pilot)}`,
      title: `Tiến độ chuẩn bị đại hội ${q.groupBy === 'tier' ? 'theo cấp' : 'theo đơn vị trực thuộc'}${pilotTitle(q.pilot)}`,
      subtree: `${root.name} (${root.code})`,
      asOf: report.asOf,
    };
    if (q.layout === 'wide') {
      return exportFile(
        q.format,
        meta,
        PROGRESS_WIDE_COLUMNS(q.groupBy === 'child' ? root.name : null),
        iterate(report.rows),
        separator(q.sep),
      );
    }
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
    return exportFile(q.format, meta, PROGRESS_COLUMNS, iterate(lines), separator(q.sep));
  }

  async contents(user: AuthUser, q: ContentsQuery): Promise<ContentsReportDto | StreamableFile> {
    const root = await this.root(user, q.rootId);
    return q.format === 'json' ? this.contentsReport.report(root, q) : this.contentsReport.export(root, q, q.format, separator(q.sep));
  }

  async overdue(user: AuthUser, q: OverdueQuery): Promise<OverdueReportDto | StreamableFile> {
    const root = await this.root(user, q.rootId);
    return q.format === 'json'
      ? this.overdueReport.report(root, q.page, q.pageSize, {
          pilot: q.pilot ?? null,
          sort: q.sort ? { column: q.sort, order: q.order ?? 'asc' } : undefined,
          stepNo: q.stepNo ?? null,
        })
      : this.overdueReport.export(root, q.format, separator(q.sep), { pilot: q.pilot ?? null, stepNo: q.stepNo ?? null });
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

const separator = (sep: string): CsvSeparator => (sep === 'semicolon' || sep === ';' ? ';' : ',');

async function* iterate<T>(rows: T[]): AsyncIterable<T> {
  yield* rows;
}
