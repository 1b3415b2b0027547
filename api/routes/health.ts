/** Health check for load balancers and process supervisors. */
import { z } from 'zod';
import type { PrismaClient } from '../../store/prisma.js';
import { ServiceUnavailableError } from '../errors.js';
import { defineOperation, type ApiOperation } from '../operation.js';

const healthResponse = z.object({ status: z.literal('ok') }).meta({ id: 'Health' });

/** Returns the health operation: `GET /health`, public, 200 when the database returns a row for `SELECT 1`, else 503. */
export function healthOperations(deps: { prisma: PrismaClient }): ApiOperation[] {
  return [
    defineOperation({
      method: 'get',
      path: '/health',
      operationId: 'getHealth',
      tag: 'health',
      summary: 'Check that the API and its database are up',
      access: 'public',
      responses: {
        200: { description: 'The database responded.', schema: healthResponse },
        503: { description: 'The database did not respond.' },
      },
      async handle({ log }) {
        try {
          await deps.prisma.$queryRaw`SELECT 1`;
        } catch (error) {
          log.error({ err: error }, 'health check failed: the database did not respond to SELECT 1');
          throw new ServiceUnavailableError('the database is unreachable');
        }
        return { status: 200, body: { status: 'ok' } };
      },
    }),
  ];
}
