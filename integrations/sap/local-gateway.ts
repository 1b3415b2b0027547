/**
 * The embedded SAP gateway for local runs and tests. Instead of calling SAP it records, per
 * posting, the exact BAPI_INCOMINGINVOICE_CREATE1 call that the RFC gateway would make, as one JSON
 * file per reference, and assigns document numbers the way an SAP number range would.
 */
import { randomUUID } from 'node:crypto';
import { link, mkdir, open, readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';

import { Decimal } from 'decimal.js';
import { pino, type Logger } from 'pino';

import {
  BAPI_INCOMINGINVOICE_CREATE1,
  BAPI_TRANSACTION_COMMIT,
  parseIncomingInvoiceCreateExport,
  toIncomingInvoiceCreateImport,
  toSapAlphaFormat,
  type IncomingInvoiceCreateExport,
  type IncomingInvoiceCreateImport,
} from './bapi.js';
import {
  SapPostingError,
  type PostedSupplierInvoice,
  type SupplierInvoiceGateway,
  type SupplierInvoiceQuery,
} from './gateway.js';
import type { SupplierInvoice } from './supplier-invoice.js';

/** Content of one record file: the BAPI call, its result and the commit that followed. */
export interface LocalPostingRecord {
  function: typeof BAPI_INCOMINGINVOICE_CREATE1;
  parameters: IncomingInvoiceCreateImport;
  result: IncomingInvoiceCreateExport;
  commit: typeof BAPI_TRANSACTION_COMMIT;
  /** ISO 8601 instant of the posting. */
  postedAt: string;
}

export interface LocalSupplierInvoiceGatewayOptions {
  /** Folder of the record files. It is created on the first posting. */
  dir: string;
  /** Source of `postedAt`. Default: the system clock. */
  clock?: () => Date;
  /** Default: no logging. */
  logger?: Logger;
}

/** Raised when a record file cannot be read as a posting record. Names the file. */
export class CorruptSapRecordError extends Error {
  override readonly name = 'CorruptSapRecordError';
  constructor(
    readonly file: string,
    readonly detail: string,
  ) {
    super(`SAP posting record ${file} is invalid: ${detail}. Repair or remove the file.`);
  }
}

/** Document numbers are "51" followed by an 8-digit sequence, like an SAP invoice number range. */
const DOCUMENT_NUMBER_PREFIX = '51';
const MAX_SEQUENCE = 99_999_999;
const DOCUMENT_NUMBER_PATTERN = /^51(\d{8})$/;

/**
 * SupplierInvoiceGateway that writes `<dir>/<companyCode>-<supplier>-<reference>.json` per posting.
 *
 * A record file appears complete or not at all, so a crash never leaves half a record. Posts of
 * one instance run one after another, so concurrent calls get distinct numbers. A new instance
 * continues the sequence after the highest number found in the folder.
 *
 * Two processes on the same folder can hand out the same document number, because each keeps its
 * own sequence, but they cannot record the same reference twice.
 */
export class LocalSupplierInvoiceGateway implements SupplierInvoiceGateway {
  private readonly dir: string;
  private readonly clock: () => Date;
  private readonly logger: Logger;
  private queue: Promise<unknown> = Promise.resolve();
  /** Highest sequence number in use, read from the folder on the first posting. */
  private lastSequence: number | undefined;

  constructor(options: LocalSupplierInvoiceGatewayOptions) {
    this.dir = options.dir;
    this.clock = options.clock ?? (() => new Date());
    this.logger = options.logger ?? pino({ level: 'silent' });
  }

  /**
   * Returns the recorded posting for the company code, vendor and reference, or null. A numeric
   * vendor matches with or without leading zeros. Throws CorruptSapRecordError for an unreadable
   * record and InvalidSapFieldError for a vendor longer than 10 characters.
   */
  async findByReference(query: SupplierInvoiceQuery): Promise<PostedSupplierInvoice | null> {
    const supplier = toSapAlphaFormat('supplier', query.supplier, 10);
    const file = this.recordPath(query.companyCode, supplier, query.reference);
    const record = await readRecord(file);
    if (!record) return null;

    const header = record.parameters.HEADERDATA;
    if (
      header.COMP_CODE !== query.companyCode ||
      header.DIFF_INV !== supplier ||
      header.REF_DOC_NO !== query.reference
    ) {
      throw new CorruptSapRecordError(file, 'its HEADERDATA does not match the file name');
    }
    return parseIncomingInvoiceCreateExport(record.result, header.REF_DOC_NO);
  }

  /**
   * Records the BAPI call for the invoice and returns the new document number. The fiscal year is
   * the calendar year of the posting date, as in a company code with fiscal year variant K4. Throws InvalidSapFieldError when the invoice does not
   * fit the BAPI fields. Throws SapPostingError 'rejected' when the items and taxes do not add up
   * to the gross amount, the balance check that SAP also makes. Throws SapPostingError 'duplicate',
   * carrying the existing document, when the reference is already recorded.
   */
  async post(invoice: SupplierInvoice): Promise<PostedSupplierInvoice> {
    const parameters = toIncomingInvoiceCreateImport(invoice);
    checkBalance(parameters);
    return this.serialize(() => this.record(parameters));
  }

  private async record(parameters: IncomingInvoiceCreateImport): Promise<PostedSupplierInvoice> {
    const header = parameters.HEADERDATA;
    const file = this.recordPath(header.COMP_CODE, header.DIFF_INV, header.REF_DOC_NO);
    await this.rejectDuplicate(file, header.REF_DOC_NO);

    const sequence = (await this.readLastSequence()) + 1;
    if (sequence > MAX_SEQUENCE) {
      throw new Error(
        `Local SAP number range in ${this.dir} is exhausted at ${MAX_SEQUENCE}. Archive the records and start a new folder.`,
      );
    }
    const result: IncomingInvoiceCreateExport = {
      INVOICEDOCNUMBER: `${DOCUMENT_NUMBER_PREFIX}${String(sequence).padStart(8, '0')}`,
      FISCALYEAR: header.PSTNG_DATE.slice(0, 4),
      RETURN: [],
    };
    const record: LocalPostingRecord = {
      function: BAPI_INCOMINGINVOICE_CREATE1,
      parameters,
      result,
      commit: BAPI_TRANSACTION_COMMIT,
      postedAt: this.clock().toISOString(),
    };

    if (!(await writeNewFile(file, `${JSON.stringify(record, null, 2)}\n`))) {
      // Another process recorded the reference after the check above.
      await this.rejectDuplicate(file, header.REF_DOC_NO);
    }
    this.lastSequence = sequence;

    const posted = parseIncomingInvoiceCreateExport(result, header.REF_DOC_NO);
    this.logger.info(
      { reference: posted.reference, companyCode: header.COMP_CODE, documentNumber: posted.documentNumber },
      'recorded SAP supplier invoice posting',
    );
    return posted;
  }

  private async rejectDuplicate(file: string, reference: string): Promise<void> {
    const existing = await readRecord(file);
    if (!existing) return;

    const posted = parseIncomingInvoiceCreateExport(existing.result, reference);
    this.logger.warn({ reference, documentNumber: posted.documentNumber }, 'rejected a second posting of a reference');
    throw new SapPostingError('duplicate', reference, [], posted);
  }

  private async readLastSequence(): Promise<number> {
    if (this.lastSequence !== undefined) return this.lastSequence;

    await mkdir(this.dir, { recursive: true });
    let last = 0;
    for (const name of await readdir(this.dir)) {
      // Names starting with "." are temporary files of writes in progress or interrupted.
      if (name.startsWith('.') || !name.endsWith('.json')) continue;

      const file = path.join(this.dir, name);
      const record = await readRecord(file);
      const match = DOCUMENT_NUMBER_PATTERN.exec(record?.result.INVOICEDOCNUMBER ?? '');
      if (!match) throw new CorruptSapRecordError(file, 'result.INVOICEDOCNUMBER is not 51 followed by 8 digits');
      last = Math.max(last, Number(match[1]));
    }
    this.lastSequence = last;
    return last;
  }

  private recordPath(companyCode: string, supplier: string, reference: string): string {
    // "-" separates the parts, so it is escaped inside company code and vendor.
    const name = `${escapeFileName(companyCode, /[^A-Za-z0-9_.]/g)}-${escapeFileName(supplier, /[^A-Za-z0-9_.]/g)}-${escapeFileName(reference, /[^A-Za-z0-9_.-]/g)}`;
    return path.join(this.dir, `${name}.json`);
  }

  /** Runs tasks one after another in call order. A failed task does not stop the ones after it. */
  private serialize<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

/** Replaces each character that `unsafe` matches with %XX per UTF-8 byte, so names stay distinct. */
function escapeFileName(value: string, unsafe: RegExp): string {
  return value.replace(unsafe, (character) =>
    [...Buffer.from(character, 'utf8')].map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
  );
}

/**
 * Writes `content` to `file` only if `file` does not exist, and returns false if it does. The
 * content goes to a synced temporary file that is then hard-linked to the final name. Unlike
 * rename, link fails when the target exists, so a record written meanwhile is never replaced.
 */
async function writeNewFile(file: string, content: string): Promise<boolean> {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomUUID()}.tmp`);
  const handle = await open(temporary, 'wx');
  try {
    await handle.writeFile(content, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }

  try {
    await link(temporary, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await rm(temporary, { force: true });
  }
}

async function readRecord(file: string): Promise<LocalPostingRecord | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }

  let record: LocalPostingRecord;
  try {
    record = JSON.parse(text) as LocalPostingRecord;
  } catch (error) {
    throw new CorruptSapRecordError(file, `not JSON (${(error as Error).message})`);
  }
  if (record?.function !== BAPI_INCOMINGINVOICE_CREATE1 || !record.parameters?.HEADERDATA || !record.result) {
    throw new CorruptSapRecordError(file, `not a ${BAPI_INCOMINGINVOICE_CREATE1} record`);
  }
  return record;
}

/**
 * Rejects a document that does not balance, as SAP would: the G/L items (debits minus credits,
 * with the sides swapped for a credit memo) plus the tax amounts must equal the gross amount. The
 * message uses the customer message class ZINCENTRA because SAP's own message number is not
 * reproduced here.
 */
function checkBalance(parameters: IncomingInvoiceCreateImport): void {
  const header = parameters.HEADERDATA;
  const invoiceSign = header.INVOICE_IND === 'X' ? 1 : -1;
  const items = parameters.GLACCOUNTDATA.reduce(
    (total, item) =>
      total.plus(new Decimal(item.ITEM_AMOUNT).times(item.DB_CR_IND === 'S' ? invoiceSign : -invoiceSign)),
    new Decimal(0),
  );
  const taxes = parameters.TAXDATA.reduce((total, tax) => total.plus(tax.TAX_AMOUNT), new Decimal(0));
  const balance = new Decimal(header.GROSS_AMOUNT).minus(items).minus(taxes);
  if (balance.isZero()) return;

  throw new SapPostingError('rejected', header.REF_DOC_NO, [
    {
      TYPE: 'E',
      ID: 'ZINCENTRA',
      NUMBER: '001',
      MESSAGE: `Balance is not zero: gross ${header.GROSS_AMOUNT}, items ${items.toFixed(2)}, tax ${taxes.toFixed(2)}`,
    },
  ]);
}
