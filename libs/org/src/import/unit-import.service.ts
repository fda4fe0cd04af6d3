import { Injectable } from '@nestjs/common';
import { DomainError, FieldError, OperationProgress, OperationsService, TIER_RANK, Transactions, Tx } from '@app/core';
import { UnitHooks } from '../unit-hooks';
import { UnitsRepository } from '../units.repository';
import { RawUnitRow } from './unit-import.parsers';
import { ParentLink, UnitImportRepository } from './unit-import.repository';
import { ImportProblems, StagedRows, stageRow } from './unit-import.rows';

export interface ImportResult {
  created: number;
  updated: number;
  unchanged: number;
}

/**
 * Upserts units by code from a file, all or nothing: every bad row is reported (row, field,
 * reason) and nothing is written unless every row is good. The tree checks (duplicates,
 * unknown parents, tiers, cycles, scope) and the writes are set-based SQL over a staged copy
 * of the file, so 300,000 rows import in one request. The file is staged as it is read, in
 * batches: the API's memory does not grow with its size.
 */
@Injectable()
export class UnitImportService {
  constructor(
    private readonly transactions: Transactions,
    private readonly units: UnitsRepository,
    private readonly repo: UnitImportRepository,
    private readonly hooks: UnitHooks,
    private readonly operations: OperationsService,
  ) {}

  /**
   * The same import in the background (`?async=true`): returns the operation's id at once; its
   * progress (rows read, then checking, writing) and outcome are read from `GET /api/operations/:id`.
   */
  importInBackground(
    rows: () => AsyncIterable<RawUnitRow> | Iterable<RawUnitRow>,
    actor: { userId: number; unitPath: string },
    strictFields = false,
  ): Promise<number> {
    return this.operations.start('unit_import', actor, (report) => this.import(rows(), actor.unitPath, strictFields, report));
  }

  async import(
    rows: AsyncIterable<RawUnitRow> | Iterable<RawUnitRow>,
    actorUnitPath: string,
    strictFields = false,
    report?: (progress: OperationProgress) => Promise<void>,
  ): Promise<ImportResult> {
    return this.transactions.run(async (tx) => {
      const errors = new ImportProblems(MAX_LISTED_ERRORS);
      // The rows go into the staging table batch by batch as they are read (the file is never held
      // whole, nor its rows); a file refused on the way rolls the staging back with the transaction.
      await this.repo.createStaging(tx);
      const { read, staged } = await this.stageAll(tx, rows, errors, strictFields, report);
      if (read === 0) throw DomainError.validation([{ field: 'rows', reason: 'the import has no rows' }], 'Nothing to import');
      await report?.({ phase: 'checking', done: read, total: read });

      // The tree is locked only now that the upload is read: a slow upload holds up no other writer.
      await this.units.lockTree(tx);
      await this.repo.finishStaging(tx);
      append(errors, await this.checkTree(tx));
      // A cycle of parents always breaks the tier order too, so the walk below never gets to see one: find them here.
      if (errors.length > 0) {
        append(errors, cycleErrors(await this.repo.unreachedByCode(tx), true));
        throw invalid(errors);
      }

      await this.repo.walkProposedTree(tx, await this.rootCode(tx));
      append(errors, cycleErrors(await this.repo.unreachedRows(tx), false));
      if (errors.length > 0) throw invalid(errors);
      // Writing outside the caller's subtree is a matter of scope (403), like every other write.
      const outside = await this.repo.outOfScope(tx, actorUnitPath);
      if (outside.length > 0) {
        const listed = outside
          .slice(0, MAX_LISTED_ERRORS)
          .map((r) => ({ row: r.row, field: 'parentCode', reason: `unit ${r.code} would be outside your unit's subtree` }));
        throw new DomainError('FORBIDDEN_SCOPE', `${outside.length} row(s) outside your unit's subtree; nothing was imported`, listed);
      }
      // The congress format and pilots are a strict ancestor's decisions (as PATCH): the importer's own unit,
      // the one unit in scope not strictly below them, keeps its own.
      const own = await this.repo.ownDecisions(tx, actorUnitPath);
      if (own.length > 0) {
        const listed = own.flatMap((r) => [
          ...(r.congressType ? [{ row: r.row, field: 'congressType', reason: OWN_FORMAT_REASON }] : []),
          ...(r.pilot ? [{ row: r.row, field: 'pilot', reason: OWN_PILOT_REASON }] : []),
        ]);
        throw new DomainError(
          'FORBIDDEN_SCOPE',
          `${own.length} row(s) change the congress format or pilot of your own unit, which a superior decides; nothing was imported`,
          listed,
        );
      }

      await report?.({ phase: 'writing', done: read, total: read });
      const { created, updated, newIds, reshaped } = await this.repo.write(tx);
      await this.hooks.unitsCreated(tx, newIds);
      // Moved or re-tiered units: due dates for their tier, and a congress date that must still fit
      // the tier's window (refused, row by row: the admin changes or clears the date first).
      const problems = await this.hooks.unitsReshaped(
        tx,
        reshaped.map((r) => r.id),
      );
      if (problems.length > 0) {
        const rowOf = new Map(reshaped.map((r) => [r.id, r.row]));
        const refused = new ImportProblems(MAX_LISTED_ERRORS);
        append(
          refused,
          problems.map((p) => ({ row: rowOf.get(p.unitId), field: 'tier', reason: p.reason })),
        );
        throw invalid(refused);
      }
      return { created, updated, unchanged: staged - created - updated };
    });
  }

