import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError, FieldError, TIER_RANK, Tier } from '@app/core';
import { UnitHooks } from '../unit-hooks';
import { RawUnitRow } from './unit-import.parsers';
import { StagedRows, stageRow } from './unit-import.rows';
import { IMPORT_SQL as SQL } from './unit-import.sql';

export interface ImportResult {
  created: number;
  updated: number;
  unchanged: number;
}

const STAGE_BATCH = 20_000;

/**
 * Upserts units by code from a file, all or nothing: every bad row is reported (row, field,
 * reason) and nothing is written unless every row is good. The tree checks (duplicates,
 * unknown parents, tiers, cycles, scope) and the writes are set-based SQL over a staged copy
 * of the file, so 300,000 rows import in one request.
 */
@Injectable()
export class UnitImportService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly hooks: UnitHooks,
  ) {}

  async import(rows: AsyncIterable<RawUnitRow> | Iterable<RawUnitRow>, actorUnitPath: string, strictFields = false): Promise<ImportResult> {
    const staged = new StagedRows();
    const errors: FieldError[] = [];
    let rowNo = 0;
    try {
      for await (const raw of rows) stageRow(raw, ++rowNo, staged, errors, strictFields);
    } catch (error) {
      // A CSV, XLSX or multipart stream that cannot be read is the file's fault, not the server's.
      if (error instanceof DomainError) throw error;
      const status = (error as { statusCode?: number }).statusCode;
      if (status === 413) throw new DomainError('PAYLOAD_TOO_LARGE', 'The upload is over the import limit');
      throw DomainError.validation([
        { field: 'file', reason: `the file could not be read (${String((error as Error).message).slice(0, 200)})` },
      ]);
    }
    if (rowNo === 0) throw DomainError.validation([{ field: 'rows', reason: 'the import has no rows' }], 'Nothing to import');

    return this.db.transaction(async (tx) => {
      await tx.query(SQL.lockUnits);
      await this.stage(tx, staged);
      append(errors, await this.checkTree(tx));
      // A cycle of parents always breaks the tier order too, so the walk below never gets to see one: find them here.
      if (errors.length > 0) throw invalid([...errors, ...(await this.cyclesByCode(tx))]);

      const root = await this.resolveRoot(tx);
      await tx.query(SQL.assignExistingIds);
      await tx.query(SQL.assignNewIds);
      await tx.query(SQL.buildProposed);
      await tx.query(SQL.indexProposed);
      await tx.query(SQL.walk, [await this.rootId(tx, root)]);
      await tx.query(SQL.indexWalked);
      append(errors, await this.checkReachable(tx));
      if (errors.length > 0) throw invalid(errors);
      // Writing outside the caller's subtree is a matter of scope (403), like every other write.
      const outside: { row: number; code: string }[] = await tx.query(SQL.outOfScope, [`${actorUnitPath}%`]);
      if (outside.length > 0) {
        const listed = outside
          .slice(0, MAX_LISTED_ERRORS)
          .map((r) => ({ row: r.row, field: 'parentCode', reason: `unit ${r.code} would be outside your unit's subtree` }));
        throw new DomainError('FORBIDDEN_SCOPE', `${outside.length} row(s) outside your unit's subtree; nothing was imported`, listed);
      }

      const [{ n: created }]: { n: number }[] = await tx.query(SQL.insertNew);
      const [{ n: updated }]: { n: number }[] = await tx.query(SQL.updateExisting);
      await tx.query(SQL.updatePaths);
      const [{ ids }]: { ids: number[] }[] = await tx.query(SQL.newIds);
      await this.hooks.unitsCreated(tx, ids);
      return { created, updated, unchanged: staged.length - created - updated };
    });
  }

  private async stage(tx: EntityManager, staged: StagedRows): Promise<void> {
    await tx.query(SQL.createStaging);
    for (let i = 0; i < staged.length; i += STAGE_BATCH) {
      const slice = <T>(a: T[]) => a.slice(i, i + STAGE_BATCH);
      await tx.query(SQL.stageBatch, [
        slice(staged.rowNo),
        slice(staged.code),
        slice(staged.name),
        slice(staged.tier),
        slice(staged.parentCode),
        slice(staged.emails),
      ]);
    }
    await tx.query(SQL.indexStaging);
  }

  /** The root's code: the existing root unit, or the one file row without a parent on a fresh tree. */
  private async resolveRoot(tx: EntityManager): Promise<{ code: string; existed: boolean }> {
    const [existing]: { code: string }[] = await tx.query(`SELECT code FROM units WHERE parent_id IS NULL`);
    if (existing) return { code: existing.code, existed: true };
    const [first]: { code: string }[] = await tx.query(SQL.rowsWithoutParent);
    return { code: first.code, existed: false };
  }

  private async rootId(tx: EntityManager, root: { code: string }): Promise<number> {
    const [row]: { id: number }[] = await tx.query(
      `SELECT id FROM import_rows WHERE code = $1 UNION ALL SELECT id FROM units WHERE code = $1 LIMIT 1`,
      [root.code],
    );
    return row.id;
  }

  private async checkTree(tx: EntityManager): Promise<FieldError[]> {
    const errors: FieldError[] = [];
    const dups: { row: number; code: string; firstRow: number }[] = await tx.query(SQL.duplicates);
    append(
      errors,
      dups.map((d) => ({ row: d.row, field: 'code', reason: `duplicate code ${d.code} (first at row ${d.firstRow})` })),
    );

    const [existingRoot]: { code: string }[] = await tx.query(`SELECT code FROM units WHERE parent_id IS NULL`);
    if (existingRoot) {
      const rooted: { row: number }[] = await tx.query(SQL.rootRowsWithParent, [existingRoot.code]);
      append(
        errors,
        rooted.map((r) => ({ row: r.row, field: 'parentCode', reason: `${existingRoot.code} is the root unit and has no parent` })),
      );
      await tx.query(SQL.attachToRoot, [existingRoot.code]);
    } else {
      const roots: { row: number }[] = await tx.query(SQL.rowsWithoutParent);
      if (roots.length === 0)
        errors.push({ row: 1, field: 'parentCode', reason: 'the tree is empty: one row must be the root (empty parentCode)' });
      append(
        errors,
        roots.slice(1).map((r) => ({ row: r.row, field: 'parentCode', reason: 'only one unit can be the root (empty parentCode)' })),
      );
    }

    const parents: { row: number; code: string; parentCode: string; tier: Tier | null; parentTier: Tier | null; unknown: boolean }[] =
      await tx.query(SQL.parentProblems);
    for (const p of parents) {
      if (p.parentCode === p.code) errors.push({ row: p.row, field: 'parentCode', reason: 'a unit cannot be its own parent' });
      else if (p.unknown)
        errors.push({ row: p.row, field: 'parentCode', reason: `unknown parent ${p.parentCode}: not in the file nor among the units` });
      else if (p.tier && p.parentTier && TIER_RANK[p.tier] <= TIER_RANK[p.parentTier]) {
        errors.push({ row: p.row, field: 'tier', reason: `tier ${p.tier} must be below its parent's tier ${p.parentTier}` });
      }
    }
    const children: { row: number; tier: Tier; childCode: string; childTier: Tier }[] = await tx.query(SQL.childTierProblems);
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

  /** Rows on, or under, a cycle of parents, followed by code through the file and the stored units. */
  private async cyclesByCode(tx: EntityManager): Promise<FieldError[]> {
    const unreached: { row: number | null; code: string; parentCode: string }[] = await tx.query(SQL.unreachedByCode);
    const parentOf = new Map(unreached.map((r) => [r.code, r.parentCode]));
    const errors: FieldError[] = [];
    for (const r of unreached) {
      if (r.row === null || r.parentCode === r.code) continue; // own parent: reported already
      const chain = [r.code];
      let next = parentOf.get(r.code);
      while (next !== undefined && !chain.includes(next)) {
        chain.push(next);
        next = parentOf.get(next);
      }
      if (next === undefined) continue; // under an unknown parent: that row is reported already
      errors.push({
        row: r.row,
        field: 'parentCode',
        reason:
          next === r.code
            ? `parent cycle: ${[...chain, r.code].join(' → ')}`
            : `its parent chain leads into a cycle (${chain.join(' → ')} → ${next})`,
      });
    }
    return errors;
  }

  /** Rows the walk from the root did not reach sit on, or under, a cycle of parents. */
  private async checkReachable(tx: EntityManager): Promise<FieldError[]> {
    const unreached: { row: number; code: string; parentCode: string }[] = await tx.query(SQL.unreachedRows);
    const parentOf = new Map(unreached.map((r) => [r.code, r.parentCode]));
    return unreached.map((r) => {
      const chain = [r.code];
      let next = parentOf.get(r.code);
      while (next !== undefined && !chain.includes(next)) {
        chain.push(next);
        next = parentOf.get(next);
      }
      const inCycle = next === r.code;
      return {
        row: r.row,
        field: 'parentCode',
        reason: inCycle
          ? `parent cycle: ${[...chain, r.code].join(' → ')}`
          : `its parent chain leads into a cycle (${chain.join(' → ')} → ${next})`,
      };
    });
  }
}

/** Problems listed in a refusal at most; the message and a last entry give the totals. */
export const MAX_LISTED_ERRORS = 1000;

/** errors.push(...more) without spreading: a spread of 200,000 arguments overflows the call stack. */
function append(errors: FieldError[], more: FieldError[]): void {
  for (const e of more) errors.push(e);
}

function invalid(errors: FieldError[]): DomainError {
  errors.sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
  const rows = new Set(errors.map((e) => e.row)).size;
  const listed = errors.slice(0, MAX_LISTED_ERRORS);
  if (errors.length > MAX_LISTED_ERRORS) {
    listed.push({
      field: 'rows',
      reason: `${errors.length} problems on ${rows} rows in all; only the first ${MAX_LISTED_ERRORS} are listed`,
    });
  }
  return DomainError.validation(listed, `${rows} invalid row(s); nothing was imported`);
}
