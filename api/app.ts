/**
 * The Incentra HTTP API as an Express 5 app: request ids, one log line per request, API key
 * authentication, the routes of api/routes/ and `{ error: { code, message, details? } }` for
 * every error. Start it with startApiServer (server.ts).
 */
import { randomUUID } from 'node:crypto';
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import type { ApiKey } from '../config/config.js';
import type { Logger } from '../config/logger.js';
import type { TaxRuleSet } from '../domain/tax/types.js';
import type { PrismaClient } from '../store/prisma.js';
import { ApiKeyAuthenticator } from './auth.js';
import {
  HttpError,
  InternalServerError,
  InvalidRequestError,
  NotFoundError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
} from './errors.js';
import { mountOperation, type ApiOperation } from './operation.js';
import type { EventsAcceptedHandler, PayPeriodPort, RenderStatementPdf } from './ports.js';
import { healthOperations } from './routes/health.js';
import { openApiOperations } from './routes/openapi.js';
import { orderEventOperations } from './routes/order-events.js';
import { periodOperations } from './routes/periods.js';
import { planOperations } from './routes/plans.js';
import { simulationOperations, SIMULATIONS_PATH } from './routes/simulations.js';
import { statementOperations } from './routes/statements.js';

/** Default maximum size of a JSON request body, in the `bytes` package's notation. */
export const DEFAULT_BODY_LIMIT = '5mb';

/**
 * Default maximum size of a `POST /api/v1/simulations` body, whose Salesforce records are larger
 * than an ingestion batch: the records of the default demo data set, 22,000 orders over four
 * months, are about 40 MB of compact JSON.
 */
export const DEFAULT_SIMULATION_BODY_LIMIT = '64mb';

// Client-supplied request ids are echoed only when short and free of characters that could forge log lines.
const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/** Everything the API needs from the rest of the system. */
export interface ApiDependencies {
  prisma: PrismaClient;
  payPeriods: PayPeriodPort;
  apiKeys: readonly ApiKey[];
  logger: Logger;
  /** Renders a statement PDF when no stored document exists. */
  renderPdf: RenderStatementPdf;
  /** Called after each ingestion request that accepted events, as EventsAcceptedHandler describes. */
  onEventsAccepted?: EventsAcceptedHandler;
  /** Tax rules of the what-if runs of `POST /api/v1/simulations`, from the tax-rate file. */
  taxRules: TaxRuleSet;
  /** Maximum JSON body size, for example '5mb'. DEFAULT_BODY_LIMIT when unset. */
  bodyLimit?: string;
  /** Maximum JSON body size of `POST /api/v1/simulations`. DEFAULT_SIMULATION_BODY_LIMIT when unset. */
  simulationBodyLimit?: string;
}

/** Returns every operation of the API, in the order they are mounted and documented. */
export function listOperations(deps: ApiDependencies): ApiOperation[] {
  const operations: ApiOperation[] = [
    ...healthOperations(deps),
    ...orderEventOperations(deps),
    ...periodOperations(deps),
    ...planOperations(deps),
    ...simulationOperations(deps),
    ...statementOperations(deps),
  ];
  operations.push(...openApiOperations(() => operations));
  return operations;
}

/**
 * Creates the Express app of the API. Routes are under `/api/v1`, plus the public `/health` and
 * `/openapi.json`. Unknown routes get 404, and errors never include stack traces.
 */
export function createApp(deps: ApiDependencies): Express {
  const bodyLimit = deps.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const simulationBodyLimit = deps.simulationBodyLimit ?? DEFAULT_SIMULATION_BODY_LIMIT;
  const authenticator = new ApiKeyAuthenticator(deps.apiKeys);

  const app = express();
  app.disable('x-powered-by');
  app.use(requestContext(deps.logger));
  // The body parser skips a body that an earlier parser has read, so the simulation route's
  // larger limit applies to that route only.
  // NOTE: bodies are parsed before the API key is checked, so requests without a key can send up
  // to this limit too.
  app.use(SIMULATIONS_PATH, express.json({ limit: simulationBodyLimit }));
  app.use(express.json({ limit: bodyLimit }));

  const router = express.Router();
  for (const operation of listOperations(deps)) mountOperation(router, operation, authenticator);
  app.use(router);

  app.use((request, _response, next) => {
    next(new NotFoundError(`no route for ${request.method} ${request.path}; GET /openapi.json lists the routes`));
  });
  app.use(errorHandler(deps.logger, { bodyLimit, simulationBodyLimit }));
  return app;
}

/**
 * Assigns the request id, which is the client's `X-Request-Id` when valid and a new UUID otherwise.
 * Echoes it in the response and binds it to a child logger in `response.locals.log`. When the
 * response ends, writes one log line with method, path, status, duration in ms, request id and the
 * key's role, plus the error code for failed requests. The key itself is never logged.
 */
