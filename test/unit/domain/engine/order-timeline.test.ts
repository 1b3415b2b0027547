import { describe, expect, it } from 'vitest';

import { buildOrderTimeline, findRecordedTime } from '../../../../domain/engine/order-timeline.js';
import type { OrderState } from '../../../../domain/model.js';
import { buildOrder } from '../builders.js';

function timelineOf(history: [OrderState, string][]) {
  return buildOrderTimeline(buildOrder('8001234', { history }));
}

describe('buildOrderTimeline implied states', () => {
  it('implies a skipped supply state', () => {
    const timeline = timelineOf([
      ['signed', '2026-10-20T09:00:00.000Z'],
      ['supply_active', '2026-11-12T09:00:00.000Z'],
    ]);
    expect(timeline.impliedBy).toEqual(new Map([['validated', 'supply_active']]));
    expect(timeline.reachedAt.get('validated')).toBe(Date.parse('2026-11-12T09:00:00.000Z'));
    expect(timeline.reachedAt.get('signed')).toBe(Date.parse('2026-10-20T09:00:00.000Z'));
  });

  it('implies every earlier state of the lifecycle', () => {
    const timeline = timelineOf([['first_bill_paid', '2026-11-20T09:00:00.000Z']]);
    expect(timeline.impliedBy).toEqual(
      new Map([
        ['signed', 'first_bill_paid'],
        ['validated', 'first_bill_paid'],
        ['supply_active', 'first_bill_paid'],
      ]),
    );
    expect(timeline.reachedAt.get('signed')).toBe(Date.parse('2026-11-20T09:00:00.000Z'));
  });

  it('takes the earliest later recorded state', () => {
    const timeline = timelineOf([
      ['signed', '2026-10-20T09:00:00.000Z'],
      ['supply_active', '2026-11-05T09:00:00.000Z'],
      ['first_bill_paid', '2026-11-25T09:00:00.000Z'],
    ]);
    // validated is missing; supply_active (11-05) is the earliest state after it, not first_bill_paid (11-25).
    expect(timeline.impliedBy.get('validated')).toBe('supply_active');
    expect(timeline.reachedAt.get('validated')).toBe(Date.parse('2026-11-05T09:00:00.000Z'));
  });

  it('implies a skipped installation state', () => {
    const timeline = timelineOf([
      ['assigned', '2026-10-01T09:00:00.000Z'],
      ['commissioned', '2026-11-12T09:00:00.000Z'],
    ]);
    expect(timeline.impliedBy).toEqual(new Map([['installed', 'commissioned']]));
  });

  it('keeps recorded states and later states', () => {
    const timeline = timelineOf([
      ['signed', '2026-10-20T09:00:00.000Z'],
      ['validated', '2026-10-25T09:00:00.000Z'],
    ]);
    expect(timeline.impliedBy.size).toBe(0);
    expect(timeline.reachedAt.has('supply_active')).toBe(false);
  });

  it('never implies terminal states', () => {
    const timeline = timelineOf([
      ['signed', '2026-10-20T09:00:00.000Z'],
      ['supply_active', '2026-11-05T09:00:00.000Z'],
      ['cancelled', '2026-11-20T09:00:00.000Z'],
    ]);
    expect([...timeline.impliedBy.keys()]).toEqual(['validated']);
    expect(timeline.reachedAt.has('rejected')).toBe(false);
  });

  it('ignores states after a cancellation', () => {
    const timeline = timelineOf([
      ['signed', '2026-10-20T09:00:00.000Z'],
      ['cancelled', '2026-10-22T09:00:00.000Z'],
      ['supply_active', '2026-11-05T09:00:00.000Z'],
    ]);
    expect(timeline.impliedBy.size).toBe(0);
    expect(timeline.reachedAt.has('validated')).toBe(false);
  });

  it('hides implied states from findRecordedTime', () => {
    const timeline = timelineOf([
      ['signed', '2026-10-20T09:00:00.000Z'],
      ['supply_active', '2026-11-12T09:00:00.000Z'],
    ]);
    expect(findRecordedTime(timeline, 'validated')).toBeUndefined();
    expect(findRecordedTime(timeline, 'supply_active')).toBe(Date.parse('2026-11-12T09:00:00.000Z'));
  });
});
