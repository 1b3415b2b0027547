/**
 * Builds the OpenAPI 3.1 document of the API from the route declarations (operation.ts). Request
 * and response schemas come from the same zod schemas that the routes validate with, converted by
 * zod 4's `z.toJSONSchema()` (JSON Schema 2020-12, the dialect of OpenAPI 3.1). Schemas with a
 * `meta({ id })` become entries of `components.schemas`.
 */
import { z } from 'zod';
import type { ApiOperation, ResponseSpec } from './operation.js';

type JsonObject = Record<string, unknown>;

/** Body of every error response. */
export const errorResponseSchema = z
  .object({
    error: z.object({
      code: z.string().describe('Stable machine-readable code, for example invalid_request or forbidden.'),
      message: z.string(),
      details: z
        .array(z.object({ path: z.string(), message: z.string() }))
        .optional()
        .describe('Every invalid value, by path such as `events[0].occurredAt`.'),
    }),
  })
  .meta({ id: 'Error' });

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'The path, query or body is invalid; `details` lists every invalid value.',
  401: 'The API key is missing or invalid.',
  403: "The API key's role may not perform this operation; the message names the role needed.",
  404: 'Not found.',
  409: 'The pay period is not in a stage that allows this operation.',
  413: 'The body is larger than the limit.',
  415: 'The body is not JSON.',
  500: 'Internal error; the message contains the request id to look up in the server log.',
  503: 'A dependency is unavailable.',
};

/** Title, version and description of the document. */
export interface OpenApiInfo {
  title: string;
  version: string;
  description?: string;
}

const DEFAULT_INFO: OpenApiInfo = {
  title: 'Incentra API',
  version: '1.0.0',
  description:
    'Incentive compensation for sales and field-force partners: order event ingestion, pay periods, ' +
    'approvals and statements. Amounts are decimal strings in euros.',
};

/** Converts an Express path (`/periods/:periodId`) into an OpenAPI path template (`/periods/{periodId}`). */
export function toOpenApiPath(expressPath: string): string {
  return expressPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

/**
 * Builds the OpenAPI 3.1 document of `operations`. Every operation states its security: public
 * operations have an empty `security` list, the others accept a Bearer token or the `X-API-Key`
 * header and list the roles allowed in `x-roles` and in the description.
 */
export function buildOpenApiDocument(
  operations: readonly ApiOperation[],
  info: OpenApiInfo = DEFAULT_INFO,
): JsonObject {
  const components = new SchemaComponents();
  components.add(errorResponseSchema, 'output');

  const paths: Record<string, Record<string, JsonObject>> = {};
  for (const operation of operations) {
    const pathItem = (paths[toOpenApiPath(operation.path)] ??= {});
    pathItem[operation.method] = describeOperation(operation, components);
  }

  return {
    openapi: '3.1.0',
    info,
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    paths,
    components: {
      schemas: components.schemas,
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', description: 'API key sent as `Authorization: Bearer <key>`.' },
        apiKeyHeader: { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'API key sent in `X-API-Key`.' },
      },
    },
  };
}

function describeOperation(operation: ApiOperation, components: SchemaComponents): JsonObject {
  const roles = operation.access === 'public' ? [] : [...operation.access];
  const access =
    operation.access === 'public' ? 'No API key needed.' : `Requires an API key with the role ${roles.join(' or ')}.`;

  const parameters = [
    ...describeParameters(operation.params, 'path', components),
    ...describeParameters(operation.query, 'query', components),
  ];

  const document: JsonObject = {
    operationId: operation.operationId,
    tags: [operation.tag],
    summary: operation.summary,
    description: operation.description === undefined ? access : `${operation.description}\n\n${access}`,
    security: operation.access === 'public' ? [] : [{ bearerAuth: [] }, { apiKeyHeader: [] }],
    'x-roles': roles,
  };
  if (parameters.length > 0) document.parameters = parameters;

  if (operation.body !== undefined) {
    document.requestBody = {
      // A body schema that accepts `{}` makes the body optional, because the route then treats a missing body as `{}`.
      required: !operation.body.safeParse({}).success,
      content: { 'application/json': { schema: components.add(operation.body, 'input') } },
    };
  }

  document.responses = describeResponses(operation, components);
  return document;
}

