import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { databaseUrl } from './infra';
import type { TestApp } from './test-app';

/** The worker (apps/worker/src/main.ts) as a process of its own: what a fault such as kill -9 needs. */
export interface WorkerProcess {
  pid: number;
  /** Everything the process printed, for the failure message of a test. */
  output(): string;
  alive(): boolean;
  /** kill -9: no shutdown hook runs, the jobs and claims it holds are left behind. */
  kill9(): Promise<void>;
  /** SIGTERM and wait for the exit. */
  stop(): Promise<void>;
}

const ROOT = join(__dirname, '..', '..');

/** Starts the worker from source (ts-node, transpile only) on the test app's database and Redis prefix; resolves once it says it is ready. */
export async function startWorkerProcess(t: TestApp, env: Record<string, string>, timeoutMs = 60_000): Promise<WorkerProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', join(ROOT, 'apps/worker/src/main.ts')],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        TS_NODE_PROJECT: join(ROOT, 'tsconfig.json'),
        DATABASE_URL: databaseUrl(t.dbName),
        REDIS_PREFIX: t.redisPrefix,
        DB_MIGRATIONS_RUN: 'false',
        ...env,
        // Its log is how the test knows it is ready (and what a failing test prints).
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker not ready after ${timeoutMs} ms:\n${out.slice(-4000)}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('Worker ready')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`worker exited (${code ?? signal}) before it was ready:\n${out.slice(-4000)}`));
    });
  });
  await ready;
  const alive = () => child.exitCode === null && child.signalCode === null;
  return {
    pid: child.pid!,
    output: () => out,
    alive,
    async kill9() {
      if (alive()) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (alive()) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
