import { DocumentBuilder, type OpenAPIObject } from '@nestjs/swagger';

/** The OpenAPI document's header, shared by the API's /docs and the web client's generator (apps/tools/src/openapi.ts). */
export function openApiConfig(): Omit<OpenAPIObject, 'paths'> {
  return new DocumentBuilder()
    .setTitle('Congress preparation tracker')
    .setDescription('Units, the 15-step congress plan, approvals, reminders and reports')
    .setVersion('1')
    .addBearerAuth()
    .addCookieAuth('ct_session')
    .build();
}
