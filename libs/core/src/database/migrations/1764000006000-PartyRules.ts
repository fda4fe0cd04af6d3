import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The Party's own rules (issue 11):
 * - `units.congress_type`: which of the 4 contents the unit's congress must complete, decided by the
 *   superior (`full`, `three_contents` without content 3, `two_contents` without contents 3 and 4).
 * - `units.pilot`: a pilot congress (đại hội điểm), held before the main wave; reports filter on it.
 */
export class PartyRules1764000006000 implements MigrationInterface {
  name = 'PartyRules1764000006000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE units
        ADD COLUMN congress_type text NOT NULL DEFAULT 'full'
          CONSTRAINT units_congress_type_known CHECK (congress_type IN ('full', 'three_contents', 'two_contents')),
        ADD COLUMN pilot boolean NOT NULL DEFAULT false`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE units DROP COLUMN pilot, DROP COLUMN congress_type`);
  }
}
