import { Injectable } from '@nestjs/common';
import { availableParallelism } from 'node:os';
import { DomainError } from '@app/core';

/**
 * Bounds password hashing (argon2id: 64 MiB and tens of ms of CPU each): one hash per core at a
 * time, and no address may hold every core (one is always left for the others); those waiting are
 * served round-robin by client address, so a spray from one address cannot make a real user from
 * another wait behind it. An address with more than its share waiting, or a full queue, is refused
 * at once (429 RATE_LIMITED) instead of queueing forever.
 */
@Injectable()
export class HashLimiter {
  readonly slots = Math.max(1, availableParallelism());
  readonly maxRunningPerAddress = Math.max(1, this.slots - 1);
  readonly maxWaitingPerAddress = this.slots * 2;
  readonly maxWaiting = this.slots * 16;
  private running = 0;
  private waitingCount = 0;
  private readonly runningBy = new Map<string, number>();
  /** Waiting work per address, in the order addresses are served. */
  private readonly queues = new Map<string, (() => void)[]>();

  async run<T>(address: string, work: () => Promise<T>): Promise<T> {
    if (this.running < this.slots && (this.runningBy.get(address) ?? 0) < this.maxRunningPerAddress && !this.queues.has(address)) {
      this.start(address);
    } else {
      const queue = this.queues.get(address) ?? [];
      if (queue.length >= this.maxWaitingPerAddress || this.waitingCount >= this.maxWaiting) {
        throw new DomainError('RATE_LIMITED', 'Too many logins at once, try again in a moment', { retryAfterSeconds: 1 });
      }
      this.queues.set(address, queue);
      this.waitingCount++;
      await new Promise<void>((resolve) => queue.push(resolve));
    }
    try {
      return await work();
    } finally {
      this.finish(address);
    }
  }

  private start(address: string): void {
    this.running++;
    this.runningBy.set(address, (this.runningBy.get(address) ?? 0) + 1);
  }

  private finish(address: string): void {
    this.running--;
    const left = (this.runningBy.get(address) ?? 1) - 1;
    if (left > 0) this.runningBy.set(address, left);
    else this.runningBy.delete(address);
    this.dispatch();
  }

  /** Fills free slots from the addresses in turn (each served goes to the back of the line). */
  private dispatch(): void {
    for (const [address, queue] of this.queues) {
      if (this.running >= this.slots) return;
      if ((this.runningBy.get(address) ?? 0) >= this.maxRunningPerAddress) continue;
      const next = queue.shift()!;
      this.queues.delete(address);
      if (queue.length > 0) this.queues.set(address, queue);
      this.waitingCount--;
      this.start(address);
      next();
    }
  }
}
