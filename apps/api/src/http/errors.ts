import { Logger } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Socket } from 'node:net';
import { STATUS_CODES } from 'node:http';
import { DomainError, ErrorBody, toErrorBody } from '@app/core';
import type { RouteInfo } from './routes';

const logger = new Logger('Http');

export function sendError(reply: FastifyReply, error: unknown): FastifyReply {
  const body = toErrorBody(error, logger);
  return reply.code(body.statusCode).type('application/json; charset=utf-8').send(body);
}

/**
 * Fastify server options for what it refuses before any route runs: a URL it cannot decode, and a
 * request line or headers the HTTP parser rejects. Both answer in the API's error shape.
 */
export const httpErrorOptions = {
  frameworkErrors: (error: Error, _req: FastifyRequest, reply: FastifyReply) =>
    sendError(reply, DomainError.validation([{ field: 'url', reason: 'the URL is not valid' }], 'Malformed request URL')),
  clientErrorHandler: (error: NodeJS.ErrnoException, socket: Socket) => {
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const body: ErrorBody =
      error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? { statusCode: 408, code: 'REQUEST_TIMEOUT', message: 'The request took too long to arrive' }
        : error.code === 'HPE_HEADER_OVERFLOW'
          ? { statusCode: 431, code: 'HEADERS_TOO_LARGE', message: 'The request headers are too large' }
          : { statusCode: 400, code: 'VALIDATION_FAILED', message: 'Malformed HTTP request' };
    const text = JSON.stringify(body);
    if (socket.writable) {
      socket.write(
        `HTTP/1.1 ${body.statusCode} ${STATUS_CODES[body.statusCode]}\r\nContent-Length: ${Buffer.byteLength(text)}\r\n` +
          `Content-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${text}`,
      );
    }
    socket.destroy(error);
  },
};

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** A route pattern (/api/units/:id) as a matcher of concrete paths. */
function matcher(path: string): RegExp {
  const source = path
    .split('/')
    .map((segment) => (segment.startsWith(':') ? '[^/]+' : segment === '*' ? '.*' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${source}/?$`);
}

/**
 * For a request no route matches: a known path with another method is 405 (with Allow); a
 * request with a body to an unknown path is refused here, before its body is read. GETs of unknown
 * paths go on to the not-found handler (the web app's fallback).
 */
export function refuseUnroutedRequests(fastify: FastifyInstance, routes: RouteInfo[]): void {
  const patterns = [...new Set(routes.map((r) => r.path))].map((path) => ({
    test: matcher(path),
    methods: [...new Set(routes.filter((r) => r.path === path).map((r) => r.method))],
  }));
  fastify.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    if (req.routeOptions.url !== undefined) return;
    const path = req.url.split('?')[0];
    const allowed = patterns.filter((p) => p.test.test(path)).flatMap((p) => p.methods);
    if (allowed.length > 0 && !allowed.includes(req.method) && !(req.method === 'HEAD' && allowed.includes('GET'))) {
      reply.header('allow', [...new Set(allowed)].join(', '));
      return sendError(reply, new DomainError('METHOD_NOT_ALLOWED', `${req.method} is not allowed here; allowed: ${allowed.join(', ')}`));
    }
    if (BODY_METHODS.has(req.method)) {
      return sendError(reply, new DomainError('NOT_FOUND', 'Not found'));
    }
  });
}

export { BODY_METHODS };

/**
 * After answering a request whose body has not arrived in full (refused before reading, or over
 * its limit), stop reading that connection instead of letting Node read and discard the rest
 * (which costs CPU and, on a cold process, tens of MB of transient buffers). The answer says
 * "Connection: close" (so the client does not reuse the connection), but the socket is closed
 * gently: paused, our side ended, dropped a few seconds later. Node's own close would drop it at
 * once, resetting it under a client still sending, which may then never read the answer.
 */
export function stopReadingUnwantedBodies(fastify: FastifyInstance): void {
  fastify.addHook('onSend', async (req: FastifyRequest, reply: FastifyReply) => {
    const socket = req.raw.socket as (Socket & { destroySoon?: () => void }) | null;
    if (req.raw.complete || !socket || socket.destroyed) return;
    reply.header('connection', 'close');
    socket.destroySoon = () => {
      socket.end();
      setTimeout(() => socket.destroy(), 5000).unref();
    };
  });
  // Node resumes the request to discard its body when the answer is finished; pause the socket after that.
  fastify.addHook('onResponse', async (req: FastifyRequest) => {
    const socket = req.raw.socket;
    if (req.raw.complete || !socket || socket.destroyed) return;
    socket.pause();
    setImmediate(() => socket.pause());
  });
}
