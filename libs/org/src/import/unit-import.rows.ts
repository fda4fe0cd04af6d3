import { isEmail } from 'class-validator';
import { CONGRESS_TYPES, FieldError, TIERS } from '@app/core';
import { IMPORT_COLUMNS, RawUnitRow } from './unit-import.parsers';

export const CODE_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

/** A batch of an import's rows, column by column: compact in memory and ready for `unnest`. */
export class StagedRows {
  rowNo: number[] = [];
  code: string[] = [];
  name: string[] = [];
  tier: (string | null)[] = [];
  /** null: the column was left out (an existing unit keeps its parent; a new one goes under the root). */
  parentCode: (string | null)[] = [];
  /** Comma-joined, split again in SQL; null: the column was left out (the stored list is kept). */
  emails: (string | null)[] = [];
  /** null: the column is empty or left out, the stored value stays. */
  congressType: (string | null)[] = [];
  pilot: (boolean | null)[] = [];
  /** null: the column was left out (the stored name is kept); '': the cell is empty (the name is cleared). */
  committeeName: (string | null)[] = [];

  get length(): number {
    return this.rowNo.length;
  }
}

/**
 * The problems of one import, in bounded memory: a refusal lists the first MAX_LISTED_ERRORS by
 * row (in the order they were found within a row) and gives the totals, so only those are kept,
 * with the count and which rows have any (one bit per row), whatever the size of a bad file.
 */
export class ImportProblems {
  private kept: FieldError[] = [];
  private rows = new Uint8Array(1024);
  private withoutRow = false;
  private distinctRows = 0;
  total = 0;

  constructor(private readonly listed: number) {}

  get length(): number {
    return this.total;
  }

  push(error: FieldError): void {
    this.total++;
    this.markRow(error.row);
    this.kept.push(error);
    if (this.kept.length >= 2 * this.listed) this.kept = this.sorted().slice(0, this.listed);
  }

  /** How many rows have a problem (problems without a row count as one). */
  get rowCount(): number {
    return this.distinctRows + (this.withoutRow ? 1 : 0);
  }

  /** The first problems by row (a stable sort: a row's problems in the order found). */
  first(): FieldError[] {
    return this.sorted().slice(0, this.listed);
  }

  private sorted(): FieldError[] {
    return this.kept.sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
  }

  private markRow(row: number | undefined): void {
    if (row === undefined) {
      this.withoutRow = true;
      return;
    }
    const byte = row >>> 3;
    if (byte >= this.rows.length) {
      const grown = new Uint8Array(Math.max(byte + 1, this.rows.length * 2));
      grown.set(this.rows);
      this.rows = grown;
    }
    const bit = 1 << (row & 7);
    if ((this.rows[byte] & bit) === 0) {
      this.rows[byte] |= bit;
      this.distinctRows++;
    }
  }
}

function text(value: unknown): string {
  if (value === null || value === undefined) return '';
  // A JSON import may put any value in a cell: its string form is what the checks read (and refuse).
  // eslint-disable-next-line @typescript-eslint/no-base-to-string
  return (typeof value === 'string' ? value : String(value)).trim();
}

function emailList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(text).filter(Boolean);
  return text(value)
    .split(/[;,\s]+/)
    .filter(Boolean);
}

/**
 * Checks what one row can tell on its own (formats, tier, emails) and stages it.
 * Rows whose code is unusable are not staged: they cannot take part in the tree checks.
 */
export function stageRow(
  raw: RawUnitRow,
  rowNo: number,
  staged: StagedRows,
  errors: { push(error: FieldError): void },
  strictFields: boolean,
): void {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    errors.push({ row: rowNo, field: 'row', reason: 'must be an object with code, name, tier, parentCode' });
    return;
  }
  if (strictFields) {
    for (const key of Object.keys(raw)) {
      if (!(IMPORT_COLUMNS as readonly string[]).includes(key)) errors.push({ row: rowNo, field: key, reason: 'unknown field' });
    }
  }
  const code = text(raw.code);
  const name = text(raw.name);
  const tier = text(raw.tier);
  const parentCode = text(raw.parentCode);
  // A column left out of the file (no such header, no such key) keeps the stored value; an empty
  // cell (or JSON null / "" / []) clears it.
  const parentKept = !('parentCode' in raw) || raw.parentCode === undefined;
  const emailsKept = !('contactEmails' in raw) || raw.contactEmails === undefined;
  const emails = emailList(raw.contactEmails);
  const congressType = text(raw.congressType);
  const pilot = flag(raw.pilot);
  const committeeKept = !('committeeName' in raw) || raw.committeeName === undefined;
  const committeeName = text(raw.committeeName).replace(/\s+/g, ' ');
  let codeOk = true;
  if (!code) {
    errors.push({ row: rowNo, field: 'code', reason: 'is required' });
    codeOk = false;
  } else if (!CODE_PATTERN.test(code)) {
    errors.push({ row: rowNo, field: 'code', reason: 'must be 1-64 letters, digits, ".", "_" or "-"' });
    codeOk = false;
  }
  if (!name) errors.push({ row: rowNo, field: 'name', reason: 'is required' });
  else if (name.length > 300) errors.push({ row: rowNo, field: 'name', reason: 'must be at most 300 characters' });
  const tierOk = (TIERS as readonly string[]).includes(tier);
  if (!tierOk) errors.push({ row: rowNo, field: 'tier', reason: `must be one of ${TIERS.join(', ')}` });
  if (parentCode && !CODE_PATTERN.test(parentCode)) {
    errors.push({ row: rowNo, field: 'parentCode', reason: 'must be empty or a unit code' });
  }
  for (const email of emails) {
    if (!isEmail(email)) errors.push({ row: rowNo, field: 'contactEmails', reason: `"${email}" is not an email address` });
  }
  if (congressType && !(CONGRESS_TYPES as readonly string[]).includes(congressType)) {
    errors.push({ row: rowNo, field: 'congressType', reason: `must be empty or one of ${CONGRESS_TYPES.join(', ')}` });
  }
  if (pilot === undefined) errors.push({ row: rowNo, field: 'pilot', reason: 'must be empty, true or false' });
  if (committeeName.length > 300) errors.push({ row: rowNo, field: 'committeeName', reason: 'must be at most 300 characters' });
  if (!codeOk) return;
  staged.rowNo.push(rowNo);
  staged.code.push(code);
  staged.name.push(name);
  staged.tier.push(tierOk ? tier : null);
  staged.parentCode.push(parentKept ? null : parentCode);
  staged.emails.push(emailsKept ? null : emails.map((e) => e.toLowerCase()).join(','));
  staged.congressType.push(congressType || null);
  staged.pilot.push(pilot ?? null);
  staged.committeeName.push(committeeKept ? null : committeeName);
}

/** A yes/no cell: null when empty, undefined when unreadable. */
function flag(value: unknown): boolean | null | undefined {
  if (typeof value === 'boolean') return value;
  const v = text(value).toLowerCase();
  if (v === '') return null;
  if (['true', '1', 'x', 'có', 'co'].includes(v)) return true;
  if (['false', '0', 'không', 'khong'].includes(v)) return false;
  return undefined;
}
