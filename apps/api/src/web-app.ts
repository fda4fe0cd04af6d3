import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { QUEUE_BOARD_PATH } from './queue-board';

/** Paths that belong to the server, never to the web app: an unknown one is a JSON 404, not index.html. */
const SERVER_PATHS = /^\/(api|health|docs|docs-json|docs-yaml)(\/|$|\?)/;
/** Built assets (Vite's hashed files): a missing one is a 404, never HTML served as a script. */
const ASSET_PATHS = /^\/assets\//;

/** The app's shell may be cached by nobody; it names the hashed assets of the current build. */
const SHELL_HEADERS = {
  'cache-control': 'no-cache',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  // antd writes its styles at run time (inline <style>); scripts only from this origin.
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'",
};

function notFound(reply: FastifyReply, url: string): FastifyReply {
  return reply.code(404).send({ statusCode: 404, code: 'NOT_FOUND', message: `Cannot GET ${url.split('?')[0]}` });
}

/**
 * Serves the built web app (WEB_DIST_DIR, relative to the working directory) at `/`: its files as
 * they are (hashed assets cached for a year), and index.html for every other GET path that is not
 * the server's own (/api, /health, /docs, /admin/queues), so that /units/5 or /approvals opened from
 * an email load the app, which then routes. Without the folder nothing is mounted: the API starts
 * and `/` answers the JSON 404. Returns whether the app is served.
 */
export async function mountWebApp(app: NestFastifyApplication, distDir: string): Promise<boolean> {
  const root = resolve(process.cwd(), distDir);
  const indexFile = join(root, 'index.html');
  if (!existsSync(indexFile) || !statSync(root).isDirectory()) return false;

  await app.register(fastifyStatic as never, {
    root,
    prefix: '/',
    // The queue board registers @fastify/static too (with the reply decorator) in its own scope.
    decorateReply: false,
    // One route per file of the build, found now; the SPA fallback below is the wildcard.
    wildcard: false,
    index: false,
    maxAge: '365d',
    immutable: true,
    // Only Vite's hashed files may be cached for good; anything else (favicon, robots.txt) is revalidated.
    setHeaders: (reply: FastifyReply, path: string) => {
      if (!path.startsWith(join(root, 'assets'))) reply.header('cache-control', 'no-cache');
    },
  });

  const fastify = app.getHttpAdapter().getInstance();
  const shell = async (req: FastifyRequest, reply: FastifyReply) => {
    const url = req.url;
    if (SERVER_PATHS.test(url) || url.startsWith(QUEUE_BOARD_PATH) || ASSET_PATHS.test(url)) return notFound(reply, url);
    // Read on each request (a few kB): a rebuilt app is served without restarting the API.
    const html = await readFile(indexFile).catch(() => null);
    if (!html) return notFound(reply, url);
    return reply.headers(SHELL_HEADERS).type('text/html; charset=utf-8').send(html);
  };
  fastify.get('/', shell);
  fastify.get('/*', shell);
  return true;
}
