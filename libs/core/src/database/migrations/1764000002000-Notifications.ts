import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The notification log. `key` is the logical identity of an email (kind, unit or user, date or
 * outbox event): inserted ON CONFLICT DO NOTHING, so a sweep run twice, or on two workers, sends once.
 */
export class Notifications1764000002000 implements MigrationInterface {
  name = 'Notifications1764000002000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE notifications (
        id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        key         text NOT NULL CONSTRAINT notifications_key_unique UNIQUE,
        kind        text NOT NULL CONSTRAINT notifications_kind_known
                      CHECK (kind IN ('reminder', 'escalation', 'submitted', 'returned', 'approved', 'digest')),
        unit_id     integer REFERENCES units (id),
        user_id     integer REFERENCES users (id),
        recipients  text[] NOT NULL,
        payload     jsonb NOT NULL,
        status      text NOT NULL DEFAULT 'pending' CONSTRAINT notifications_status_known
                      CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'skipped')),
        attempts    integer NOT NULL DEFAULT 0,
        claimed_at  timestamptz,
        message_id  text,
        error       text,
        created_at  timestamptz NOT NULL DEFAULT now(),
        sent_at     timestamptz
      )`);
    await q.query(`CREATE INDEX notifications_unit_idx ON notifications (unit_id, created_at)`);
    await q.query(`CREATE INDEX notifications_pending_idx ON notifications (id) WHERE status IN ('pending', 'sending')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE notifications`);
  }
}
