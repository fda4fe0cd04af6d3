import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, findUnsafeStrings } from '@app/core';
import { sendError } from './errors';
import { StreamedJsonBody } from './json-body';

/**
 * Every string of every request — path parameters, query and JSON body — must be storable as
 * PostgreSQL text and encodable as UTF-8: no NUL, no unpaired surrogate. Checked once for every
 * route, after parsing and before validation and the handler (400 VALIDATION_FAILED). A streamed
 * body (the import's JSON array) is checked element by element as its handler reads it.
 */
export function rejectUnsafeStrings(fastify: FastifyInstance): void {
  fastify.addHook('preValidation', async (req: FastifyRequest, reply: FastifyReply) => {
    const found = [
      ...findUnsafeStrings(req.params, ''),
      ...findUnsafeStrings(req.query, ''),
      ...((typeof req.body === 'object' && !(req.body instanceof StreamedJsonBody)) || typeof req.body === 'string'
        ? findUnsafeStrings(req.body, '')
        : []),
    ];
    if (found.length > 0) return sendError(reply, DomainError.validation(found));
  });
}
