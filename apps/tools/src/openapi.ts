import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { AppModule } from '../../api/src/app.module';
import { openApiConfig } from '../../api/src/openapi-config';

/**
 * Writes the API's OpenAPI document (the one served at /docs-json) to a file, for the web app's
 * typed client. The app is created in preview mode: the module graph and the routes' metadata
 * are read, no provider is instantiated, so no PostgreSQL or Redis is needed.
 *
 * Run it from the build output (node dist/apps/tools/src/openapi.js <out>): the DTO schemas come
 * from the @nestjs/swagger compiler plugin, which only the Nest build applies.
 */
async function main(): Promise<void> {
  const out = resolve(process.argv[2] ?? 'apps/web/src/lib/api/openapi.json');
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, new FastifyAdapter(), {
    preview: true,
    abortOnError: false,
    logger: false,
  });
  const document = SwaggerModule.createDocument(app, openApiConfig());
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(document, null, 2)}\n`);
  console.log(`OpenAPI document: ${Object.keys(document.paths).length} paths -> ${out}`);
  await app.close();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
