import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { simpleParser } from 'mailparser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import {
  createMailer,
  InvalidMessageIdError,
  type Mailer,
  type StatementEmail,
} from '../../integrations/mail/mailer.js';
import { readMessageId, startOutboxServer, type OutboxServer } from '../../integrations/mail/outbox-server.js';
import { buildStatementEmail, statementMessageId } from '../../integrations/mail/statement-email.js';
import { germanCreditNote, germanStatement, italianStatement } from './fixtures.js';

/** Bytes that are not valid UTF-8 or ASCII text, to prove the attachment arrives unchanged. */
const pdfBytes = Buffer.concat([
  Buffer.from('%PDF-1.7\n'),
  Buffer.from([0x00, 0xff, 0x80, 0x0d, 0x0a, 0xe2, 0x82, 0xac]),
]);

function email(overrides: Partial<StatementEmail> = {}): StatementEmail {
  return {
    to: 'juergen.weiss@example.test',
    subject: 'Gutschrift GS-2026-000123 – Provisionen 11/2026',
    text: 'Guten Tag,\n\nanbei Ihre Gutschrift.\n',
    attachment: { filename: 'Gutschrift_GS-2026-000123.pdf', content: pdfBytes },
    messageId: '<statement.2026-11-P00042.GS-2026-000123@incentra.local>',
    ...overrides,
  };
}

describe('outbox server and mailer', () => {
  let dir: string;
  let server: OutboxServer;
  let mailer: Mailer;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'incentra-outbox-'));
    server = await startOutboxServer({ host: '127.0.0.1', port: 0, dir });
    mailer = createMailer({
      host: '127.0.0.1',
      port: server.port,
      ignoreTLS: true,
      from: 'Incentra Statements <statements@incentra.local>',
    });
  });

  afterEach(async () => {
    mailer.close();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('listens on a free port', () => {
    expect(server.port).toBeGreaterThan(0);
  });

  it('stores email under its Message-ID', async () => {
    const sent = await mailer.sendStatementEmail(email());

    expect(sent.messageId).toBe('<statement.2026-11-P00042.GS-2026-000123@incentra.local>');
    expect(sent.accepted).toEqual(['juergen.weiss@example.test']);
    expect(await readdir(dir)).toEqual(['statement.2026-11-P00042.GS-2026-000123@incentra.local.eml']);
  });

  it('delivers subject, recipient and PDF bytes', async () => {
    await mailer.sendStatementEmail(email());
    const raw = await readFile(path.join(dir, 'statement.2026-11-P00042.GS-2026-000123@incentra.local.eml'));
    const parsed = await simpleParser(raw);

    expect(parsed.subject).toBe('Gutschrift GS-2026-000123 – Provisionen 11/2026');
    expect(parsed.messageId).toBe('<statement.2026-11-P00042.GS-2026-000123@incentra.local>');
    expect(parsed.from?.value).toEqual([{ name: 'Incentra Statements', address: 'statements@incentra.local' }]);
    const to = Array.isArray(parsed.to) ? parsed.to : [parsed.to];
    expect(to.flatMap((address) => address?.value.map((entry) => entry.address))).toEqual([
      'juergen.weiss@example.test',
    ]);
    expect(parsed.text).toContain('anbei Ihre Gutschrift.');
    expect(parsed.attachments).toHaveLength(1);
    expect(parsed.attachments[0]?.filename).toBe('Gutschrift_GS-2026-000123.pdf');
    expect(parsed.attachments[0]?.contentType).toBe('application/pdf');
    expect(Buffer.compare(parsed.attachments[0]!.content, pdfBytes)).toBe(0);
  });

  it('adds angle brackets to a bare Message-ID', async () => {
    const sent = await mailer.sendStatementEmail(email({ messageId: 'statement.x@incentra.local' }));

    expect(sent.messageId).toBe('<statement.x@incentra.local>');
    expect(await readdir(dir)).toEqual(['statement.x@incentra.local.eml']);
  });

  it('overwrites a resent Message-ID', async () => {
    await mailer.sendStatementEmail(email({ text: 'first attempt\n' }));
    await mailer.sendStatementEmail(email({ text: 'second attempt\n' }));
    const files = await readdir(dir);

    expect(files).toHaveLength(1);
    const parsed = await simpleParser(await readFile(path.join(dir, files[0]!)));
    expect(parsed.text).toContain('second attempt');
  });

  it('keeps distinct Message-IDs apart', async () => {
    await mailer.sendStatementEmail(email({ messageId: '<a/b@incentra.local>' }));
    await mailer.sendStatementEmail(email({ messageId: '<a_b@incentra.local>' }));

    expect((await readdir(dir)).sort()).toEqual(['a%2Fb@incentra.local.eml', 'a_b@incentra.local.eml']);
  });

  it('rejects an invalid Message-ID before sending', async () => {
    await expect(mailer.sendStatementEmail(email({ messageId: 'no domain' }))).rejects.toThrow(InvalidMessageIdError);
    expect(await readdir(dir)).toEqual([]);
  });

  it('rejects a message over the size limit', async () => {
    const small = await startOutboxServer({ port: 0, dir, maxMessageBytes: 10_000 });
    const smallMailer = createMailer({ host: '127.0.0.1', port: small.port, from: 'statements@incentra.local' });
    try {
      const attachment = { filename: 'big.pdf', content: Buffer.alloc(50_000, 0x41) };
      await expect(smallMailer.sendStatementEmail(email({ attachment }))).rejects.toThrow(/552/);
      expect(await readdir(dir)).toEqual([]);
    } finally {
      smallMailer.close();
      await small.close();
    }
  });

  it('fails to start on a port in use', async () => {
    await expect(startOutboxServer({ port: server.port, dir })).rejects.toThrow(/EADDRINUSE/);
  });
});

