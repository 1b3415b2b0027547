/**
 * Validators of the `approve` and `reject` updates. They run before an update is accepted, so a request
 * they reject leaves no event in the workflow history.
 */
import { ApplicationFailure } from '@temporalio/workflow';
import { PAY_PERIOD_FAILURE_TYPES, type ApproveRequest, type RejectRequest } from './messages.js';
import { approvalOf } from './pay-period-state.js';
import type { PayPeriodCarriedState } from './messages.js';

/** Only this role may approve or reject a calculation run. */
export const DECIDING_ROLE = 'approver';

function isBlank(value: unknown): boolean {
  return typeof value !== 'string' || value.trim() === '';
}

/** Creates the failure for a decision requested outside `awaiting_approval`, naming the current stage. */
export function wrongStageFailure(state: PayPeriodCarriedState, decision: 'approve' | 'reject'): ApplicationFailure {
  return ApplicationFailure.create({
    type: PAY_PERIOD_FAILURE_TYPES.wrongStage,
    message: `cannot ${decision}: the period is in stage ${state.stage}, not awaiting_approval`,
    nonRetryable: true,
  });
}

function checkDecider(request: { actor?: unknown; role?: unknown } | undefined, decision: 'approve' | 'reject'): void {
  if (request?.role !== DECIDING_ROLE) {
    throw ApplicationFailure.create({
      type: PAY_PERIOD_FAILURE_TYPES.forbidden,
      message: `the role ${JSON.stringify(request?.role)} may not ${decision}; only the role ${DECIDING_ROLE} may`,
      nonRetryable: true,
    });
  }
  if (isBlank(request.actor)) {
    throw ApplicationFailure.create({
      type: PAY_PERIOD_FAILURE_TYPES.invalidArgument,
      message: `cannot ${decision}: actor is missing or blank`,
      nonRetryable: true,
    });
  }
}

/**
 * Validates an `approve` request. The role must be `approver` (else 'Forbidden'), the actor must not be blank
 * (else 'InvalidArgument'), and the period must be awaiting approval (else 'WrongStage'). An approve after the
 * period was approved passes, because its handler returns the first approval.
 */
export function validateApprove(state: PayPeriodCarriedState, request: ApproveRequest): void {
  checkDecider(request, 'approve');
  if (approvalOf(state)) return;
  if (state.stage !== 'awaiting_approval') throw wrongStageFailure(state, 'approve');
}

/**
 * Validates a `reject` request: the role must be `approver` (else 'Forbidden'), the actor and the reason must
 * not be blank (else 'InvalidArgument'), and the period must be awaiting approval (else 'WrongStage').
 */
export function validateReject(state: PayPeriodCarriedState, request: RejectRequest): void {
  checkDecider(request, 'reject');
  if (isBlank(request.reason)) {
    throw ApplicationFailure.create({
      type: PAY_PERIOD_FAILURE_TYPES.invalidArgument,
      message: 'cannot reject: reason is missing or blank; say what must be corrected before the recalculation',
      nonRetryable: true,
    });
  }
  if (state.stage !== 'awaiting_approval' || approvalOf(state)) throw wrongStageFailure(state, 'reject');
}
