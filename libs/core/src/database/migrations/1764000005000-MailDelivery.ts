import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * No email lost:
 * - `lease_until`: a claimed notification (status `sending`) belongs to its worker until then (the
 *   worker renews it while it lives); after that any worker may claim it again. `attempts` doubles
 *   as the claim token: each claim increments it, so a worker only changes the row it still holds.
 * - status `digested`: a reminder for a unit with nobody to write to, delivered inside the daily
 *   digest of the users who manage the unit (never `skipped` while such users exist).
 * - `schedule_runs`: the days each daily job (sweep, digest, overdue roll) has run, so a worker
 *   that comes back after a missed schedule runs it once.
 */
export class MailDelivery1764000005000 implements MigrationInterface {
  name = 'MailDelivery1764000005000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notifications ADD COLUMN lease_until timestamptz`);
    await q.query(`ALTER TABLE notifications DROP CONSTRAINT notifications_status_known`);
    await q.query(`
      ALTER TABLE notifications ADD CONSTRAINT notifications_status_known
        CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'skipped', 'digested'))`);
    await q.query(`CREATE INDEX notifications_failed_idx ON notifications (id) WHERE status = 'failed'`);
    // The digest reads a day's digested reminders.
    await q.query(
      `CREATE INDEX notifications_digested_idx ON notifications ((payload ->> 'asOf'), ((payload ->> 'digestUnitId')::int)) WHERE status = 'digested'`,
    );
    await q.query(`
      CREATE TABLE schedule_runs (
        job          text NOT NULL,
        day          date NOT NULL,
        finished_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (job, day)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE schedule_runs`);
    await q.query(`DROP INDEX notifications_digested_idx`);
    await q.query(`DROP INDEX notifications_failed_idx`);
    await q.query(`UPDATE notifications SET status = 'skipped', error = 'no recipients' WHERE status = 'digested'`);
    await q.query(`ALTER TABLE notifications DROP CONSTRAINT notifications_status_known`);
    await q.query(`
      ALTER TABLE notifications ADD CONSTRAINT notifications_status_known
        CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'skipped'))`);
    await q.query(`ALTER TABLE notifications DROP COLUMN lease_until`);
  }
}
