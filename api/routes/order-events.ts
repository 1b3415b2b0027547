/**
 * Order event routes: ingest a batch of events, and list stored events with their status and
 * rejection reason.
 *
 * Ingestion stores every event first and signals the period workflows afterwards. When a signal
 * fails, the events stay stored, the response has `signalled: false` and the error is logged with
 * the period and event ids. The API does not retry the signal. While the period is still
 * collecting, such events are not lost, because the calculation at close reads every stored accepted
 * event of the period, not the signalled ids. A failed signal loses the workflow's live event count,
 * and the start of a workflow for a period that had none, which the next ingestion for the period starts.
 * NOTE: an event whose period was already calculated is stored as accepted but is paid or clawed back
 * by no calculation, because each calculation reads only the events inside its own period.
 */
import { z } from 'zod';
import type { Logger } from '../../config/logger.js';
import {
  InvalidOrderEventError,
  MAX_EVENTS_PER_BATCH,
  MAX_LIST_LIMIT,
  ingestOrderEvents,
  listOrderEvents,
  orderEventInputSchema,
  validateOrderEventBatch,
  type IngestResult,
} from '../../store/order-events.js';
import type { PrismaClient } from '../../store/prisma.js';
import { InvalidRequestError } from '../errors.js';
import { defineOperation, type ApiOperation } from '../operation.js';
import type { AcceptedEventGroup, EventsAcceptedHandler, PayPeriodPort } from '../ports.js';
import { PERIOD_ID_PATTERN } from './periods.js';

// The same rules as the store's batch schema, composed from its event schema so that the OpenAPI
// document shows them. validateOrderEventBatch remains the authority and runs again in the handler.
const ingestBody = z
  .strictObject({
    events: z
      .array(orderEventInputSchema.meta({ id: 'OrderEventInput' }))
      .min(1, { error: 'must contain at least one event' })
      .max(MAX_EVENTS_PER_BATCH, { error: `must contain at most ${MAX_EVENTS_PER_BATCH} events; split the batch` }),
  })
  .meta({ id: 'OrderEventBatch' });

const ingestResult = z
  .object({
    sourceEventId: z.string(),
    status: z.enum(['accepted', 'duplicate', 'rejected']),
    eventId: z.string().describe('Stored event id; for a duplicate, the id of the event stored first.'),
    periodId: z.string(),
    storedStatus: z
      .enum(['accepted', 'rejected'])
      .optional()
      .describe('For a duplicate: the status it was stored with (always accepted).'),
    reason: z.string().optional().describe('Why the event was rejected.'),
  })
  .meta({ id: 'OrderEventResult' });

const ingestResponse = z
  .object({
    results: z.array(ingestResult).describe('One result per event, in request order.'),
    accepted: z.number().int(),
    duplicate: z.number().int(),
    rejected: z.number().int(),
    signalled: z
      .boolean()
      .describe('False when a period workflow could not be signalled; the events are stored and counted at close.'),
    periods: z
      .array(z.object({ periodId: z.string(), eventIds: z.array(z.string()), signalled: z.boolean() }))
      .describe('Accepted events per period and whether its workflow was signalled.'),
  })
  .meta({ id: 'OrderEventIngestion' });

const listQuery = z.object({
  status: z.enum(['accepted', 'rejected']).optional().describe('Only events stored with this status.'),
  period: z
    .string()
    .regex(PERIOD_ID_PATTERN, 'must be a pay period YYYY-MM, for example 2026-11')
    .optional()
    .describe('Only events of this pay period, YYYY-MM.'),
  orderId: z.string().min(1).max(64).optional().describe('Only events of this order.'),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_LIST_LIMIT)
    .default(100)
    .describe('Maximum number of events to return.'),
  cursor: z.string().min(1).max(64).optional().describe('`nextCursor` of the previous page.'),
});

const storedEvent = z
  .object({
    id: z.string(),
    sourceEventId: z.string(),
    source: z.string(),
    orderId: z.string(),
    state: z.string(),
    occurredAt: z.iso.datetime(),
    periodId: z.string(),
    status: z.enum(['accepted', 'rejected']),
    rejectionReason: z.string().nullable(),
    payload: z.unknown().describe('The event as received.'),
    receivedAt: z.iso.datetime(),
  })
  .meta({ id: 'StoredOrderEvent' });

const eventPage = z
  .object({
    events: z.array(storedEvent).describe('Ordered by occurredAt, then id.'),
    nextCursor: z.string().nullable().describe('Pass as `cursor` to read the next page; null on the last page.'),
  })
  .meta({ id: 'OrderEventPage' });

/** Dependencies of the order event routes. */
export interface OrderEventRouteDependencies {
  prisma: PrismaClient;
  payPeriods: PayPeriodPort;
  onEventsAccepted?: EventsAcceptedHandler;
}

