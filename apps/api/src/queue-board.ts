import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter as BoardAdapter } from '@bull-board/fastify';
import { getQueueToken } from '@nestjs/bullmq';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Queue } from 'bullmq';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuthService, ScopeService, UsersService } from '@app/auth';
import { DomainError } from '@app/core';
import { QUEUES } from '@app/notifications';
import { sendError } from './http/errors';
import { readAccessToken } from './http/session-token';

export const QUEUE_BOARD_PATH = '/admin/queues';

/**
 * Bull Board at /admin/queues, for admins of the tree's root only (it shows every unit's mail).
 * The board's pages carry no bearer header: it is opened from the web app, whose session cookie
 * (`ct_session`) authenticates it. A token in the URL is never accepted (it would be logged).
 */
export async function mountQueueBoard(app: NestFastifyApplication): Promise<void> {
  const board = new BoardAdapter();
  board.setBasePath(QUEUE_BOARD_PATH);
  createBullBoard({
    queues: Object.values(QUEUES).map((name) => new BullMQAdapter(app.get<Queue>(getQueueToken(name)))),
    serverAdapter: board,
  });
  const auth = app.get(AuthService);
  const users = app.get(UsersService);
  const scope = app.get(ScopeService);
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    if (req.url !== QUEUE_BOARD_PATH && !req.url.startsWith(`${QUEUE_BOARD_PATH}/`) && !req.url.startsWith(`${QUEUE_BOARD_PATH}?`)) return;
    try {
      const token = readAccessToken(req);
      if (!token) throw new DomainError('UNAUTHENTICATED', 'Sign in to the web app first: the queue board uses its session');
      const user = await users.findAuthUser((await auth.verify(token)).sub);
      if (!user) throw new DomainError('UNAUTHENTICATED', 'The user of this session no longer exists');
      await scope.assertRootAdmin(user, 'The queue board');
    } catch (error) {
      return sendError(reply, error);
    }
  });
  await app.register(board.registerPlugin(), { prefix: QUEUE_BOARD_PATH });
}
