import { Injectable } from '@nestjs/common';
import * as argon2 from 'argon2';
import { DomainError, Role } from '@app/core';
import { UnitsRepository } from '@app/org';
import type { AuthUser } from './auth-user';
import { passwordErrors } from './password-policy';
import { AdminUserDto, CreateUserDto, UpdateUserDto, UserDto } from './dto/auth.dto';
import { UsersRepository } from './users.repository';

/** argon2id with the library's defaults (64 MiB, t=3). */
export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

@Injectable()
export class UsersService {
  constructor(
    private readonly users: UsersRepository,
    private readonly units: UnitsRepository,
  ) {}

  async create(dto: CreateUserDto): Promise<UserDto> {
    const weak = passwordErrors(dto.password, dto.email);
    if (weak.length > 0) throw DomainError.validation(weak);
    if (!(await this.units.exists(dto.unitId))) {
      throw DomainError.validation([{ field: 'unitId', reason: `unit ${dto.unitId} does not exist` }]);
    }
    const user = await this.users.insert({
      email: dto.email.toLowerCase(),
      name: dto.name,
      passwordHash: await hashPassword(dto.password),
      role: dto.role,
      unitId: dto.unitId,
    });
    if (!user) throw new DomainError('CONFLICT', `A user with email ${dto.email} already exists`, { field: 'email' });
    return user;
  }

  /** Users of units inside the scope path, optionally of one unit. */
  list(scopePath: string, unitId?: number): Promise<AdminUserDto[]> {
    return this.users.list(scopePath, unitId);
  }

  /**
   * An administrator renames, changes the role of, disables or enables a user of their subtree
   * (404 unknown, 403 outside the subtree). Nobody changes their own role or disables themselves:
   * another administrator does, so that a subtree is never left without one by mistake.
   */
  async update(id: number, dto: UpdateUserDto, caller: AuthUser): Promise<AdminUserDto> {
    const target = await this.users.findForAdmin(id);
    if (!target) throw DomainError.notFound('User', id);
    if (!target.unitPath.startsWith(caller.unitPath)) {
      throw new DomainError('FORBIDDEN_SCOPE', `User ${id} belongs to a unit outside your unit's subtree`, { userId: id });
    }
    if (id === caller.id && ((dto.role !== undefined && dto.role !== target.role) || dto.disabled === true)) {
      throw new DomainError('CONFLICT', 'You cannot change your own role or disable your own account', { userId: id });
    }
    await this.users.update(id, dto);
    const { unitPath: _, ...updated } = (await this.users.findForAdmin(id))!;
    return updated;
  }

  findForLogin(email: string): Promise<(UserDto & { passwordHash: string }) | null> {
    return this.users.findForLogin(email.toLowerCase());
  }

  async findAuthUser(id: number): Promise<AuthUser | null> {
    return (await this.users.findAuthUserAndUnit(id, null))?.user ?? null;
  }

  /** The caller and, in the same round trip, the path of the unit a request names (null when none or missing). */
  findAuthUserAndUnit(id: number, unitId: number | null): Promise<{ user: AuthUser; unitPath: string | null } | null> {
    return this.users.findAuthUserAndUnit(id, unitId);
  }

  count(): Promise<number> {
    return this.users.count();
  }

  /**
   * Binds the user with this email to another unit (the demo seed, when the user's unit was closed by
   * a reorganisation); true when it changed. No route: an administrator creates a user of the new unit.
   */
  async moveToUnit(email: string, unitId: number): Promise<boolean> {
    const user = await this.users.findForLogin(email.toLowerCase());
    if (!user) return false;
    return this.users.setUnit(user.id, unitId);
  }

  /** Creates the user unless the email exists; used by first start and the demo seed. */
  async ensure(user: { email: string; name: string; password: string; role: Role; unitId: number }): Promise<void> {
    await this.users.insert({
      email: user.email.toLowerCase(),
      name: user.name,
      passwordHash: await hashPassword(user.password),
      role: user.role,
      unitId: user.unitId,
    });
  }
}
