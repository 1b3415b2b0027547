/**
 * The port through which Incentra posts supplier invoices to SAP. Implementations: the embedded
 * LocalSupplierInvoiceGateway (local-gateway.ts). An RFC gateway (BAPI_INCOMINGINVOICE_CREATE1,
 * BAPI_TRANSACTION_COMMIT, BAPI_INCOMINGINVOICE_GETLIST) and an S/4HANA OData gateway
 * (API_SUPPLIERINVOICE_PROCESS_SRV) can implement the same interface without changing callers.
 */
import type { SupplierInvoice } from './supplier-invoice.js';

/** Key of a supplier invoice in SAP: company code, vendor and the reference (REF_DOC_NO, XBLNR). */
export interface SupplierInvoiceQuery {
  companyCode: string;
  supplier: string;
  reference: string;
}

/** A supplier invoice document that SAP has posted. */
export interface PostedSupplierInvoice {
  /** Invoice document number (BELNR), 10 digits. */
  documentNumber: string;
  /** Fiscal year of the document (GJAHR), 4 digits. */
  fiscalYear: string;
  reference: string;
}

/**
 * Supplier invoice posting in SAP. Posting is not idempotent in SAP itself, because its duplicate
 * check does not cover credit memos or vendors without the check flag, so callers look the
 * reference up first and post only when it is not found.
 */
export interface SupplierInvoiceGateway {
  /**
   * Returns the posted invoice with this reference for the company code and vendor, or null when
   * there is none. Throws when SAP cannot be reached.
   */
  findByReference(query: SupplierInvoiceQuery): Promise<PostedSupplierInvoice | null>;

  /**
   * Posts and commits the invoice and returns its document number. Throws SapPostingError with
   * failure 'rejected' and SAP's messages when SAP rejects it, and with failure 'duplicate' when the
   * gateway finds the reference already posted. A plain Error means SAP could not be reached, and
   * the caller must look the reference up before it retries, because the posting may have
   * succeeded.
   */
  post(invoice: SupplierInvoice): Promise<PostedSupplierInvoice>;
}

/** Message type of a BAPIRET2 entry: S success, E error, W warning, I information, A abort. */
export type BapiMessageType = 'S' | 'E' | 'W' | 'I' | 'A' | '';

/** One entry of a BAPI's RETURN table (structure BAPIRET2), with SAP's field names. */
export interface BapiReturnMessage {
  TYPE: BapiMessageType;
  /** Message class, for example "M8" for logistics invoice verification. */
  ID: string;
  NUMBER: string;
  MESSAGE: string;
  LOG_NO?: string;
  LOG_MSG_NO?: string;
  MESSAGE_V1?: string;
  MESSAGE_V2?: string;
  MESSAGE_V3?: string;
  MESSAGE_V4?: string;
  PARAMETER?: string;
  ROW?: number;
  FIELD?: string;
  SYSTEM?: string;
}

/**
 * Why a posting failed: 'rejected' when SAP returned an error (TYPE E or A) or no document number,
 * 'duplicate' when the reference is already posted for the company code and vendor.
 */
export type SapPostingFailure = 'rejected' | 'duplicate';

/** Raised when SAP does not post a supplier invoice. Carries the reference and all BAPIRET2 messages. */
export class SapPostingError extends Error {
  override readonly name = 'SapPostingError';
  constructor(
    readonly failure: SapPostingFailure,
    readonly reference: string,
    readonly messages: readonly BapiReturnMessage[],
    /** For a duplicate: the invoice already posted with this reference, when known. */
    readonly existing?: PostedSupplierInvoice,
  ) {
    super(SapPostingError.describe(failure, reference, messages, existing));
  }

  private static describe(
    failure: SapPostingFailure,
    reference: string,
    messages: readonly BapiReturnMessage[],
    existing: PostedSupplierInvoice | undefined,
  ): string {
    const details = messages.map((message) => `${message.TYPE} ${message.ID}/${message.NUMBER} ${message.MESSAGE}`);
    if (failure === 'duplicate') {
      const document = existing ? ` as document ${existing.documentNumber}/${existing.fiscalYear}` : '';
      return `Supplier invoice ${reference} is already posted${document}. Look it up instead of posting again`;
    }
    return `SAP rejected supplier invoice ${reference}: ${details.join('; ') || 'no document number and no message'}`;
  }
}
