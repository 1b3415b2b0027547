/**
 * The demo incentive plans, one per partner group, in the commission engine's plan format. The
 * amounts are illustrative values in plausible ranges for an energy retailer: 40-120 € per supply
 * contract, 3-6% of the value of equipment, 150-400 € per installation job. They are not any
 * company's rates.
 */
import type { PaymentShare, PlanDefinition } from '../domain/plan/definition.js';
import type { PlanInput } from '../store/reference-data.js';

/** A demo plan: the plan, its versions and the partner kinds every version is assigned to. */
export type DemoPlan = PlanInput;

/** Supply contracts pay 40% at validation and 60% when supply starts. */
function supplyPayment(): PaymentShare[] {
  return [
    { state: 'validated', share: '0.40' },
    { state: 'supply_active', share: '0.60' },
  ];
}

const salesPartners: PlanDefinition = {
  coolingOffDays: 14,
  clawbackMonths: 6,
  rules: [
    {
      id: 'supply-electricity',
      kind: 'fixed_per_order',
      label: 'Electricity supply contract',
      categories: ['electricity'],
      amount: '80.00',
      payment: supplyPayment(),
    },
    {
      id: 'supply-gas',
      kind: 'fixed_per_order',
      label: 'Gas supply contract',
      categories: ['gas'],
      amount: '60.00',
      payment: supplyPayment(),
    },
    {
      id: 'equipment-pv',
      kind: 'percentage_of_value',
      label: 'Photovoltaic system, 4% of the order value',
      categories: ['pv'],
      rate: '0.04',
      payment: [{ state: 'validated', share: '1' }],
    },
    {
      id: 'equipment-heating-cooling',
      kind: 'percentage_of_value',
      label: 'Heat pump or air conditioning, 5% of the order value',
      categories: ['heating', 'cooling'],
      rate: '0.05',
      payment: [{ state: 'validated', share: '1' }],
    },
    {
      id: 'emobility',
      kind: 'percentage_of_value',
      label: 'Wallbox or charging tariff, 6% of the order value',
      categories: ['emobility'],
      rate: '0.06',
      payment: [{ state: 'validated', share: '1' }],
    },
    {
      id: 'activation-bonus',
      kind: 'tiered',
      label: 'Activation bonus per supply contract started in the month',
      categories: ['electricity', 'gas'],
      countState: 'supply_active',
      mode: 'marginal',
      tiers: [
        { from: 1, to: 10, amount: '0.00' },
        { from: 11, to: 25, amount: '10.00' },
        { from: 26, amount: '20.00' },
      ],
    },
  ],
};

const outboundCallCentres: PlanDefinition = {
  coolingOffDays: 14,
  clawbackMonths: 6,
  rules: [
    {
      id: 'validated-contract',
      kind: 'tiered',
      label: 'Validated supply contract, rate by the volume of the month',
      categories: ['electricity', 'gas'],
      countState: 'validated',
      mode: 'retroactive',
      tiers: [
        { from: 1, to: 50, amount: '40.00' },
        { from: 51, to: 120, amount: '48.00' },
        { from: 121, amount: '55.00' },
      ],
    },
    {
      id: 'charging-tariff',
      kind: 'fixed_per_order',
      label: 'Charging tariff contract',
      categories: ['emobility'],
      amount: '25.00',
      payment: [{ state: 'validated', share: '1' }],
    },
  ],
};

const fieldForce: PlanDefinition = {
  coolingOffDays: 14,
  clawbackMonths: 6,
  rules: [
    {
      id: 'pv-installation',
      kind: 'fixed_per_order',
      label: 'Photovoltaic installation job',
      categories: ['pv'],
      amount: '250.00',
      payment: [{ state: 'commissioned', share: '1' }],
    },
    {
      id: 'pv-capacity',
      kind: 'fixed_per_unit',
      label: 'Photovoltaic capacity installed, per kWp',
      categories: ['pv'],
      amountPerUnit: '25.00',
      payment: [{ state: 'commissioned', share: '1' }],
    },
    {
      id: 'heat-pump-installation',
      kind: 'fixed_per_order',
      label: 'Heat pump installation job',
      categories: ['heating'],
      amount: '380.00',
      payment: [{ state: 'commissioned', share: '1' }],
    },
    {
      id: 'wallbox-installation',
      kind: 'fixed_per_order',
      label: 'Wallbox installation job',
      categories: ['emobility'],
      amount: '150.00',
      payment: [{ state: 'commissioned', share: '1' }],
    },
    {
      id: 'cooling-installation',
      kind: 'fixed_per_order',
      label: 'Air conditioning installation job',
      categories: ['cooling'],
      amount: '200.00',
      payment: [{ state: 'commissioned', share: '1' }],
    },
  ],
};

function singleVersionPlan(
  id: string,
  name: string,
  definition: PlanDefinition,
  assignTo: DemoPlan['assignTo'],
): DemoPlan {
  return {
    id,
    name,
    versions: [{ id: `${id}-v1`, version: 1, effectiveFrom: '2026-01-01', effectiveTo: null, definition }],
    assignTo,
  };
}

/** The three demo plans: sales partners, outbound call centres and the field force. */
export const DEMO_PLANS: readonly DemoPlan[] = [
  singleVersionPlan('sales-partners-2026', 'Sales partners 2026', salesPartners, ['agency', 'sales_agent']),
  singleVersionPlan('outbound-2026', 'Outbound call centres 2026', outboundCallCentres, ['outbound']),
  singleVersionPlan('field-force-2026', 'Installers and technicians 2026', fieldForce, ['installer', 'technician']),
];
