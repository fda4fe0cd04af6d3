import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { parse as parseQueryString } from 'node:querystring';
import { AllExceptionsFilter, createValidationPipe, validateEnv } from '@app/core';
import { AppModule } from './app.module';
import { openApiConfig } from './openapi-config';
import { UNIT_IMPORT_PATH } from './controllers/units.controller';
import { httpErrorOptions, installHttpSecurity, streamJsonBodies } from './http';
import { mountQueueBoard } from './queue-board';
import { mountWebApp } from './web-app';

const DEFAULT_BODY_LIMIT = 1024 * 1024;

/** Builds the API application (used by main.ts and by the end-to-end tests). */
export async function createApp(): Promise<NestFastifyApplication> {
  const env = validateEnv(process.env);
  const adapter = new FastifyAdapter({ bodyLimit: DEFAULT_BODY_LIMIT, trustProxy: env.TRUST_PROXY, ...httpErrorOptions });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, adapter, { bufferLogs: true });
  const fastify = app.getHttpAdapter().getInstance();
  const importLimit = env.IMPORT_BODY_LIMIT_MB * 1024 * 1024;
  // Only the import takes large bodies (300,000 units in one request).
  fastify.addHook('onRoute', (route) => {
    if (route.url === UNIT_IMPORT_PATH) route.bodyLimit = importLimit;
  });
  await app.register(multipart, { limits: { fileSize: importLimit, files: 1 } });
  // …and reads its JSON array as a stream, as it does CSV and XLSX files (bounded memory). The body
  // parsers are ours, so Nest does not register its own (a form body parsed as Nest would).
  app.useBodyParser('application/x-www-form-urlencoded', { bodyLimit: DEFAULT_BODY_LIMIT }, (_req, body, done) =>
    done(null, parseQueryString(body.toString())),
  );
  streamJsonBodies(fastify, [UNIT_IMPORT_PATH]);
  // Parses cookies and lets the login set the web session's (see AuthController); the one cookie plugin.
  await app.register(cookie as never);
  await installHttpSecurity(app, env);

  app.useLogger(app.get(Logger));
  app.useGlobalFilters(new AllExceptionsFilter());
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();

  const document = SwaggerModule.createDocument(app, openApiConfig());
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  await mountQueueBoard(app);
  await mountWebApp(app, env.WEB_DIST_DIR);
  return app;
}
