import helmet from '@fastify/helmet';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Env } from '@app/core';

/**
 * Security headers on every answer: a CSP for the same-origin web app (its own scripts; antd's
 * CSS-in-JS needs inline styles), no framing, no MIME sniffing; and CORS that admits only the
 * app's own origin (APP_URL) — the web app is served by the API, same origin.
 */
export async function applySecurityHeaders(app: NestFastifyApplication, env: Env): Promise<void> {
  await app.register(helmet as never, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        // The same sources as the web app's shell (web-app.ts), whose CSP index.html carries.
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    frameguard: { action: 'deny' },
  });
  app.enableCors({ origin: [new URL(env.APP_URL).origin], credentials: true });
}
