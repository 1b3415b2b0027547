/**
 * Statements for the integration tests, with totals worked out by hand in the comments.
 */
import { Decimal } from 'decimal.js';

import type { Partner } from '../../domain/model.js';
import type { Principal, StatementForInvoice, StatementLineView } from '../../integrations/statement-view.js';

export const principal: Principal = {
  name: 'Nordlicht Energie AG',
  address: { street: 'Am Energiepark 1', postalCode: '20457', city: 'Hamburg', country: 'DE' },
  vatId: 'DE811234567',
  taxNumber: '27/123/45678',
  sapCompanyCode: '1000',
};

export const germanPartner: Partner = {
  id: 'P00042',
  name: 'Handelsvertretung Jürgen Weiß',
  kind: 'sales_agent',
  territory: 'DE-NORD',
  email: 'juergen.weiss@example.test',
  sapVendorId: '4711',
  taxProfile: {
    country: 'DE',
    vatRegime: 'standard',
    taxNumber: '22/815/08150',
    vatId: 'DE123456789',
    address: { street: 'Große Straße 5', postalCode: '24937', city: 'Flensburg', country: 'DE' },
  },
};

export const italianPartner: Partner = {
  id: 'P00077',
  name: 'Agenzia Niccolò Perù',
  kind: 'sales_agent',
  territory: 'IT-NORD',
  email: 'niccolo.peru@example.test',
  sapVendorId: '90077',
  taxProfile: {
    country: 'IT',
    vatRegime: 'standard',
    taxNumber: 'PRENCC80A01F205X',
    vatId: 'IT01234567890',
    withholding: 'standard',
    enasarco: 'individual_single_mandate',
    address: { street: 'Via Città di Castello 3', postalCode: '20121', city: 'Milano', country: 'IT' },
  },
};

function line(lineNumber: number, amount: string, description: string): StatementLineView {
  return {
    lineNumber,
    kind: amount.startsWith('-') ? 'reversal' : 'commission',
    orderNumber: `ORD-2026-${String(1000 + lineNumber)}`,
    ruleId: amount.startsWith('-') ? 'clawback-6m' : 'supply-40-60',
    amount,
    description,
  };
}

/** German standard VAT. Lines 500.00 + 800.00 - 100.00 = 1200.00 net; 19 % VAT 228.00; gross 1428.00. */
export function germanStatement(): StatementForInvoice {
  return {
    id: '2026-11-P00042',
    periodId: '2026-11',
    periodStartsAt: '2026-10-31T23:00:00.000Z',
    periodEndsAt: '2026-11-30T23:00:00.000Z',
    invoiceNumber: 'GS-2026-000123',
    issueDate: '2026-12-04',
    partner: germanPartner,
    principal,
    currency: 'EUR',
    netCommission: '1200.00',
    vatAmount: '228.00',
    grossAmount: '1428.00',
    withholdingAmount: '0.00',
    contributionAgent: '0.00',
    contributionPrincipal: '0.00',
    payableAmount: '1428.00',
    taxes: [{ kind: 'vat', label: 'Umsatzsteuer 19 %', base: '1200.00', rate: '0.19', amount: '228.00' }],
    lines: [
      line(1, '500.00', 'Strom Privat: 40 % bei Validierung'),
      line(2, '800.00', 'Gas Gewerbe: 60 % bei Lieferbeginn'),
      line(3, '-100.00', 'Rückbelastung: Kündigung innerhalb von 6 Monaten'),
    ],
  };
}

/** German credit note. Lines 100.00 - 300.00 = -200.00 net; 19 % VAT -38.00; gross and payable -238.00. */
export function germanCreditNote(): StatementForInvoice {
  return {
    ...germanStatement(),
    id: '2026-12-P00042',
    periodId: '2026-12',
    invoiceNumber: 'GS-2027-000007',
    issueDate: '2027-01-05',
    netCommission: '-200.00',
    vatAmount: '-38.00',
    grossAmount: '-238.00',
    payableAmount: '-238.00',
    taxes: [{ kind: 'vat', label: 'Umsatzsteuer 19 %', base: '-200.00', rate: '0.19', amount: '-38.00' }],
    lines: [line(1, '100.00', 'Wallbox: Inbetriebnahme'), line(2, '-300.00', 'Rückbelastung: Widerruf')],
  };
}

