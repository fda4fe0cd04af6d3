import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer, Reflector } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { MIN_ROLE_KEY, PUBLIC_KEY, ROOT_ADMIN_KEY, RootAdminOptions, UNIT_SCOPE_KEY, UnitScopeSource } from '@app/auth';
import type { Role } from '@app/core';

/** One route of the API as its controller declares it, with who may call it. */
export interface RouteInfo {
  method: string;
  /** Fastify's form: /api/units/:id */
  path: string;
  isPublic: boolean;
  minRole?: Role;
  unitScope?: UnitScopeSource;
  rootAdmin?: RootAdminOptions;
}

const join = (...parts: (string | undefined)[]) =>
  `/${parts
    .flatMap((p) => (p ?? '').split('/'))
    .filter(Boolean)
    .join('/')}`;

/**
 * Every controller route with its access metadata, read from the Nest controllers (not from a
 * list kept by hand): the pre-body authentication and the security tests both read it.
 */
export function describeRoutes(app: NestFastifyApplication): RouteInfo[] {
  const reflector = app.get(Reflector);
  const routes: RouteInfo[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => object) | null;
      if (!controller) continue;
      const base = Reflect.getMetadata(PATH_METADATA, controller) as string | string[] | undefined;
      const proto = controller.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(proto)) {
        const handler = proto[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (method === undefined) continue;
        const own = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
        const targets = [handler, controller];
        for (const b of [base].flat()) {
          for (const p of [own].flat()) {
            routes.push({
              method: RequestMethod[method],
              path: join(b, p),
              isPublic: reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets) === true,
              minRole: reflector.getAllAndOverride<Role | undefined>(MIN_ROLE_KEY, targets),
              unitScope: reflector.getAllAndOverride<UnitScopeSource | undefined>(UNIT_SCOPE_KEY, targets),
              rootAdmin: reflector.getAllAndOverride<RootAdminOptions | undefined>(ROOT_ADMIN_KEY, targets),
            });
          }
        }
      }
    }
  }
  return routes;
}

export const routeKey = (method: string, path: string) => `${method.toUpperCase()} ${path}`;

const registered = new WeakMap<object, { method: string; url: string }[]>();

/** Records every route Fastify registers from now on (Nest's, Swagger's, the queue board's). */
export function collectRegisteredRoutes(fastify: {
  addHook(name: 'onRoute', hook: (route: { method: string | string[]; url: string }) => void): unknown;
}): void {
  const list: { method: string; url: string }[] = [];
  registered.set(fastify, list);
  fastify.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) list.push({ method, url: route.url });
  });
}

/** Every route the HTTP server answers, as registered (for the security tests: a new route needs a rule). */
export function registeredRoutes(app: NestFastifyApplication): { method: string; url: string }[] {
  return [...(registered.get(app.getHttpAdapter().getInstance()) ?? [])];
}
