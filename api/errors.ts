/**
 * HTTP errors of the API. Handlers throw these, and the error middleware in app.ts turns each into
 * `{ error: { code, message, details? } }` with the error's status. Any other error becomes a 500
 * whose message names only the request id, so no internal detail or stack trace reaches a client.
 */

/** One problem with a request value. `path` is the field, for example `events[0].occurredAt` or `reason`. */
export interface ErrorDetail {
  path: string;
  message: string;
}

/** Base class of the errors that map to one HTTP status and a stable, machine-readable `code`. */
export class HttpError extends Error {
  override readonly name: string = 'HttpError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: readonly ErrorDetail[],
  ) {
    super(message);
  }
}

/** 400: the path, query or body is invalid. `details` lists every invalid value. */
export class InvalidRequestError extends HttpError {
  override readonly name = 'InvalidRequestError';

  constructor(message: string, details?: readonly ErrorDetail[]) {
    super(400, 'invalid_request', message, details);
  }
}

/** 401: the request has no API key, or the key is not configured. */
export class UnauthorizedError extends HttpError {
  override readonly name = 'UnauthorizedError';

  constructor(message: string) {
    super(401, 'unauthorized', message);
  }
}

/** 403: the API key is valid but its role may not perform the operation. */
export class ForbiddenError extends HttpError {
  override readonly name = 'ForbiddenError';

  constructor(message: string) {
    super(403, 'forbidden', message);
  }
}

/** 404: the route or the resource does not exist, or is not visible to this API key. */
export class NotFoundError extends HttpError {
  override readonly name = 'NotFoundError';

  constructor(message: string) {
    super(404, 'not_found', message);
  }
}

/** 409: the pay period, statement or plans are not in a state that allows the operation. */
export class ConflictError extends HttpError {
  override readonly name = 'ConflictError';

  constructor(message: string, code = 'wrong_stage', details?: readonly ErrorDetail[]) {
    super(409, code, message, details);
  }
}

/** 413: the request body is larger than the configured limit. */
export class PayloadTooLargeError extends HttpError {
  override readonly name = 'PayloadTooLargeError';

  constructor(message: string) {
    super(413, 'payload_too_large', message);
  }
}

/** 415: the request has a body that is not JSON. */
export class UnsupportedMediaTypeError extends HttpError {
  override readonly name = 'UnsupportedMediaTypeError';

  constructor(message: string) {
    super(415, 'unsupported_media_type', message);
  }
}

/**
 * 422: the request is well-formed, but its content cannot be processed, for example records that
 * the Salesforce mapping rejects. `code` names the problem.
 */
export class UnprocessableContentError extends HttpError {
  override readonly name = 'UnprocessableContentError';

  constructor(code: string, message: string, details?: readonly ErrorDetail[]) {
    super(422, code, message, details);
  }
}

/** 500: the server failed. `code` is `internal_error` for unexpected errors, or names the known failure. */
export class InternalServerError extends HttpError {
  override readonly name = 'InternalServerError';

  constructor(code: string, message: string) {
    super(500, code, message);
  }
}

/** 503: a dependency such as the database is unreachable. */
export class ServiceUnavailableError extends HttpError {
  override readonly name = 'ServiceUnavailableError';

  constructor(message: string) {
    super(503, 'service_unavailable', message);
  }
}

/**
 * Converts an error thrown by the pay period client (see PayPeriodPort) into an HttpError, or
 * returns undefined for any other error. The client's errors are matched by their `name`, so this
 * module does not load the Temporal client: ForbiddenError → 403, InvalidRequestError → 400,
 * WrongStageError → 409, PeriodNotFoundError → 404. The client's message is passed on because
 * it is written for operators (for example, which stage the period is in).
 */
export function fromPayPeriodError(error: unknown): HttpError | undefined {
  if (!(error instanceof Error) || error instanceof HttpError) return undefined;

  switch (error.name) {
    case 'ForbiddenError':
      return new ForbiddenError(error.message);
    case 'InvalidRequestError':
      return new InvalidRequestError(error.message);
    case 'WrongStageError':
      return new ConflictError(error.message);
    case 'PeriodNotFoundError':
      return new NotFoundError(error.message);
    default:
      return undefined;
  }
}