/** German reverse charge: net 1000.00, VAT item at 0 % with the §13b note, gross and payable 1000.00. */
export function germanReverseChargeStatement(): StatementForInvoice {
  return {
    ...germanStatement(),
    partner: { ...germanPartner, taxProfile: { ...germanPartner.taxProfile, vatRegime: 'reverse_charge' } },
    netCommission: '1000.00',
    vatAmount: '0.00',
    grossAmount: '1000.00',
    payableAmount: '1000.00',
    taxes: [
      {
        kind: 'vat',
        label: 'Umsatzsteuer',
        base: '1000.00',
        rate: '0',
        amount: '0.00',
        note: 'Steuerschuldnerschaft des Leistungsempfängers (§ 13b UStG).',
      },
    ],
    lines: [line(1, '1000.00', 'Photovoltaik: Abnahme')],
  };
}

/**
 * Italian agent with IVA, ritenuta and ENASARCO. Lines 1200.00 + 900.00 - 100.00 = 2000.00 net;
 * IVA 22 % = 440.00; gross 2440.00; ritenuta 23 % of 50 % of 2000.00 = 23 % of 1000.00 = 230.00;
 * ENASARCO 8.5 % of 2000.00 = 170.00 for the agent and 170.00 for the principal;
 * payable 2440.00 - 230.00 - 170.00 = 2040.00.
 */
export function italianStatement(): StatementForInvoice {
  return {
    id: '2026-11-P00077',
    periodId: '2026-11',
    periodStartsAt: '2026-10-31T23:00:00.000Z',
    periodEndsAt: '2026-11-30T23:00:00.000Z',
    invoiceNumber: 'GS-2026-000124',
    issueDate: '2026-12-04',
    partner: italianPartner,
    principal,
    currency: 'EUR',
    netCommission: '2000.00',
    vatAmount: '440.00',
    grossAmount: '2440.00',
    withholdingAmount: '230.00',
    contributionAgent: '170.00',
    contributionPrincipal: '170.00',
    payableAmount: '2040.00',
    taxes: [
      { kind: 'vat', label: 'IVA 22%', base: '2000.00', rate: '0.22', amount: '440.00' },
      { kind: 'withholding', label: "Ritenuta d'acconto", base: '1000.00', rate: '0.23', amount: '230.00' },
      { kind: 'contribution_agent', label: 'ENASARCO agente', base: '2000.00', rate: '0.085', amount: '170.00' },
      {
        kind: 'contribution_principal',
        label: 'ENASARCO preponente',
        base: '2000.00',
        rate: '0.085',
        amount: '170.00',
      },
    ],
    lines: [
      line(1, '1200.00', 'Contratto luce: attivazione fornitura'),
      line(2, '900.00', 'Contratto gas: attivazione fornitura'),
      line(3, '-100.00', 'Storno: recesso del cliente'),
    ],
  };
}

/**
 * German statement with `count` lines of 150.00 each. For 70 lines: net 10500.00; 19 % VAT
 * 1995.00; gross and payable 12495.00.
 */
export function manyLinesStatement(count: number): StatementForInvoice {
  const net = new Decimal('150.00').times(count);
  const vat = net.times('0.19').toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
  const gross = net.plus(vat);
  const lines = Array.from({ length: count }, (_, index) =>
    line(
      index + 1,
      '150.00',
      `Vertrag ${index + 1}: Provision bei Lieferbeginn, Tarif Ökostrom Fix 24 mit langer Beschreibung`,
    ),
  );
  return {
    ...germanStatement(),
    netCommission: net.toFixed(2),
    vatAmount: vat.toFixed(2),
    grossAmount: gross.toFixed(2),
    payableAmount: gross.toFixed(2),
    taxes: [{ kind: 'vat', label: 'Umsatzsteuer 19 %', base: net.toFixed(2), rate: '0.19', amount: vat.toFixed(2) }],
    lines,
  };
}
