import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Long operations (a plan's activation, a large unit import started with `?async=true`): their
 * state lives here so that the page that started one can leave and come back, and so that any API
 * instance answers `GET /api/operations/:id`. `heartbeat_at` is renewed while the work runs: a
 * running operation whose heartbeat stopped belongs to a process that died and is reported failed.
 *
 * `users.disabled_at`: an administrator disables an account instead of deleting it (its history
 * keeps naming the person); a disabled account cannot log in and its tokens stop working.
 */
export class Operations1764000009000 implements MigrationInterface {
  name = 'Operations1764000009000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE operations (
        id            serial PRIMARY KEY,
        kind          text NOT NULL,
        status        text NOT NULL DEFAULT 'running',
        progress      jsonb NOT NULL DEFAULT '{}'::jsonb,
        result        jsonb,
        error         jsonb,
        created_by    int NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        unit_path     text COLLATE "C" NOT NULL,
        created_at    timestamptz NOT NULL DEFAULT now(),
        heartbeat_at  timestamptz NOT NULL DEFAULT now(),
        finished_at   timestamptz,
        CONSTRAINT operations_status_known CHECK (status IN ('running', 'succeeded', 'failed')),
        CONSTRAINT operations_kind_known CHECK (kind IN ('unit_import', 'plan_activation'))
      )`);
    await q.query(`CREATE INDEX operations_created_by_idx ON operations (created_by, id DESC)`);
    await q.query(`ALTER TABLE users ADD COLUMN disabled_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users DROP COLUMN disabled_at`);
    await q.query(`DROP TABLE operations`);
  }
}
