import { describe, expect, it } from 'vitest';
import { validateApprove, validateReject } from '../../workflows/decision-validators.js';
import {
  InvalidPeriodIdError,
  PAY_PERIOD_FAILURE_TYPES,
  payPeriodWorkflowId,
  periodWindow,
  type PayPeriodStage,
} from '../../workflows/messages.js';
import { newPayPeriodState } from '../../workflows/pay-period-state.js';

describe('periodWindow', () => {
  it('returns the half-open UTC month', () => {
    expect(periodWindow('2026-11')).toEqual({
      periodId: '2026-11',
      startsAt: '2026-11-01T00:00:00.000Z',
      endsAt: '2026-12-01T00:00:00.000Z',
    });
  });

  it('rolls December into the next year', () => {
    expect(periodWindow('2026-12').endsAt).toBe('2027-01-01T00:00:00.000Z');
  });

  it('covers February of a leap year', () => {
    expect(periodWindow('2028-02')).toMatchObject({
      startsAt: '2028-02-01T00:00:00.000Z',
      endsAt: '2028-03-01T00:00:00.000Z',
    });
  });

  it.each(['2026-13', '2026-00', '2026-1', '26-11', '0099-01', '2026-11-01', ' 2026-11', ''])(
    'rejects %j naming the value',
    (periodId) => {
      expect(() => periodWindow(periodId)).toThrow(InvalidPeriodIdError);
      expect(() => periodWindow(periodId)).toThrow(JSON.stringify(periodId));
    },
  );
});

describe('payPeriodWorkflowId', () => {
  it('prefixes the period', () => {
    expect(payPeriodWorkflowId('2026-11')).toBe('pay-period-2026-11');
  });

  it('rejects an invalid period', () => {
    expect(() => payPeriodWorkflowId('2026-13')).toThrow(InvalidPeriodIdError);
  });
});

function failureType(check: () => void): string | undefined {
  try {
    check();
    return undefined;
  } catch (error) {
    return (error as { type?: string }).type;
  }
}

function stateIn(stage: PayPeriodStage, approved = false) {
  const state = newPayPeriodState();
  state.stage = stage;
  if (approved) {
    state.decisions.push({
      periodId: '2026-11',
      runNumber: 1,
      decision: 'approved',
      actor: 'anna.approver',
      decidedAt: '2026-12-02T09:00:00.000Z',
    });
  }
  return state;
}

describe('decision validators', () => {
  const approver = { actor: 'anna.approver', role: 'approver' } as const;

  it('accept an approver while awaiting approval', () => {
    expect(failureType(() => validateApprove(stateIn('awaiting_approval'), approver))).toBeUndefined();
    expect(
      failureType(() => validateReject(stateIn('awaiting_approval'), { ...approver, reason: 'wrong rate' })),
    ).toBeUndefined();
  });

  it.each(['admin', 'partner', undefined])('forbid the role %j', (role) => {
    const request = { actor: 'someone', role } as never;
    expect(failureType(() => validateApprove(stateIn('awaiting_approval'), request))).toBe(
      PAY_PERIOD_FAILURE_TYPES.forbidden,
    );
    expect(
      failureType(() => validateReject(stateIn('awaiting_approval'), { ...(request as object), reason: 'x' } as never)),
    ).toBe(PAY_PERIOD_FAILURE_TYPES.forbidden);
  });

  it.each([undefined, '', '  \n'])('reject the reason %j', (reason) => {
    const request = { ...approver, reason } as never;
    expect(failureType(() => validateReject(stateIn('awaiting_approval'), request))).toBe(
      PAY_PERIOD_FAILURE_TYPES.invalidArgument,
    );
  });

  it('reject a blank actor', () => {
    expect(failureType(() => validateApprove(stateIn('awaiting_approval'), { actor: ' ', role: 'approver' }))).toBe(
      PAY_PERIOD_FAILURE_TYPES.invalidArgument,
    );
  });

  it.each<PayPeriodStage>(['collecting', 'calculating', 'rejected', 'posting', 'closed'])(
    'reject decisions in stage %s',
    (stage) => {
      expect(failureType(() => validateApprove(stateIn(stage), approver))).toBe(PAY_PERIOD_FAILURE_TYPES.wrongStage);
      expect(failureType(() => validateReject(stateIn(stage), { ...approver, reason: 'x' }))).toBe(
        PAY_PERIOD_FAILURE_TYPES.wrongStage,
      );
    },
  );

  it('accept an approve after the approval', () => {
    expect(failureType(() => validateApprove(stateIn('posting', true), approver))).toBeUndefined();
    expect(failureType(() => validateApprove(stateIn('closed', true), approver))).toBeUndefined();
    expect(failureType(() => validateReject(stateIn('posting', true), { ...approver, reason: 'x' }))).toBe(
      PAY_PERIOD_FAILURE_TYPES.wrongStage,
    );
  });
});
