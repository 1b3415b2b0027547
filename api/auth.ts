/**
 * API key authentication and role checks. A key is sent as `Authorization: Bearer <key>` or in the
 * `X-API-Key` header, and maps to one role: admin, approver or partner (bound to one partner id).
 *
 * Partner keys see only their own partner's statements. A request for another partner's statement
 * gets the same 404 as a statement that does not exist, so a partner cannot probe which statement
 * ids exist.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import type { ApiKey, ApiRole } from '../config/config.js';
import { ForbiddenError, UnauthorizedError } from './errors.js';

const BEARER_PATTERN = /^Bearer\s+(\S+)\s*$/i;

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/**
 * Looks up presented API keys among the configured ones in constant time. Keys are compared as
 * SHA-256 digests, which all have the same length, so `timingSafeEqual` applies and the time taken
 * reveals neither the length of a key nor how many leading characters matched. Every configured
 * key is compared on every lookup.
 */
export class ApiKeyAuthenticator {
  private readonly entries: { digest: Buffer; apiKey: ApiKey }[];

  constructor(apiKeys: readonly ApiKey[]) {
    this.entries = apiKeys.map((apiKey) => ({ digest: sha256(apiKey.key), apiKey }));
  }

  /** Returns the configured key equal to `presented`, or undefined when none is. */
  find(presented: string): ApiKey | undefined {
    const digest = sha256(presented);
    let match: ApiKey | undefined;
    for (const entry of this.entries) {
      // No early exit, so the position of the matching key does not change the time taken.
      if (timingSafeEqual(entry.digest, digest) && match === undefined) match = entry.apiKey;
    }
    return match;
  }

  /**
   * Returns the API key of the request. Throws UnauthorizedError when the request carries no key,
   * uses an `Authorization` scheme other than Bearer, or presents a key that is not configured.
   */
  authenticate(request: Request): ApiKey {
    const presented = readPresentedKey(request);
    if (presented === undefined) {
      throw new UnauthorizedError(
        "missing API key; send it as 'Authorization: Bearer <key>' or in the X-API-Key header",
      );
    }
    const apiKey = this.find(presented);
    if (apiKey === undefined) throw new UnauthorizedError('invalid API key');
    return apiKey;
  }
}

/**
 * Returns the key from `Authorization: Bearer <key>`, else from `X-API-Key`, else undefined.
 * Throws UnauthorizedError for an `Authorization` header with another scheme, such as Basic.
 */
export function readPresentedKey(request: Request): string | undefined {
  const authorization = request.get('authorization');
  if (authorization !== undefined && authorization.trim() !== '') {
    const match = BEARER_PATTERN.exec(authorization);
    if (!match?.[1]) {
      throw new UnauthorizedError("unsupported Authorization header; use 'Authorization: Bearer <key>'");
    }
    return match[1];
  }

  const headerKey = request.get('x-api-key')?.trim();
  return headerKey === undefined || headerKey === '' ? undefined : headerKey;
}

/** Throws ForbiddenError naming the required role(s) unless the key has one of `roles`. */
export function assertRole(apiKey: ApiKey, roles: readonly ApiRole[]): void {
  if (roles.includes(apiKey.role)) return;

  const required = roles.length === 1 ? `the role ${roles[0]}` : `one of the roles ${roles.join(', ')}`;
  throw new ForbiddenError(`this operation requires ${required}; the API key has the role ${apiKey.role}`);
}

/**
 * Returns the partner id whose statements the key is restricted to, or undefined when the key may
 * see every partner's statements (admin and approver).
 */
export function partnerScope(apiKey: ApiKey): string | undefined {
  if (apiKey.role !== 'partner') return undefined;
  // parseApiKeys rejects partner keys without a partner id. An empty id here matches no statement.
  return apiKey.partnerId ?? '';
}

/** Returns whether the key may see statements of `partnerId`. */
export function canSeePartner(apiKey: ApiKey, partnerId: string): boolean {
  const scope = partnerScope(apiKey);
  return scope === undefined || scope === partnerId;
}
