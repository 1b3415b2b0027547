/**
 * The order event as sources send it (Salesforce, billing systems, file imports, the HTTP API),
 * with its zod schema. The limits follow the database columns, because ingestion stores every
 * field, but the schema itself needs no database.
 */
import { z } from 'zod';

import type { ValidationIssue } from '../errors.js';
import { ORDER_STATES } from '../model.js';
import { validateWithSchema } from '../validation.js';

export const ORDER_EVENT_SOURCES = ['salesforce', 'billing', 'file', 'api'] as const;
export type OrderEventSource = (typeof ORDER_EVENT_SOURCES)[number];

/** Returns the schema of a string of `min` to `max` characters without NUL, which PostgreSQL cannot store in text or jsonb. */
function textSchema(min: number, max: number) {
  return z
    .string()
    .min(min, { error: min === 1 ? 'must not be empty' : `must be at least ${min} characters long` })
    .max(max, { error: `must be at most ${max} characters long` })
    .refine((text) => !text.includes('\u0000'), { error: 'must not contain NUL characters' });
}

function enumMessage(noun: string, values: readonly string[]) {
  return (issue: { input?: unknown }): string =>
    issue.input === undefined
      ? 'is missing'
      : `unknown ${noun} ${JSON.stringify(issue.input)}; use one of ${values.join(', ')}`;
}

// Decimal(18, 2) and Decimal(18, 3) columns: at most 16 and 15 integer digits.
const valueSchema = z.string().regex(/^\d{1,16}(\.\d{1,2})?$/, {
  error: 'must be a non-negative decimal string in euros with at most two fraction digits, such as "1234.50"',
});
const quantitySchema = z.string().regex(/^\d{1,15}(\.\d{1,3})?$/, {
  error: 'must be a non-negative decimal string with at most three fraction digits, such as "3500" or "6.4"',
});

const attributeValueSchema = z.union([textSchema(0, 10_000), z.number(), z.boolean(), z.null()], {
  error: 'must be a string, a number, true, false or null',
});

/** Schema of the order fields that an order's first event carries to create the order. */
export const orderFieldsSchema = z.strictObject({
  orderNumber: textSchema(1, 64),
  /** Partner id (partner number such as P00001). */
  partnerId: textSchema(1, 64),
  /** Product id (the Salesforce Product2 Id). */
  productId: textSchema(1, 64),
  value: valueSchema,
  quantity: quantitySchema,
  /** Defaults to the partner's territory. */
  territory: textSchema(1, 64).optional(),
  /** Custom CRM fields by API name, for example `Campaign_Code__c`. */
  attributes: z.record(textSchema(1, 100), attributeValueSchema).optional(),
});

/** Schema of one order event as the sources send it. */
export const orderEventInputSchema = z.strictObject({
  /** Id of the event in its source system. An event is stored once per id. */
  sourceEventId: textSchema(1, 200),
  source: z.enum(ORDER_EVENT_SOURCES, { error: enumMessage('source', ORDER_EVENT_SOURCES) }),
  orderId: textSchema(1, 64),
  state: z.enum(ORDER_STATES, { error: enumMessage('order state', ORDER_STATES) }),
  occurredAt: z.iso.datetime({
    offset: true,
    error: 'must be an ISO 8601 date-time with offset, for example 2026-11-12T09:30:00Z',
  }),
  order: orderFieldsSchema.optional(),
});

export type OrderFieldsInput = z.infer<typeof orderFieldsSchema>;
export type OrderEventInput = z.infer<typeof orderEventInputSchema>;

const eventListSchema = z.strictObject({ events: z.array(orderEventInputSchema) });

/**
 * Raised by `parseOrderEvents` when an event does not match `orderEventInputSchema`. `ingestOrderEvents`
 * raises it before storing anything.
 */
export class InvalidOrderEventError extends Error {
  override readonly name = 'InvalidOrderEventError';

  constructor(readonly issues: readonly ValidationIssue[]) {
    super(`invalid order events: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`);
  }
}

/**
 * Validates a list of order events and returns the parsed events.
 * Throws InvalidOrderEventError with every problem and its path, such as `events[3].occurredAt`.
 */
export function parseOrderEvents(events: readonly unknown[]): OrderEventInput[] {
  const parsed = validateWithSchema(eventListSchema, { events });
  if (!parsed.success) {
    throw new InvalidOrderEventError(parsed.issues);
  }
  return parsed.data.events;
}