/** Returns the order event operations: ingest and list. */
export function orderEventOperations(deps: OrderEventRouteDependencies): ApiOperation[] {
  const { prisma } = deps;

  return [
    defineOperation({
      method: 'post',
      path: '/api/v1/order-events',
      operationId: 'ingestOrderEvents',
      tag: 'order-events',
      summary: 'Store a batch of order events and signal their pay periods',
      description:
        'Each event is stored once per sourceEventId: as accepted, or as rejected with the reason (for example an ' +
        'unknown partner). A repeat of an accepted event is reported as duplicate; a repeat of a rejected event is ' +
        'checked again and accepted or rejected anew; a sourceEventId reused for different content is rejected and ' +
        'the stored event stays. A malformed batch is rejected with 400 and nothing is stored. After storing, the ' +
        'accepted events are signalled to their period workflows. When a signal fails, `signalled` is false; the ' +
        'events stay stored and a calculation of their period that has not run yet includes them.',
      access: ['admin'],
      body: ingestBody,
      responses: { 200: { description: 'Every event was stored or found stored.', schema: ingestResponse } },
      async handle({ body, log }) {
        const validation = validateOrderEventBatch(body);
        if (!validation.ok) throw invalidEvents(validation.errors);

        let results: IngestResult[];
        try {
          results = await ingestOrderEvents(prisma, validation.events);
        } catch (error) {
          if (error instanceof InvalidOrderEventError) throw invalidEvents(error.issues);
          throw error;
        }

        const groups = await signalAcceptedEvents(deps.payPeriods, results, log);
        await notifyEventsAccepted(deps.onEventsAccepted, groups, log);

        const counts = { accepted: 0, duplicate: 0, rejected: 0 };
        for (const result of results) counts[result.status] += 1;
        log.info({ ...counts, periods: groups.map((group) => group.periodId) }, 'order events ingested');

        return {
          status: 200,
          body: { results, ...counts, signalled: groups.every((group) => group.signalled), periods: groups },
        };
      },
    }),

    defineOperation({
      method: 'get',
      path: '/api/v1/order-events',
      operationId: 'listOrderEvents',
      tag: 'order-events',
      summary: 'List stored order events with their status and rejection reason',
      access: ['admin'],
      query: listQuery,
      responses: { 200: { description: 'One page of stored events.', schema: eventPage } },
      async handle({ query }) {
        const page = await listOrderEvents(prisma, {
          limit: query.limit,
          ...(query.status === undefined ? {} : { status: query.status }),
          ...(query.period === undefined ? {} : { periodId: query.period }),
          ...(query.orderId === undefined ? {} : { orderId: query.orderId }),
          ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
        });
        return { status: 200, body: page };
      },
    }),
  ];
}

function invalidEvents(errors: readonly { path: string; message: string }[]): InvalidRequestError {
  const firstErrors = errors
    .slice(0, 3)
    .map((error) => `${error.path} ${error.message}`)
    .join('; ');
  const more = errors.length > 3 ? ` (and ${errors.length - 3} more)` : '';
  return new InvalidRequestError(`invalid order events, nothing was stored: ${firstErrors}${more}`, errors);
}

/**
 * Signals each period's workflow with the ids of its newly accepted events, one period after the
 * other. A failed signal is logged with the period and event ids and marks that group unsignalled.
 */
async function signalAcceptedEvents(
  payPeriods: PayPeriodPort,
  results: readonly IngestResult[],
  log: Logger,
): Promise<AcceptedEventGroup[]> {
  const eventIdsByPeriod = new Map<string, string[]>();
  for (const result of results) {
    if (result.status !== 'accepted') continue;
    const eventIds = eventIdsByPeriod.get(result.periodId) ?? [];
    eventIds.push(result.eventId);
    eventIdsByPeriod.set(result.periodId, eventIds);
  }

  const groups: AcceptedEventGroup[] = [];
  for (const [periodId, eventIds] of [...eventIdsByPeriod].sort(([a], [b]) => a.localeCompare(b))) {
    try {
      await payPeriods.signalEvents(periodId, eventIds);
      groups.push({ periodId, eventIds, signalled: true });
    } catch (error) {
      log.error(
        { err: error, periodId, eventIds },
        'signalling accepted order events to the pay period workflow failed; the events stay stored',
      );
      groups.push({ periodId, eventIds, signalled: false });
    }
  }
  return groups;
}

async function notifyEventsAccepted(
  handler: EventsAcceptedHandler | undefined,
  groups: AcceptedEventGroup[],
  log: Logger,
): Promise<void> {
  if (handler === undefined || groups.length === 0) return;
  try {
    await handler(groups);
  } catch (error) {
    log.error({ err: error, periods: groups.map((group) => group.periodId) }, 'onEventsAccepted handler failed');
  }
}
