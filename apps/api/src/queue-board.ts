import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter as BoardAdapter } from '@bull-board/fastify';
import { getQueueToken } from '@nestjs/bullmq';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Queue } from 'bullmq';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuthService, readCookie, SESSION_COOKIE, UsersService } from '@app/auth';
import { QUEUES } from '@app/notifications';

export const QUEUE_BOARD_PATH = '/admin/queues';
export const QUEUE_BOARD_COOKIE = 'queue_board_token';
const COOKIE = QUEUE_BOARD_COOKIE;

/**
 * Bull Board at /admin/queues, for admins only. The board's own pages and assets carry no bearer
 * header, so the token may come once as ?token=… and is then kept in an HttpOnly cookie.
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
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    if (!req.url.startsWith(QUEUE_BOARD_PATH)) return;
    const fromQuery = (req.query as { token?: string } | undefined)?.token;
    const fromHeader = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const fromCookie = new RegExp(`(?:^|;\\s*)${COOKIE}=([^;]+)`).exec(req.headers.cookie ?? '')?.[1];
    // The web app opens the board in the browser with its session cookie.
    const fromSession = readCookie(req.headers.cookie, SESSION_COOKIE);
    const token = fromHeader ?? fromQuery ?? fromCookie ?? fromSession;
    const refuse = (statusCode: number, code: string, message: string) => reply.code(statusCode).send({ statusCode, code, message });
    if (!token) return refuse(401, 'UNAUTHENTICATED', 'Missing bearer token');
    try {
      const user = await users.findAuthUser((await auth.verify(token)).sub);
      if (!user) return refuse(401, 'UNAUTHENTICATED', 'The user of this token no longer exists');
      if (user.role !== 'admin') return refuse(403, 'FORBIDDEN_SCOPE', 'The queue board is for admins');
    } catch {
      return refuse(401, 'UNAUTHENTICATED', 'Invalid token');
    }
    if (fromQuery) reply.header('set-cookie', `${COOKIE}=${token}; Path=${QUEUE_BOARD_PATH}; HttpOnly; SameSite=Strict`);
  });
  await app.register(board.registerPlugin(), { prefix: QUEUE_BOARD_PATH });
}
