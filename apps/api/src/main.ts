import 'reflect-metadata';
import { Env } from '@app/core';
import { createApp } from './create-app';

async function main(): Promise<void> {
  const app = await createApp();
  await app.listen({ port: app.get(Env).PORT, host: '0.0.0.0' });
}

main().catch((error) => {
  // Configuration errors name the variable; print them plainly and stop.
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
