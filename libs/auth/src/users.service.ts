import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import * as argon2 from 'argon2';
import { DataSource } from 'typeorm';
import { DomainError, Role } from '@app/core';
import type { AuthUser } from './auth-user';
import { passwordErrors } from './password-policy';
import { CreateUserDto, UserDto } from './dto/auth.dto';

const USER_COLUMNS = `u.id, u.email, u.name, u.role, u.unit_id AS "unitId"`;

/** argon2id with the library's defaults (64 MiB, t=3). */
export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

@Injectable()
export class UsersService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async create(dto: CreateUserDto): Promise<UserDto> {
    const weak = passwordErrors(dto.password, dto.email);
    if (weak.length > 0) throw DomainError.validation(weak);
    const [unit]: unknown[] = await this.db.query(`SELECT 1 FROM units WHERE id = $1`, [dto.unitId]);
    if (!unit) throw DomainError.validation([{ field: 'unitId', reason: `unit ${dto.unitId} does not exist` }]);
    const rows: UserDto[] = await this.db.query(
      `INSERT INTO users (email, name, password_hash, role, unit_id) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (email) DO NOTHING
       RETURNING id, email, name, role, unit_id AS "unitId"`,
      [dto.email.toLowerCase(), dto.name, await hashPassword(dto.password), dto.role, dto.unitId],
    );
    if (rows.length === 0) throw new DomainError('CONFLICT', `A user with email ${dto.email} already exists`, { field: 'email' });
    return rows[0];
  }

  /** Users of units inside the scope path, optionally of one unit. */
  async list(scopePath: string, unitId?: number): Promise<UserDto[]> {
    return this.db.query(
      `SELECT ${USER_COLUMNS} FROM users u JOIN units un ON un.id = u.unit_id
        WHERE un.path LIKE $1 AND ($2::int IS NULL OR u.unit_id = $2) ORDER BY un.path, u.email`,
      [`${scopePath}%`, unitId ?? null],
    );
  }

  async findForLogin(email: string): Promise<(UserDto & { passwordHash: string }) | null> {
    const rows: (UserDto & { passwordHash: string })[] = await this.db.query(
      `SELECT ${USER_COLUMNS}, u.password_hash AS "passwordHash" FROM users u WHERE u.email = $1`,
      [email.toLowerCase()],
    );
    return rows[0] ?? null;
  }

  async findAuthUser(id: number): Promise<AuthUser | null> {
    return (await this.findAuthUserAndUnit(id, null))?.user ?? null;
  }

  /** The caller and, in the same round trip, the path of the unit a request names (null when none or missing). */
  async findAuthUserAndUnit(id: number, unitId: number | null): Promise<{ user: AuthUser; unitPath: string | null } | null> {
    const rows: (AuthUser & { targetPath: string | null })[] = await this.db.query(
      `SELECT ${USER_COLUMNS}, un.path AS "unitPath", (SELECT t.path FROM units t WHERE t.id = $2) AS "targetPath"
         FROM users u JOIN units un ON un.id = u.unit_id WHERE u.id = $1`,
      [id, unitId],
    );
    if (!rows[0]) return null;
    const { targetPath, ...user } = rows[0];
    return { user, unitPath: targetPath };
  }

  async count(): Promise<number> {
    const [{ n }]: { n: number }[] = await this.db.query(`SELECT count(*)::int AS n FROM users`);
    return n;
  }

  /** Creates the user unless the email exists; used by first start and the demo seed. */
  async ensure(user: { email: string; name: string; password: string; role: Role; unitId: number }): Promise<void> {
    await this.db.query(
      `INSERT INTO users (email, name, password_hash, role, unit_id) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (email) DO NOTHING`,
      [user.email.toLowerCase(), user.name, await hashPassword(user.password), user.role, user.unitId],
    );
  }
}
