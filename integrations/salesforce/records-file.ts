/**
 * Reads Salesforce records from files, for commands that work without a database: either one JSON
 * file with the record lists as members, or a directory written by `writeDemoData`. Only the lists
 * are checked here, because the Salesforce mapping checks each record's fields.
 */
import { readFile, stat } from 'node:fs/promises';

import { DemoDataFileError, readRecordFiles, type SalesforceRecords } from '../../demo/files.js';
import { describeValue } from '../../domain/validation.js';
import type { SObjectType } from './records.js';

/** The members of a records file, with the sObject type of the records each lists. */
const RECORD_MEMBERS = {
  accounts: 'Account',
  products: 'Product2',
  orders: 'Order',
  orderItems: 'OrderItem',
  orderHistories: 'OrderHistory',
} as const satisfies Record<keyof SalesforceRecords, SObjectType>;

/** A records file or directory is missing, is not JSON, or lacks a record list. */
export class SalesforceRecordsFileError extends Error {
  override readonly name = 'SalesforceRecordsFileError';

  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`cannot read Salesforce records from ${file}: ${reason}`);
  }
}

/**
 * Reads the Salesforce records at `file`. A JSON file needs the members accounts, products,
 * orders, orderItems and orderHistories, each a list of records (an empty list is allowed), and
 * other members such as `plans` are ignored. A directory needs the five query response files that
 * `writeDemoData` writes; its plans.json is not read.
 * Throws SalesforceRecordsFileError naming the file and every missing or malformed member.
 */
export async function readSalesforceRecordsFile(file: string): Promise<SalesforceRecords> {
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(file)).isDirectory();
  } catch (error) {
    throw new SalesforceRecordsFileError(file, errorMessage(error));
  }

  if (isDirectory) {
    try {
      return await readRecordFiles(file);
    } catch (error) {
      if (error instanceof DemoDataFileError) throw new SalesforceRecordsFileError(error.file, error.reason);
      throw error;
    }
  }

  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new SalesforceRecordsFileError(file, errorMessage(error));
  }
  let content: unknown;
  try {
    content = JSON.parse(text);
  } catch (error) {
    throw new SalesforceRecordsFileError(file, `not valid JSON (${errorMessage(error)})`);
  }
  return checkRecordLists(file, content);
}

/** Returns the five record lists of a parsed records file, or throws listing every problem. */
function checkRecordLists(file: string, content: unknown): SalesforceRecords {
  const memberNames = Object.keys(RECORD_MEMBERS).join(', ');
  if (content === null || typeof content !== 'object' || Array.isArray(content)) {
    throw new SalesforceRecordsFileError(
      file,
      `expected a JSON object with the members ${memberNames}, not ${describeValue(content)}`,
    );
  }

  const problems: string[] = [];
  for (const [member, type] of Object.entries(RECORD_MEMBERS)) {
    const list = (content as Record<string, unknown>)[member];
    if (list === undefined) {
      problems.push(`member ${member} is missing; add the list of ${type} records, or [] when there are none`);
      continue;
    }
    if (!Array.isArray(list)) {
      problems.push(`member ${member} must be a list of ${type} records, not ${describeValue(list)}`);
      continue;
    }
    const index = list.findIndex((record) => record === null || typeof record !== 'object' || Array.isArray(record));
    if (index >= 0) {
      problems.push(`${member}[${index}] must be a record object, not ${describeValue(list[index])}`);
    }
  }
  if (problems.length > 0) {
    throw new SalesforceRecordsFileError(file, problems.join('; '));
  }

  const records = content as SalesforceRecords;
  return {
    accounts: records.accounts,
    products: records.products,
    orders: records.orders,
    orderItems: records.orderItems,
    orderHistories: records.orderHistories,
  };
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