function describeParameters(
  schema: z.ZodType | undefined,
  location: 'path' | 'query',
  components: SchemaComponents,
): JsonObject[] {
  if (schema === undefined) return [];

  const objectSchema = components.addInline(schema, 'input');
  const properties = (objectSchema.properties ?? {}) as Record<string, JsonObject>;
  const required = new Set((objectSchema.required ?? []) as string[]);

  return Object.entries(properties).map(([name, property]) => {
    const { description, ...propertySchema } = property;
    return {
      name,
      in: location,
      required: location === 'path' || required.has(name),
      ...(typeof description === 'string' ? { description } : {}),
      schema: propertySchema,
    };
  });
}

function describeResponses(operation: ApiOperation, components: SchemaComponents): Record<string, JsonObject> {
  const specs: Record<number, ResponseSpec> = { ...operation.responses };
  const addError = (status: number) => {
    specs[status] ??= { description: ERROR_DESCRIPTIONS[status] ?? 'Error.' };
  };

  if (operation.params !== undefined || operation.query !== undefined || operation.body !== undefined) addError(400);
  if (operation.access !== 'public') {
    addError(401);
    addError(403);
  }
  if (operation.body !== undefined) {
    addError(413);
    addError(415);
  }
  addError(500);

  const responses: Record<string, JsonObject> = {};
  for (const [status, spec] of Object.entries(specs).sort(([a], [b]) => Number(a) - Number(b))) {
    responses[status] = { description: spec.description, content: describeContent(Number(status), spec, components) };
  }
  return responses;
}

function describeContent(status: number, spec: ResponseSpec, components: SchemaComponents): JsonObject {
  const contentType = spec.contentType ?? 'application/json';
  if (spec.schema !== undefined) return { [contentType]: { schema: components.add(spec.schema, 'output') } };
  if (status >= 400) return { 'application/json': { schema: components.add(errorResponseSchema, 'output') } };
  return { [contentType]: { schema: { type: 'string', contentMediaType: contentType } } };
}

const COMPONENT_PREFIX = '#/components/schemas/';

/**
 * Converts zod schemas and collects the named ones (`meta({ id })`) in `components.schemas`.
 * `z.toJSONSchema()` puts named schemas in `$defs` with `#/$defs/<id>` references, so this moves
 * them to the components and rewrites the references.
 */
class SchemaComponents {
  readonly schemas: Record<string, JsonObject> = {};

  /** Converts `schema`, records its named parts and returns its JSON Schema, a `$ref` when the schema is named. */
  add(schema: z.ZodType, io: 'input' | 'output'): JsonObject {
    const converted = rewriteReferences(z.toJSONSchema(schema, { io, unrepresentable: 'any' })) as JsonObject;
    const { $schema: _dialect, $defs, ...root } = converted;

    for (const [id, definition] of Object.entries(($defs ?? {}) as Record<string, JsonObject>)) {
      this.schemas[id] ??= definition;
    }
    return root;
  }

  /** Like `add`, but returns the schema itself in place of a `$ref`, for splitting an object into parameters. */
  addInline(schema: z.ZodType, io: 'input' | 'output'): JsonObject {
    const root = this.add(schema, io);
    const reference = root.$ref;
    if (typeof reference !== 'string') return root;
    return this.schemas[reference.slice(COMPONENT_PREFIX.length)] ?? root;
  }
}

function rewriteReferences(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewriteReferences);
  if (value === null || typeof value !== 'object') return value;

  const result: JsonObject = {};
  for (const [key, child] of Object.entries(value)) {
    result[key] =
      key === '$ref' && typeof child === 'string' && child.startsWith('#/$defs/')
        ? `${COMPONENT_PREFIX}${child.slice('#/$defs/'.length)}`
        : rewriteReferences(child);
  }
  return result;
}
