import type Redis from 'ioredis';

/** Every key under a prefix (SCAN, never KEYS: the Redis may be shared). */
export async function scanKeys(redis: Redis, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  return keys;
}

/** Bytes Redis holds for the keys of a prefix (MEMORY USAGE, exact: SAMPLES 0). */
export async function prefixBytes(redis: Redis, prefix: string): Promise<{ keys: number; bytes: number }> {
  const keys = await scanKeys(redis, prefix);
  let bytes = 0;
  for (let i = 0; i < keys.length; i += 1000) {
    const pipeline = redis.pipeline();
    for (const k of keys.slice(i, i + 1000)) pipeline.memory('USAGE', k, 'SAMPLES', 0);
    for (const [, value] of (await pipeline.exec()) ?? []) bytes += Number(value ?? 0);
  }
  return { keys: keys.length, bytes };
}

export async function deletePrefix(redis: Redis, prefix: string): Promise<void> {
  const keys = await scanKeys(redis, prefix);
  for (let i = 0; i < keys.length; i += 1000) await redis.del(...keys.slice(i, i + 1000));
}