function requestContext(logger: Logger): RequestHandler {
  return (request, response, next) => {
    const presented = request.get('x-request-id');
    const requestId = presented !== undefined && REQUEST_ID_PATTERN.test(presented) ? presented : randomUUID();
    const log = logger.child({ requestId });
    response.setHeader('X-Request-Id', requestId);
    response.locals.requestId = requestId;
    response.locals.log = log;

    const started = process.hrtime.bigint();
    const method = request.method;
    const path = request.path;
    let logged = false;
    const logRequest = () => {
      if (logged) return;
      logged = true;

      const ms = Math.round(Number(process.hrtime.bigint() - started) / 1e5) / 10;
      const fields = {
        method,
        path,
        status: response.statusCode,
        ms,
        role: (response.locals.role as string | undefined) ?? null,
        ...(response.locals.errorCode === undefined ? {} : { errorCode: response.locals.errorCode as string }),
        ...(response.writableFinished ? {} : { aborted: true }),
      };
      if (response.statusCode >= 500) log.error(fields, 'request failed');
      else log.info(fields, 'request completed');
    };
    response.on('finish', logRequest);
    response.on('close', logRequest);
    next();
  };
}

/**
 * Sends every error as `{ error: { code, message, details? } }`. Logs server errors with their
 * stack, and stores the code for the request log line.
 */
function errorHandler(logger: Logger, limits: BodyLimits): ErrorRequestHandler {
  return (error: unknown, request, response, _next) => {
    const log = (response.locals.log as Logger | undefined) ?? logger;
    const requestId = (response.locals.requestId as string | undefined) ?? 'unknown';
    const httpError = toHttpError(error, requestId, bodyLimitOf(request.path, limits));

    if (httpError.status >= 500) log.error({ err: error }, 'request failed with an internal error');
    // The request log line reports the code, so client errors need no line of their own.
    response.locals.errorCode = httpError.code;

    if (response.headersSent) {
      // Part of the body was sent, so a JSON error cannot follow. Closing the connection shows the
      // client that the response is incomplete.
      response.destroy();
      return;
    }

    // A handler may have set headers for the body it meant to send, such as a PDF's.
    for (const header of ['Content-Disposition', 'Content-Length', 'Cache-Control']) response.removeHeader(header);
    response.setHeader('Content-Type', 'application/json; charset=utf-8');
    if (httpError.status === 401) response.setHeader('WWW-Authenticate', 'Bearer');
    const details = httpError.details === undefined ? {} : { details: httpError.details };
    response.status(httpError.status).json({ error: { code: httpError.code, message: httpError.message, ...details } });
  };
}

/** The JSON body limits of createApp, in the `bytes` package's notation. */
interface BodyLimits {
  bodyLimit: string;
  simulationBodyLimit: string;
}

/**
 * Returns the body limit that applies to a request path, the way createApp mounts the parsers, and
 * what a client can do to stay below it.
 */
function bodyLimitOf(path: string, limits: BodyLimits): { limit: string; advice: string } {
  if (path === SIMULATIONS_PATH || path.startsWith(`${SIMULATIONS_PATH}/`)) {
    return { limit: limits.simulationBodyLimit, advice: 'send only the orders with a state change in the period' };
  }
  return { limit: limits.bodyLimit, advice: 'send fewer events per request' };
}

/**
 * Converts any error into an HttpError. Body parser errors carry a `type` and map to 400, 413 or
 * 415. Other errors that declare a client status (4xx with `expose`, from http-errors) keep it.
 * Everything else becomes a 500 whose message names only the request id.
 */
function toHttpError(error: unknown, requestId: string, bodyLimit: { limit: string; advice: string }): HttpError {
  if (error instanceof HttpError) return error;

  const candidate = (typeof error === 'object' && error !== null ? error : {}) as {
    type?: unknown;
    status?: unknown;
    expose?: unknown;
    message?: unknown;
  };
  switch (candidate.type) {
    case 'entity.parse.failed':
      return new InvalidRequestError(`the body is not valid JSON: ${String(candidate.message)}`);
    case 'entity.too.large':
      return new PayloadTooLargeError(`the body is larger than the limit of ${bodyLimit.limit}; ${bodyLimit.advice}`);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new UnsupportedMediaTypeError(`${String(candidate.message)}; send the body as UTF-8 JSON`);
  }

  if (
    typeof candidate.status === 'number' &&
    candidate.status >= 400 &&
    candidate.status < 500 &&
    candidate.expose === true
  ) {
    return new HttpError(candidate.status, 'invalid_request', String(candidate.message));
  }
  return new InternalServerError(
    'internal_error',
    `internal error; the server log has the details under request id ${requestId}`,
  );
}
