import { Injectable } from '@nestjs/common';
import { prepared, PreparedSql, type Role, Sql } from '@app/core';
import type { AuthUser } from './auth-user';
import type { AdminUserDto, UserDto } from './dto/auth.dto';

const USER_COLUMNS = `u.id, u.email, u.name, u.role, u.unit_id AS "unitId"`;
const ADMIN_COLUMNS = `${USER_COLUMNS}, un.name AS "unitName", un.code AS "unitCode", u.disabled_at IS NOT NULL AS disabled`;

export interface NewUser {
  email: string;
  name: string;
  passwordHash: string;
  role: Role;
  unitId: number;
}

/** The caller as now ($1; null when missing or disabled) and the path of the unit $2 (null when none or missing). */
const AUTH_USER_AND_UNIT = prepared(
  'auth_user_and_unit',
  `SELECT ${USER_COLUMNS}, un.path AS "unitPath", (SELECT t.path FROM units t WHERE t.id = $2) AS "targetPath"
     FROM users u JOIN units un ON un.id = u.unit_id WHERE u.id = $1 AND u.disabled_at IS NULL`,
);

/** The SQL of users. Emails are stored lower-case; the caller lowers them. */
@Injectable()
export class UsersRepository {
  constructor(
    private readonly sql: Sql,
    private readonly prepared: PreparedSql,
  ) {}

  /** The new user, or null when the email is taken (ON CONFLICT DO NOTHING). */
  async insert(user: NewUser): Promise<UserDto | null> {
    const rows: UserDto[] = await this.sql.query(
      `INSERT INTO users (email, name, password_hash, role, unit_id) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (email) DO NOTHING
       RETURNING id, email, name, role, unit_id AS "unitId"`,
      [user.email, user.name, user.passwordHash, user.role, user.unitId],
    );
    return rows[0] ?? null;
  }

  /** Users of units inside the scope path, optionally of one unit. */
  list(scopePath: string, unitId?: number): Promise<AdminUserDto[]> {
    return this.sql.query(
      `SELECT ${ADMIN_COLUMNS} FROM users u JOIN units un ON un.id = u.unit_id
        WHERE un.path LIKE $1 AND ($2::int IS NULL OR u.unit_id = $2) ORDER BY un.path, u.email`,
      [`${scopePath}%`, unitId ?? null],
    );
  }

  async findForLogin(email: string): Promise<(UserDto & { passwordHash: string }) | null> {
    const rows: (UserDto & { passwordHash: string })[] = await this.sql.query(
      `SELECT ${USER_COLUMNS}, u.password_hash AS "passwordHash" FROM users u WHERE u.email = $1 AND u.disabled_at IS NULL`,
      [email],
    );
    return rows[0] ?? null;
  }

  /** The caller and, in the same round trip, the path of the unit a request names (null when none or missing). */
  async findAuthUserAndUnit(id: number, unitId: number | null): Promise<{ user: AuthUser; unitPath: string | null } | null> {
    const rows = await this.prepared.query<AuthUser & { targetPath: string | null }>(AUTH_USER_AND_UNIT, [id, unitId]);
    if (!rows[0]) return null;
    const { targetPath, ...user } = rows[0];
    return { user, unitPath: targetPath };
  }

  /** A user as administrators see them, with the path of their unit (for the scope check). */
  async findForAdmin(id: number): Promise<(AdminUserDto & { unitPath: string }) | null> {
    const rows: (AdminUserDto & { unitPath: string })[] = await this.sql.query(
      `SELECT ${ADMIN_COLUMNS}, un.path AS "unitPath" FROM users u JOIN units un ON un.id = u.unit_id WHERE u.id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  /** Changes what is given; `disabled` sets or clears disabled_at (keeping the first time it was disabled). */
  async update(id: number, change: { name?: string; role?: Role; disabled?: boolean }): Promise<void> {
    await this.sql.query(
      `UPDATE users SET name = COALESCE($2, name), role = COALESCE($3, role),
              disabled_at = CASE WHEN $4::boolean IS NULL THEN disabled_at WHEN $4 THEN COALESCE(disabled_at, now()) ELSE NULL END,
              updated_at = now()
        WHERE id = $1`,
      [id, change.name ?? null, change.role ?? null, change.disabled ?? null],
    );
  }

  /** Binds the user to another unit (their scope follows); false when there is no such user. */
  async setUnit(id: number, unitId: number): Promise<boolean> {
    const rows: unknown[] = await this.sql.query(
      `WITH moved AS (UPDATE users SET unit_id = $2, updated_at = now() WHERE id = $1 AND unit_id <> $2 RETURNING 1) SELECT 1 FROM moved`,
      [id, unitId],
    );
    return rows.length > 0;
  }

  async count(): Promise<number> {
    const [{ n }]: { n: number }[] = await this.sql.query(`SELECT count(*)::int AS n FROM users`);
    return n;
  }
}
