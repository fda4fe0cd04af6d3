import { Injectable } from '@nestjs/common';
import { availableParallelism } from 'node:os';
import { DomainError } from '@app/core';

/**
 * Bounds password hashing (argon2id: 64 MiB and tens of ms of CPU each): one hash per core at a
 * time; those waiting are served round-robin by client address, so a spray from one address
 * cannot make a real user from another wait behind it; an address with more than its share
 * waiting, or a full queue, is refused at once (429 RATE_LIMITED) instead of queueing forever.
 */
@Injectable()
export class HashLimiter {
  readonly slots = Math.max(1, availableParallelism());
  readonly maxWaitingPerAddress = this.slots * 2;
  readonly maxWaiting = this.slots * 16;
  private running = 0;
  private waitingCount = 0;
  /** Waiting work per address, in the order addresses are served. */
  private readonly queues = new Map<string, (() => void)[]>();

  async run<T>(address: string, work: () => Promise<T>): Promise<T> {
    if (this.running >= this.slots) {
      const queue = this.queues.get(address) ?? [];
      if (queue.length >= this.maxWaitingPerAddress || this.waitingCount >= this.maxWaiting) {
        throw new DomainError('RATE_LIMITED', 'Too many logins at once, try again in a moment', { retryAfterSeconds: 1 });
      }
      this.queues.set(address, queue);
      this.waitingCount++;
      await new Promise<void>((resolve) => queue.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await work();
    } finally {
      this.release();
    }
  }

  /** Hands the slot to the first address in turn, which then goes to the back of the line. */
  private release(): void {
    const first = this.queues.entries().next();
    if (first.done) {
      this.running--;
      return;
    }
    const [address, queue] = first.value;
    const next = queue.shift()!;
    this.queues.delete(address);
    if (queue.length > 0) this.queues.set(address, queue);
    this.waitingCount--;
    next();
  }
}