  /**
   * Reads the rows, checks each on its own and stages it: a batch is written while the next one is
   * read (one in flight), so memory holds two batches at most. Returns the rows read and staged.
   */
  private async stageAll(
    tx: Tx,
    rows: AsyncIterable<RawUnitRow> | Iterable<RawUnitRow>,
    errors: ImportProblems,
    strictFields: boolean,
    report?: (progress: OperationProgress) => Promise<void>,
  ): Promise<{ read: number; staged: number }> {
    let batch = new StagedRows();
    let writing: Promise<void> | null = null;
    let read = 0;
    let staged = 0;
    const flush = async () => {
      const previous = writing;
      writing = null;
      // A failed write is the database's error, not the file's: it is not turned into a 400 below.
      await previous?.catch((error: unknown) => {
        throw new StagingFailed(error);
      });
      staged += batch.length;
      writing = this.repo.stageBatch(tx, batch);
      batch = new StagedRows();
    };
    try {
      for await (const raw of rows) {
        stageRow(raw, ++read, batch, errors, strictFields);
        if (batch.length >= STAGE_BATCH_ROWS) await flush();
        if (report && read % PROGRESS_EVERY_ROWS === 0) await report({ phase: 'reading', done: read });
      }
      await flush();
      await (writing as Promise<void> | null);
    } catch (error) {
      // Nothing may be left running on the transaction's connection when it rolls back.
      await (writing as Promise<void> | null)?.catch(() => undefined);
      if (error instanceof StagingFailed) throw error.cause;
      // A JSON, CSV, XLSX or multipart stream that cannot be read is the file's fault, not the server's.
      if (error instanceof DomainError) throw error;
      const status = (error as { statusCode?: number }).statusCode;
      if (status === 413) throw new DomainError('PAYLOAD_TOO_LARGE', 'The upload is over the import limit');
      throw DomainError.validation([
        { field: 'file', reason: `the file could not be read (${String((error as Error).message).slice(0, 200)})` },
      ]);
    }
    return { read, staged };
  }

  /** The root's code: the existing root unit, or the one file row without a parent on a fresh tree. */
  private async rootCode(tx: Tx): Promise<string> {
    const existing = await this.repo.existingRootCode(tx);
    if (existing) return existing;
    const [first] = await this.repo.rowsWithoutParent(tx);
    return first.code;
  }

