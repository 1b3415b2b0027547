/** Serves the OpenAPI document of the API. */
import { z } from 'zod';
import { buildOpenApiDocument } from '../openapi.js';
import { defineOperation, type ApiOperation } from '../operation.js';

const openApiDocument = z.record(z.string(), z.unknown()).meta({ id: 'OpenApiDocument' });

/**
 * Returns the operation `GET /openapi.json` (public), which serves the OpenAPI 3.1 document of
 * `listOperations()`. The document is built on the first request and reused.
 */
export function openApiOperations(listOperations: () => readonly ApiOperation[]): ApiOperation[] {
  let document: Record<string, unknown> | undefined;

  return [
    defineOperation({
      method: 'get',
      path: '/openapi.json',
      operationId: 'getOpenApiDocument',
      tag: 'openapi',
      summary: 'Read the OpenAPI 3.1 document of this API',
      access: 'public',
      responses: { 200: { description: 'The OpenAPI document.', schema: openApiDocument } },
      async handle() {
        document ??= buildOpenApiDocument(listOperations());
        return { status: 200, body: document };
      },
    }),
  ];
}
