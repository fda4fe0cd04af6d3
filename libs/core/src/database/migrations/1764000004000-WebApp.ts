import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the web app's pages query:
 *
 * - Unit search that ignores accents and case ("vu hoi" finds "Vũ Hội"): `unit_search_key(name, code)`
 *   is ' ' || the name folded (NFC, accents stripped with `unaccent`, Đ/đ included, lower case) || ' ' ||
 *   the code, and a trigram GIN index on it serves `LIKE '% vu hoi%'`: the query matches from the start
 *   of a word. Anchoring at a word start is what keeps a short query selective: '%vu%' has no trigram
 *   and would recheck every row (1.3 s at 300k units), '% vu%' has "  v" and " vu". `unaccent()` itself is only STABLE (its dictionary could change), so it
 *   cannot be indexed directly: the IMMUTABLE SQL wrappers name the dictionary, qualified with the
 *   extension's schema, which is the usual pattern and needs no superuser (no C function).
 * - Names sorted the Vietnamese way: collation `vi_vn` (ICU `vi-VN`, digits compared as numbers so
 *   "Chi bộ thôn 2" comes before "Chi bộ thôn 10"); where the server has no ICU it falls back to "C".
 * - "Việc cần làm" and "Chờ phê duyệt": a small partial index on the steps waiting for someone
 *   (returned, awaiting approval; well under 1 % of the steps), by unit: a subtree's units probe it,
 *   the national tree reads it whole. Due and overdue steps already have unit_steps_open_due_idx.
 */
export class WebApp1764000004000 implements MigrationInterface {
  name = 'WebApp1764000004000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS unaccent`);
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    const [{ unaccentSchema, trgmSchema }] = (await q.query(
      `SELECT (SELECT quote_ident(extnamespace::regnamespace::text) FROM pg_extension WHERE extname = 'unaccent') AS "unaccentSchema",
              (SELECT quote_ident(extnamespace::regnamespace::text) FROM pg_extension WHERE extname = 'pg_trgm') AS "trgmSchema"`,
    )) as { unaccentSchema: string; trgmSchema: string }[];
    await q.query(`
      CREATE FUNCTION fold_text(text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
      AS $$ SELECT lower(${unaccentSchema}.unaccent('${unaccentSchema}.unaccent'::regdictionary, normalize($1, NFC))) $$`);
    await q.query(`
      CREATE FUNCTION unit_search_key(name text, code text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
      AS $$ SELECT ' ' || fold_text(name) || ' ' || lower(code) $$`);
    await q.query(`CREATE INDEX units_search_trgm_idx ON units USING gin (unit_search_key(name, code) ${trgmSchema}.gin_trgm_ops)`);

    const [{ icu }] = (await q.query(`SELECT EXISTS (SELECT 1 FROM pg_collation WHERE collprovider = 'i') AS icu`)) as { icu: boolean }[];
    await q.query(
      icu
        ? `CREATE COLLATION IF NOT EXISTS vi_vn (provider = icu, locale = 'vi-VN-u-kn-true')`
        : `CREATE COLLATION IF NOT EXISTS vi_vn FROM "C"`,
    );

    await q.query(
      `CREATE INDEX unit_steps_waiting_idx ON unit_steps (unit_id, step_no) INCLUDE (status, updated_at)
        WHERE status IN ('returned', 'awaiting_approval')`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX unit_steps_waiting_idx`);
    await q.query(`DROP COLLATION vi_vn`);
    await q.query(`DROP INDEX units_search_trgm_idx`);
    await q.query(`DROP FUNCTION unit_search_key(text, text)`);
    await q.query(`DROP FUNCTION fold_text(text)`);
  }
}