describe('readMessageId', () => {
  it('reads a folded header', () => {
    const message = Buffer.from('Subject: x\r\nMessage-ID:\r\n <abc@example.test>\r\n\r\nMessage-ID: <body@x>\r\n');

    expect(readMessageId(message)).toBe('abc@example.test');
  });

  it('returns null without the header', () => {
    expect(readMessageId(Buffer.from('Subject: x\r\n\r\nMessage-ID: <body@x>\r\n'))).toBeNull();
  });
});

describe('buildStatementEmail', () => {
  it('writes German for a German partner', () => {
    const content = buildStatementEmail(germanStatement());

    expect(content.subject).toBe('Gutschrift GS-2026-000123 – Provisionen 11/2026');
    expect(content.text).toContain('Guten Tag Handelsvertretung Jürgen Weiß,');
    expect(content.text).toContain('Leistungszeitraum 01.11.2026–30.11.2026');
    expect(content.text).toContain('Auszahlungsbetrag: 1.428,00 €');
    expect(content.attachmentFilename).toBe('Gutschrift_GS-2026-000123.pdf');
  });

  it('writes Italian for an Italian partner', () => {
    const content = buildStatementEmail(italianStatement());

    expect(content.subject).toBe('Fattura pro forma GS-2026-000124 – provvigioni 11/2026');
    expect(content.text).toContain('Gentile Agenzia Niccolò Perù,');
    expect(content.text).toContain('periodo 01/11/2026–30/11/2026');
    expect(content.text).toContain('Netto a pagare: 2.040,00 €');
    expect(content.attachmentFilename).toBe('Fattura_pro_forma_GS-2026-000124.pdf');
  });

  it('states the owed amount of a credit note', () => {
    expect(buildStatementEmail(germanCreditNote()).text).toContain('Betrag zu Ihren Lasten: 238,00 €');
  });

  it('requires an invoice number', () => {
    expect(() => buildStatementEmail({ ...germanStatement(), invoiceNumber: null })).toThrow(
      /invoiceNumber is missing/,
    );
  });
});

describe('statementMessageId', () => {
  it('derives the id from statement and invoice number', () => {
    expect(statementMessageId(germanStatement(), 'incentra.local')).toBe(
      '<statement.2026-11-P00042.GS-2026-000123@incentra.local>',
    );
  });

  it('rejects a domain with spaces', () => {
    expect(() => statementMessageId(germanStatement(), 'bad domain')).toThrow(RangeError);
  });
});
