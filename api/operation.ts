/**
 * Route definitions shared by the router and the OpenAPI document. Each route is declared once with
 * its access rule and the zod schemas of its path parameters, query and body. `mountOperation`
 * enforces them on requests, and openapi.ts converts the same schemas with `z.toJSONSchema()`, so
 * the document cannot drift from what the routes accept.
 */
import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import type { ApiKey, ApiRole } from '../config/config.js';
import type { Logger } from '../config/logger.js';
import { validateWithSchema } from '../domain/validation.js';
import { assertRole, type ApiKeyAuthenticator } from './auth.js';
import { InvalidRequestError, UnsupportedMediaTypeError, type ErrorDetail } from './errors.js';

/** Access rule of an operation: `'public'`, or the roles whose API keys may call it. */
export type Access = 'public' | readonly ApiRole[];

/** One documented response of an operation. `schema` describes a JSON body. Omit it for other content types. */
export interface ResponseSpec {
  description: string;
  schema?: z.ZodType;
  /** Media type of the body, `application/json` when unset. */
  contentType?: string;
}

/** A JSON response that a handler returns for `mountOperation` to send. */
export interface JsonReply {
  status: number;
  body: unknown;
}

/** Validated request passed to a handler. `apiKey` is set for every operation that is not public. */
export interface OperationContext<Params, Query, Body, A extends Access> {
  params: Params;
  query: Query;
  body: Body;
  apiKey: A extends 'public' ? undefined : ApiKey;
  request: Request;
  response: Response;
  /** Request logger, with the request id bound. */
  log: Logger;
}

type Absent = z.ZodType<undefined>;

/** The declaration of one route, as written in a routes/*.ts file. */
export interface OperationDefinition<
  ParamsSchema extends z.ZodType,
  QuerySchema extends z.ZodType,
  BodySchema extends z.ZodType,
  A extends Access,
> {
  method: 'get' | 'post';
  /** Express path, for example `/api/v1/periods/:periodId`. */
  path: string;
  operationId: string;
  /** OpenAPI tag, the noun of the route file. */
  tag: string;
  summary: string;
  description?: string;
  access: A;
  params?: ParamsSchema;
  query?: QuerySchema;
  body?: BodySchema;
  /** Responses other than the error responses that openapi.ts adds from the access rule and schemas. */
  responses: Record<number, ResponseSpec>;
  /** Handles a validated request. Returns the JSON reply, or undefined after writing the response itself. */
  handle(
    context: OperationContext<z.output<ParamsSchema>, z.output<QuerySchema>, z.output<BodySchema>, A>,
  ): Promise<JsonReply | undefined>;
}

/** Input of `ApiOperation.execute`: the request after authentication. */
export interface ExecutionInput {
  request: Request;
  response: Response;
  apiKey: ApiKey | undefined;
  log: Logger;
}

/** A route declaration with its schema types erased, so routes of every shape fit in one list. */
export interface ApiOperation {
  readonly method: 'get' | 'post';
  readonly path: string;
  readonly operationId: string;
  readonly tag: string;
  readonly summary: string;
  readonly description?: string;
  readonly access: Access;
  readonly params?: z.ZodType;
  readonly query?: z.ZodType;
  readonly body?: z.ZodType;
  readonly responses: Record<number, ResponseSpec>;
  /** Validates the path parameters, query and body, then runs the handler. Throws InvalidRequestError listing every invalid value. */
  execute(input: ExecutionInput): Promise<JsonReply | undefined>;
}

/** Declares a route. The handler's context is typed from the schemas and the access rule. */
export function defineOperation<
  A extends Access,
  ParamsSchema extends z.ZodType = Absent,
  QuerySchema extends z.ZodType = Absent,
  BodySchema extends z.ZodType = Absent,
>(definition: OperationDefinition<ParamsSchema, QuerySchema, BodySchema, A>): ApiOperation {
  const { handle, ...spec } = definition;

  return {
    ...spec,
    async execute({ request, response, apiKey, log }) {
      const details: ErrorDetail[] = [];
      const params = parsePart(definition.params, request.params, 'path', details);
      const query = parsePart(definition.query, request.query, 'query', details);
      const body = parsePart(definition.body, readJsonBody(request, definition.body !== undefined), 'body', details);
      if (details.length > 0) {
        throw new InvalidRequestError(`invalid request: ${details.map((detail) => detail.path).join(', ')}`, details);
      }

      return handle({
        params: params as z.output<ParamsSchema>,
        query: query as z.output<QuerySchema>,
        body: body as z.output<BodySchema>,
        apiKey: apiKey as OperationContext<unknown, unknown, unknown, A>['apiKey'],
        request,
        response,
        log,
      });
    },
  };
}

/**
 * Registers an operation on the router: authenticates the key and checks its role unless the
 * operation is public, records the role for the request log, runs the operation and sends its
 * reply. Errors go to the app's error middleware.
 */
export function mountOperation(router: Router, operation: ApiOperation, authenticator: ApiKeyAuthenticator): void {
  router[operation.method](operation.path, async (request: Request, response: Response) => {
    let apiKey: ApiKey | undefined;
    if (operation.access !== 'public') {
      apiKey = authenticator.authenticate(request);
      response.locals.role = apiKey.role;
      assertRole(apiKey, operation.access);
    }

    const log = requestLogger(response);
    const reply = await operation.execute({ request, response, apiKey, log });
    if (reply !== undefined) response.status(reply.status).json(reply.body);
  });
}

/** Returns the request's logger, which app.ts stores in `response.locals.log` before any route runs. */
export function requestLogger(response: Response): Logger {
  const log = response.locals.log as Logger | undefined;
  if (log === undefined) {
    throw new Error('request logger missing; mount the request context middleware before the routes');
  }
  return log;
}

/**
 * Returns the parsed JSON body, `{}` when a body schema exists but the request has an empty body,
 * and undefined for operations without a body. Throws UnsupportedMediaTypeError for a non-empty
 * body that is not `application/json`.
 */
function readJsonBody(request: Request, expectsBody: boolean): unknown {
  if (!expectsBody) return undefined;

  const hasContent = request.get('transfer-encoding') !== undefined || Number(request.get('content-length') ?? '0') > 0;
  if (hasContent && !request.is('application/json')) {
    throw new UnsupportedMediaTypeError("send the request body as JSON with 'Content-Type: application/json'");
  }
  return request.body ?? {};
}

/** Parses one part of the request. `part` (path, query or body) names an issue about the part as a whole. */
function parsePart(schema: z.ZodType | undefined, value: unknown, part: string, details: ErrorDetail[]): unknown {
  if (schema === undefined) return undefined;

  const result = validateWithSchema(schema, value);
  if (result.success) return result.data;

  for (const issue of result.issues)
    details.push({ path: issue.path === '' ? part : issue.path, message: issue.message });
  return undefined;
}
