import { readFile } from 'node:fs/promises';
import { ApplicationFailure } from '@temporalio/activity';
import { buildStatementEmail, statementMessageId } from '../integrations/mail/statement-email.js';
import { companyFor, toPrincipal } from '../config/companies.js';
import { loadStatementForInvoice } from '../store/statements.js';
import type { ActivityDependencies } from './dependencies.js';
import { forEachStatement } from './statement-steps.js';
import type { PayPeriodActivities, StatementStepResult } from './types.js';

/**
 * Builds the activity that emails each partner its pro-forma invoice, once per statement. The
 * delivery row is written after the SMTP server accepted the message.
 */
export function createDeliveryActivities(deps: ActivityDependencies): Pick<PayPeriodActivities, 'deliverStatements'> {
  return {
    deliverStatements: ({ statementIds }) =>
      forEachStatement(statementIds, (statementId) => deliverOne(deps, statementId)),
  };
}

async function deliverOne(deps: ActivityDependencies, statementId: string): Promise<StatementStepResult> {
  const recorded = await deps.prisma.emailDelivery.findUnique({ where: { statementId } });
  if (recorded) return { statementId, outcome: 'skipped', reference: recorded.messageId };

  const document = await deps.prisma.statementDocument.findUnique({ where: { statementId } });
  if (!document) {
    throw ApplicationFailure.nonRetryable(
      `statement ${statementId} has no rendered document; render it before delivery`,
      'DocumentMissing',
    );
  }
  const statement = await loadStatementForInvoice(deps.prisma, statementId, (partner) =>
    toPrincipal(companyFor(deps.companies, partner)),
  );
  const messageId = statementMessageId(statement, deps.messageIdDomain);
  const content = await readFile(document.path);
  const email = buildStatementEmail(statement);

  // NOTE: a crash after the SMTP server accepted the message and before the row below is written
  // sends the message again on retry, with the same Message-ID. The embedded outbox stores it once.
  await deps.mailer.sendStatementEmail({
    to: statement.partner.email,
    subject: email.subject,
    text: email.text,
    attachment: { filename: email.attachmentFilename, content, contentType: 'application/pdf' },
    messageId,
  });

  await deps.prisma.$transaction([
    deps.prisma.emailDelivery.create({
      data: { statementId, messageId, recipient: statement.partner.email, sentAt: deps.now() },
    }),
    deps.prisma.statement.update({ where: { id: statementId }, data: { status: 'delivered' } }),
  ]);
  deps.logger.info({ statementId, messageId }, 'statement emailed');
  return { statementId, outcome: 'done', reference: messageId };
}
