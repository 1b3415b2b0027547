/**
 * Wording of the self-billing invoice in German (Gutschrift under §14(2) UStG) and Italian
 * (fattura pro forma issued by the principal on the agent's behalf).
 */
import type { VatRegime } from '../../domain/model.js';
import type { DocumentLocale } from '../statement-view.js';

/** Fixed texts and label builders of one document language. */
export interface StatementLabels {
  title: string;
  subtitle: string;
  /** The service and its period, for example "Provisionen für Vermittlungsleistungen, Leistungszeitraum …". */
  service(period: string): string;
  invoiceNumber: string;
  issueDate: string;
  period: string;
  partnerId: string;
  agent: string;
  principal: string;
  taxNumber: string;
  vatId: string;
  columns: { line: string; order: string; description: string; amount: string };
  netAmount(rate: string): string;
  vat(rate: string): string;
  grossAmount: string;
  withholding(rate: string, base: string): string;
  contributionAgent(rate: string, base: string): string;
  contributionPrincipal(rate: string, base: string): string;
  payable: string;
  /** Legal note for a VAT regime without VAT on the document, or null. */
  vatNote(regime: VatRegime): string | null;
  /** Notes printed on every document of the language. */
  standingNotes: string[];
  /** Row below the lines that counts the lines of 0.00 left out of the table. */
  zeroLines(count: number): string;
  footer(invoiceNumber: string, page: number, pages: number): string;
}

const GERMAN: StatementLabels = {
  title: 'Gutschrift',
  subtitle: 'Abrechnung im Gutschriftsverfahren nach § 14 Abs. 2 Satz 2 UStG',
  service: (period) => `Provisionen für Vermittlungsleistungen, Leistungszeitraum ${period}`,
  invoiceNumber: 'Gutschriftsnummer',
  issueDate: 'Ausstellungsdatum',
  period: 'Leistungszeitraum',
  partnerId: 'Partnernummer',
  agent: 'Leistender (Handelsvertreter)',
  principal: 'Leistungsempfänger und Aussteller der Gutschrift',
  taxNumber: 'Steuernummer',
  vatId: 'USt-IdNr.',
  columns: { line: 'Pos.', order: 'Auftrag', description: 'Beschreibung', amount: 'Betrag' },
  netAmount: (rate) => `Nettobetrag zum Steuersatz ${rate}`,
  vat: (rate) => `Umsatzsteuer ${rate}`,
  grossAmount: 'Gesamtbetrag',
  withholding: (rate, base) => `abzüglich Steuerabzug ${rate} auf ${base}`,
  contributionAgent: (rate, base) => `abzüglich Beitrag des Vertreters ${rate} auf ${base}`,
  contributionPrincipal: (rate, base) => `Beitrag des Unternehmers ${rate} auf ${base} (nicht abgezogen)`,
  payable: 'Auszahlungsbetrag',
  vatNote: (regime) => {
    if (regime === 'reverse_charge') return 'Steuerschuldnerschaft des Leistungsempfängers (§ 13b UStG).';
    if (regime === 'small_business') return 'Kein Ausweis von Umsatzsteuer, da Kleinunternehmer nach § 19 UStG.';
    return null;
  },
  standingNotes: [],
  zeroLines: (count) =>
    `${count} weitere ${count === 1 ? 'Position' : 'Positionen'} mit 0,00 € (Aufträge, die für eine Staffel gezählt ` +
    'wurden) sind in der Online-Abrechnung aufgeführt.',
  footer: (invoiceNumber, page, pages) => `Gutschrift ${invoiceNumber} · Seite ${page} von ${pages}`,
};

const ITALIAN: StatementLabels = {
  title: 'Fattura pro forma',
  subtitle: "Emessa dal committente per conto dell'agente",
  service: (period) => `Provvigioni per l'attività di intermediazione, periodo di competenza ${period}`,
  invoiceNumber: 'Numero',
  issueDate: 'Data di emissione',
  period: 'Periodo di competenza',
  partnerId: 'Codice agente',
  agent: 'Agente (prestatore)',
  principal: 'Committente (preponente)',
  taxNumber: 'Codice fiscale',
  vatId: 'Partita IVA',
  columns: { line: 'N.', order: 'Ordine', description: 'Descrizione', amount: 'Importo' },
  netAmount: (rate) => `Imponibile con aliquota ${rate}`,
  vat: (rate) => `IVA ${rate}`,
  grossAmount: 'Totale documento',
  withholding: (rate, base) => `Ritenuta d'acconto ${rate} su ${base} (a dedurre)`,
  contributionAgent: (rate, base) => `ENASARCO a carico dell'agente ${rate} su ${base} (a dedurre)`,
  contributionPrincipal: (rate, base) => `ENASARCO a carico del preponente ${rate} su ${base} (non dedotto)`,
  payable: 'Netto a pagare',
  vatNote: (regime) => {
    if (regime === 'forfettario') {
      return "Operazione in franchigia da IVA e non soggetta a ritenuta d'acconto: regime forfettario, art. 1, commi 54-89, Legge 190/2014.";
    }
    if (regime === 'reverse_charge') return 'Operazione soggetta a inversione contabile (reverse charge).';
    return null;
  },
  standingNotes: ['Il presente documento non costituisce fattura ai fini IVA.'],
  zeroLines: (count) =>
    `${count} ${count === 1 ? 'ulteriore riga' : 'ulteriori righe'} di 0,00 € (ordini conteggiati per uno ` +
    'scaglione) sono elencate nel rendiconto online.',
  footer: (invoiceNumber, page, pages) => `Fattura pro forma ${invoiceNumber} · Pagina ${page} di ${pages}`,
};

/** Returns the labels for the locale. */
export function statementLabels(locale: DocumentLocale): StatementLabels {
  return locale === 'it-IT' ? ITALIAN : GERMAN;
}

/** Returns the document title: "Gutschrift" or "Fattura pro forma". */
export function documentTitle(locale: DocumentLocale): string {
  return statementLabels(locale).title;
}
