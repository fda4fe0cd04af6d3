import { DomainError } from '@app/core';
import type { UnitRow } from '@app/org';
import { XLSX_MAX_DATA_ROWS } from './export';
import { OverdueService } from './overdue.service';
import type { ProgressService } from './progress.service';
import type { ReportsRepository } from './reports.repository';

/**
 * An XLSX sheet holds 1,048,576 rows: an overdue list longer than that is refused before the file
 * starts (with CSV as the way out), and one that fits is written. The counts are the repository's;
 * here they are given, since a list of a million rows is the benchmark's business, not a test's.
 */
describe('the overdue export refuses an XLSX file longer than a sheet', () => {
  const root = { id: 1, code: 'TW', name: 'Trung ương', path: '1/', depth: 0 } as unknown as UnitRow;
  const service = (total: number) =>
    new OverdueService(
      {
        overdueCountFromCounters: async () => total,
        overdueCount: async () => total,
        overduePage: async () => [],
      } as unknown as ReportsRepository,
      { rollOverdue: async () => undefined } as unknown as ProgressService,
      { today: () => '2026-12-02' } as never,
    );

  it.each([
    ['one row more than a sheet holds', XLSX_MAX_DATA_ROWS + 1, true],
    ['2,000,000 rows (a national list late in the campaign)', 2_000_000, true],
    ['exactly what a sheet holds', XLSX_MAX_DATA_ROWS, false],
  ])('%s', async (_name, total, refused) => {
    const attempt = service(total).export(root, 'xlsx');
    if (refused) {
      const error = await attempt.then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).code).toBe('VALIDATION_FAILED');
      expect(JSON.stringify((error as DomainError).details)).toContain('hãy tải CSV');
    } else {
      await expect(attempt).resolves.toBeDefined();
    }
  });

  it('a CSV file of any length is written (no sheet limit)', async () => {
    await expect(service(2_000_000).export(root, 'csv')).resolves.toBeDefined();
  });
});
