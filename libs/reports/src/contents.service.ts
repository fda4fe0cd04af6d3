import { Injectable, StreamableFile } from '@nestjs/common';
import { contentsOutcome } from '@app/congress';
import type { UnitRow } from '@app/org';
import { ContentsItemDto, ContentsQuery, ContentsReportDto } from './dto/reports.dto';
import { Column, exportFile, pages } from './export';
import { CONTENT_VI, KIND_VI, TIER_VI } from './labels';
import { ContentsFilter, ReportsRepository } from './reports.repository';

interface Row extends ContentsItemDto {
  path: string;
}

const EXPORT_PAGE = 5000;
const pct = (part: number, whole: number) => (whole > 0 ? Math.round((part * 10_000) / whole) / 100 : null);

const COLUMNS: Column<Row>[] = [
  { header: 'Mã đơn vị', value: (r) => r.code, width: 14 },
  { header: 'Tên đơn vị', value: (r) => r.name, width: 40 },
  { header: 'Cấp', value: (r) => TIER_VI[r.tier] },
  { header: 'Ngày đại hội', value: (r) => r.heldOn.split('-').reverse().join('/') },
  { header: 'Hình thức', value: (r) => KIND_VI[r.kind] ?? r.kind },
  ...[1, 2, 3, 4].map((no) => ({
    header: `Nội dung ${no}`,
    value: (r: Row) => (r.contents[no - 1] ? CONTENT_VI[r.contents[no - 1]!] : 'Chưa ghi nhận'),
  })),
  { header: 'Số nội dung áp dụng', value: (r) => r.applicableContents },
  { header: 'Hoàn thành đủ nội dung', value: (r) => (r.completedAll ? 'Có' : 'Không') },
  { header: 'Nội dung còn thiếu', value: (r) => r.missing.join(', ') },
];

/** Which congresses were held under a root and whether each completed its applicable contents. */
@Injectable()
export class ContentsService {
  constructor(private readonly reports: ReportsRepository) {}

  async report(root: UnitRow, q: ContentsQuery): Promise<ContentsReportDto> {
    const filters = this.filters(root, q);
    const [s, total, items] = await Promise.all([
      this.reports.contentsSummary(filters),
      this.reports.contentsCount(filters),
      this.page(filters, '', q.pageSize, (q.page - 1) * q.pageSize),
    ]);
    return {
      summary: {
        units: s.units,
        congressesHeld: s.congressesHeld,
        completedAll: s.completedAll,
        completedAllPct: pct(s.completedAll, s.congressesHeld) ?? 0,
      },
      elections: {
        committeeSeats: s.committeeSeats,
        womenPct: pct(s.women, s.committeeSeats),
        youngPct: pct(s.young, s.committeeSeats),
        ethnicMinorityPct: pct(s.ethnicMinority, s.committeeSeats),
        newlyElectedPct: pct(s.newlyElected, s.committeeSeats),
        lowestVotePct: s.lowestVotePct,
        delegatesAllocated: s.delegatesAllocated,
        delegatesElected: s.delegatesElected,
      },
      total,
      items: items.map(({ path: _, ...item }) => item),
    };
  }

  export(root: UnitRow, q: ContentsQuery, format: 'csv' | 'xlsx'): StreamableFile {
    const filters = this.filters(root, q);
    const rows = pages<Row>((after) => this.page(filters, after?.path ?? '', EXPORT_PAGE, 0));
    return exportFile(format, `bao-cao-4-noi-dung-${root.code}`, COLUMNS, rows);
  }

  private filters(root: UnitRow, q: ContentsQuery): ContentsFilter {
    return {
      pattern: `${root.path}%`,
      tier: q.tier ?? null,
      heldFrom: q.heldFrom ?? null,
      heldTo: q.heldTo ?? null,
      completedAll: q.completedAll ?? null,
      includeClosed: q.includeClosed ?? false,
    };
  }

  private async page(filters: ContentsFilter, afterPath: string, limit: number, offset: number): Promise<Row[]> {
    const rows = await this.reports.contentsPage(filters, afterPath, limit, offset);
    return rows.map(({ notes: _, ...r }) => ({ ...r, ...contentsOutcome(r.contents) }));
  }
}
