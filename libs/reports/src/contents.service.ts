import { Injectable, StreamableFile } from '@nestjs/common';
import { contentsOutcome } from '@app/congress';
import type { UnitRow } from '@app/org';
import { ContentsItemDto, ContentsQuery, ContentsReportDto, ContentsSort } from './dto/reports.dto';
import { Clock, CONGRESS_TYPE_VI, CONGRESS_TYPES } from '@app/core';
import { Column, CsvSeparator, exportFile, pages } from './export';
import { CONTENT_NAMES, CONTENT_VI, KIND_VI, pilotSuffix, pilotTitle, TIER_VI } from './labels';
import { ContentsFilter, PageSort, ReportsRepository } from './reports.repository';

interface Row extends ContentsItemDto {
  path: string;
}

/** "Bầu cấp ủy khóa mới: Sáp nhập; …": why each content that did not apply did not (or its note). */
const reasons = (r: Row) =>
  r.contents
    .map((c, i) =>
      c === 'not_applicable' || r.notes[String(i + 1)] ? `${CONTENT_NAMES[i]}: ${r.notes[String(i + 1)] ?? ''}`.trim() : null,
    )
    .filter((x) => x !== null)
    .join('; ');

const EXPORT_PAGE = 5000;
const pct = (part: number, whole: number) => (whole > 0 ? Math.round((part * 10_000) / whole) / 100 : null);

const COLUMNS: Column<Row>[] = [
  { header: 'Mã đơn vị', value: (r) => r.code, width: 14 },
  { header: 'Tên đơn vị', value: (r) => r.name, width: 40, total: 'count' },
  { header: 'Đơn vị cấp trên', value: (r) => r.parentName, width: 36 },
  { header: 'Cấp', value: (r) => TIER_VI[r.tier] },
  { header: 'Ngày đại hội', value: (r) => r.heldOn, type: 'date' },
  { header: 'Hình thức', value: (r) => KIND_VI[r.kind] ?? r.kind, width: 20 },
  { header: 'Loại đại hội', value: (r) => CONGRESS_TYPE_VI[r.congressType], width: 20 },
  { header: 'Đại hội điểm', value: (r) => (r.pilot ? 'Có' : '') },
  ...CONTENT_NAMES.map((header, i) => ({
    header,
    value: (r: Row) => (r.contents[i] ? CONTENT_VI[r.contents[i]] : 'Chưa ghi nhận'),
    width: 18,
  })),
  { header: 'Lý do không thực hiện', value: reasons, width: 40 },
  { header: 'Số nội dung áp dụng', value: (r) => r.applicableContents, type: 'number', total: 'sum' },
  { header: 'Hoàn thành đủ nội dung', value: (r) => (r.completedAll ? 'Có' : 'Không') },
  { header: 'Nội dung còn thiếu', value: (r) => r.missing.map((no) => CONTENT_NAMES[no - 1]).join(', '), width: 40 },
];

/** Which congresses were held under a root and whether each completed its applicable contents. */
@Injectable()
export class ContentsService {
  constructor(
    private readonly reports: ReportsRepository,
    private readonly clock: Clock,
  ) {}

  async report(root: UnitRow, q: ContentsQuery): Promise<ContentsReportDto> {
    const filters = this.filters(root, q);
    const [s, byTypeRows, total, items] = await Promise.all([
      this.reports.contentsSummary(filters),
      this.reports.contentsByType(filters),
      this.reports.contentsCount(filters),
      this.page(filters, '', q.pageSize, (q.page - 1) * q.pageSize, q.sort ? { column: q.sort, order: q.order ?? 'asc' } : undefined),
    ]);
    return {
      summary: {
        units: s.units,
        congressesHeld: s.congressesHeld,
        completedAll: s.completedAll,
        completedAllPct: pct(s.completedAll, s.congressesHeld) ?? 0,
        byType: Object.fromEntries(
          CONGRESS_TYPES.map((type) => {
            const r = byTypeRows.find((x) => x.type === type) ?? { units: 0, congressesHeld: 0, completedAll: 0 };
            const out = { units: r.units, congressesHeld: r.congressesHeld, completedAll: r.completedAll };
            return [type, { ...out, completedAllPct: pct(r.completedAll, r.congressesHeld) ?? 0 }];
          }),
        ) as ContentsReportDto['summary']['byType'],
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

  export(root: UnitRow, q: ContentsQuery, format: 'csv' | 'xlsx', sep: CsvSeparator = ','): StreamableFile {
    const filters = this.filters(root, q);
    const rows = pages<Row>((after) => this.page(filters, after?.path ?? '', EXPORT_PAGE, 0));
    const meta = {
      name: `bao-cao-4-noi-dung-${root.code}${pilotSuffix(q.pilot)}`,
      title: `Báo cáo kết quả thực hiện 4 nội dung đại hội${pilotTitle(q.pilot)}`,
      subtree: `${root.name} (${root.code})`,
      asOf: this.clock.today(),
    };
    return exportFile(format, meta, COLUMNS, rows, sep);
  }

  private filters(root: UnitRow, q: ContentsQuery): ContentsFilter {
    return {
      pattern: `${root.path}%`,
      tier: q.tier ?? null,
      heldFrom: q.heldFrom ?? null,
      heldTo: q.heldTo ?? null,
      pilot: q.pilot ?? null,
      completedAll: q.completedAll ?? null,
      includeClosed: q.includeClosed ?? false,
    };
  }

  private async page(
    filters: ContentsFilter,
    afterPath: string,
    limit: number,
    offset: number,
    sort?: PageSort<ContentsSort>,
  ): Promise<Row[]> {
    const rows = await this.reports.contentsPage(filters, afterPath, limit, offset, sort);
    return rows.map((r) => {
      const notes = r.notes ?? {};
      return {
        ...r,
        notes,
        notApplicableReasons: r.contents.map((status, i) => (status === 'not_applicable' ? (notes[String(i + 1)] ?? '') : null)),
        ...contentsOutcome(r.contents),
      };
    });
  }
}
