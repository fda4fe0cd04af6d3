import { Injectable } from '@nestjs/common';
import { type Role, Sql } from '@app/core';
import type { AuthUser } from './auth-user';
import type { UserDto } from './dto/auth.dto';

const USER_COLUMNS = `u.id, u.email, u.name, u.role, u.unit_id AS "unitId"`;

export interface NewUser {
  email: string;
  name: string;
  passwordHash: string;
  role: Role;
  unitId: number;
}

/** The SQL of users. Emails are stored lower-case; the caller lowers them. */
@Injectable()
export class UsersRepository {
  constructor(private readonly sql: Sql) {}

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
  list(scopePath: string, unitId?: number): Promise<UserDto[]> {
    return this.sql.query(
      `SELECT ${USER_COLUMNS} FROM users u JOIN units un ON un.id = u.unit_id
        WHERE un.path LIKE $1 AND ($2::int IS NULL OR u.unit_id = $2) ORDER BY un.path, u.email`,
      [`${scopePath}%`, unitId ?? null],
    );
  }

  async findForLogin(email: string): Promise<(UserDto & { passwordHash: string }) | null> {
    const rows: (UserDto & { passwordHash: string })[] = await this.sql.query(
      `SELECT ${USER_COLUMNS}, u.password_hash AS "passwordHash" FROM users u WHERE u.email = $1`,
      [email],
    );
    return rows[0] ?? null;
  }

  /** The caller and, in the same round trip, the path of the unit a request names (null when none or missing). */
  async findAuthUserAndUnit(id: number, unitId: number | null): Promise<{ user: AuthUser; unitPath: string | null } | null> {
    const rows: (AuthUser & { targetPath: string | null })[] = await this.sql.query(
      `SELECT ${USER_COLUMNS}, un.path AS "unitPath", (SELECT t.path FROM units t WHERE t.id = $2) AS "targetPath"
         FROM users u JOIN units un ON un.id = u.unit_id WHERE u.id = $1`,
      [id, unitId],
    );
    if (!rows[0]) return null;
    const { targetPath, ...user } = rows[0];
    return { user, unitPath: targetPath };
  }

  async count(): Promise<number> {
    const [{ n }]: { n: number }[] = await this.sql.query(`SELECT count(*)::int AS n FROM users`);
    return n;
  }
}
