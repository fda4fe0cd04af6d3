import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';

/** A JSON body left unread for its handler to stream (the unit import): see `streamJsonBodies`. */
export class StreamedJsonBody {
  constructor(
    readonly stream: AsyncIterable<Buffer>,
    /** The route's body limit in bytes: the handler's stream reader refuses more (413). */
    readonly limitBytes: number,
  ) {}
}

type Done = (error: Error | null, body?: unknown) => void;

/**
 * JSON bodies: read whole and parsed by Fastify's own parser (same limits, same errors, same
 * prototype-poisoning refusals), except on `streamedPaths`, whose body is handed to the handler
 * unread as a StreamedJsonBody: the unit import parses its 300,000-element array as a stream, in
 * bounded memory. Both run after the onRequest hooks, so a body is read only once authenticated.
 */
export function streamJsonBodies(fastify: FastifyInstance, streamedPaths: string[]): void {
  const parseJson = fastify.getDefaultJsonParser('error', 'error') as (req: FastifyRequest, body: string, done: Done) => void;
  const streamed = new Set(streamedPaths);
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', (req: FastifyRequest, payload: IncomingMessage, done: Done) => {
    const limit = req.routeOptions.bodyLimit ?? fastify.initialConfig.bodyLimit ?? 1024 * 1024;
    const declared = Number(req.headers['content-length']);
    if (declared > limit) return done(tooLarge());
    if (req.routeOptions.url !== undefined && streamed.has(req.routeOptions.url)) return done(null, new StreamedJsonBody(payload, limit));
    readText(payload, limit, declared, (error, text) => (error ? done(error) : parseJson(req, text!, done)));
  });
}

/** The body as UTF-8 text, as Fastify reads it: refused over `limit`, or when shorter or longer than declared. */
function readText(payload: IncomingMessage, limit: number, declared: number, done: (error: Error | null, text?: string) => void): void {
  const chunks: Buffer[] = [];
  let received = 0;
  const finish = (error: Error | null, text?: string) => {
    payload.removeListener('data', onData);
    payload.removeListener('end', onEnd);
    payload.removeListener('error', onError);
    done(error, text);
  };
  const onData = (chunk: Buffer) => {
    received += chunk.length;
    if (received > limit) return finish(tooLarge());
    chunks.push(chunk);
  };
  const onEnd = () => {
    if (!Number.isNaN(declared) && received !== declared) return finish(fastifyError(400, 'FST_ERR_CTP_INVALID_CONTENT_LENGTH'));
    finish(null, Buffer.concat(chunks).toString('utf8'));
  };
  const onError = (error: Error & { statusCode?: number }) => {
    if (!(typeof error.statusCode === 'number' && error.statusCode >= 400)) error.statusCode = 400;
    finish(error);
  };
  payload.on('data', onData);
  payload.on('end', onEnd);
  payload.on('error', onError);
  payload.resume();
}

function fastifyError(statusCode: number, code: string): Error {
  return Object.assign(new Error(code), { statusCode, code });
}

function tooLarge(): Error {
  return fastifyError(413, 'FST_ERR_CTP_BODY_TOO_LARGE');
}
