import type { ConnectionOptions } from 'bullmq';

/**
 * BullMQ connection options from REDIS_URL. Producers give up on a command after one reconnection
 * attempt (callers also bound their waits); workers wait for Redis as BullMQ requires.
 */
export function redisConnection(url: string, role: 'producer' | 'worker'): ConnectionOptions {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0,
    tls: u.protocol === 'rediss:' ? {} : undefined,
    ...(role === 'producer' ? { maxRetriesPerRequest: 1 } : { maxRetriesPerRequest: null }),
    retryStrategy: (times: number) => Math.min(times * 500, 5000),
  };
}

/** Bounds a wait on Redis: while it is down, callers fail after `ms` and retry later instead of hanging. */
export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms`)), ms);
    promise.then(
      (v) => (clearTimeout(timer), resolve(v)),
      (e: unknown) => (clearTimeout(timer), reject(e instanceof Error ? e : new Error(String(e)))),
    );
  });
}