  private async checkTree(tx: Tx): Promise<FieldError[]> {
    const errors: FieldError[] = [];
    const dups = await this.repo.duplicates(tx);
    append(
      errors,
      dups.map((d) => ({ row: d.row, field: 'code', reason: `duplicate code ${d.code} (first at row ${d.firstRow})` })),
    );

    const existingRoot = await this.repo.existingRootCode(tx);
    if (existingRoot) {
      const rooted = await this.repo.rootRowsWithParent(tx, existingRoot);
      append(
        errors,
        rooted.map((r) => ({ row: r.row, field: 'parentCode', reason: `${existingRoot} is the root unit and has no parent` })),
      );
      await this.repo.attachToRoot(tx, existingRoot);
    } else {
      const roots = await this.repo.rowsWithoutParent(tx);
      if (roots.length === 0)
        errors.push({ row: 1, field: 'parentCode', reason: 'the tree is empty: one row must be the root (empty parentCode)' });
      append(
        errors,
        roots.slice(1).map((r) => ({ row: r.row, field: 'parentCode', reason: 'only one unit can be the root (empty parentCode)' })),
      );
    }

    for (const p of await this.repo.parentProblems(tx)) {
      if (p.parentCode === p.code) errors.push({ row: p.row, field: 'parentCode', reason: 'a unit cannot be its own parent' });
      else if (p.unknown)
        errors.push({ row: p.row, field: 'parentCode', reason: `unknown parent ${p.parentCode}: not in the file nor among the units` });
      else if (p.tier && p.parentTier && TIER_RANK[p.tier] <= TIER_RANK[p.parentTier]) {
        errors.push({ row: p.row, field: 'tier', reason: `tier ${p.tier} must be below its parent's tier ${p.parentTier}` });
      }
    }
    const children = await this.repo.childTierProblems(tx);
    append(
      errors,
      children.map((c) => ({
        row: c.row,
        field: 'tier',
        reason: `tier ${c.tier} must be above its existing child ${c.childCode} (${c.childTier})`,
      })),
    );
    return errors;
  }
}

/**
 * Rows on, or under, a cycle of parents, each with the chain that shows it, from the units no walk
 * from the root reached. `afterTreeChecks` (the tree checks failed, the file was followed by code):
 * rows whose chain ends at an unknown parent or at themselves, and stored units the file does not
 * name, are reported by the tree checks already and get no error here.
 */
function cycleErrors(unreached: ParentLink[], afterTreeChecks: boolean): FieldError[] {
  const parentOf = new Map(unreached.map((r) => [r.code, r.parentCode]));
  return unreached.flatMap((r) => {
    if (afterTreeChecks && (r.row === null || r.parentCode === r.code)) return [];
    const chain = [r.code];
    let next = parentOf.get(r.code);
    while (next !== undefined && !chain.includes(next)) {
      chain.push(next);
      next = parentOf.get(next);
    }
    if (afterTreeChecks && next === undefined) return [];
    const reason =
      next === r.code
        ? `parent cycle: ${[...chain, r.code].join(' → ')}`
        : `its parent chain leads into a cycle (${chain.join(' → ')} → ${String(next)})`;
    return [{ row: r.row ?? undefined, field: 'parentCode', reason }];
  });
}

/** Row errors for the importer's own unit (users read them: Vietnamese). */
export const OWN_FORMAT_REASON =
  'Loại đại hội của đơn vị do cấp ủy cấp trên quyết định; không thể tự thay đổi loại đại hội của đơn vị mình (để trống để giữ nguyên)';
export const OWN_PILOT_REASON =
  'Đại hội điểm do cấp ủy cấp trên quyết định; không thể tự thay đổi đại hội điểm của đơn vị mình (để trống để giữ nguyên)';

/** Rows staged per INSERT while the file is read (nine array parameters whatever the size). */
const STAGE_BATCH_ROWS = 5000;

/** A staging write that failed (a database error), told apart from a file that cannot be read. */
class StagingFailed extends Error {
  constructor(override readonly cause: unknown) {
    super('staging failed');
  }
}

/** A background import reports the rows read every this many rows. */
const PROGRESS_EVERY_ROWS = 5000;

/** Problems listed in a refusal at most; the message and a last entry give the totals. */
export const MAX_LISTED_ERRORS = 1000;

/** errors.push(...more) without spreading: a spread of 200,000 arguments overflows the call stack. */
function append(errors: { push(error: FieldError): void }, more: FieldError[]): void {
  for (const e of more) errors.push(e);
}

function invalid(errors: ImportProblems): DomainError {
  const rows = errors.rowCount;
  const listed = errors.first();
  if (errors.total > MAX_LISTED_ERRORS) {
    listed.push({
      field: 'rows',
      reason: `${errors.total} problems on ${rows} rows in all; only the first ${MAX_LISTED_ERRORS} are listed`,
    });
  }
  return DomainError.validation(listed, `${rows} invalid row(s); nothing was imported`);
}
