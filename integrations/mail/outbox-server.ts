/**
 * The embedded SMTP server for local runs and tests: it accepts every message and stores it as an
 * .eml file instead of delivering it, like a mail sink such as Mailpit.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { pino, type Logger } from 'pino';
import { SMTPServer, type SMTPServerDataStream } from 'smtp-server';

export interface OutboxServerOptions {
  /** Address to listen on. Default 127.0.0.1. */
  host?: string;
  /** Port to listen on. 0 picks a free port. */
  port: number;
  /** Folder for the .eml files. Created if missing. */
  dir: string;
  /** Maximum message size in bytes. Larger messages are rejected with 552. Default 25 MiB. */
  maxMessageBytes?: number;
  /** Default: no logging. */
  logger?: Logger;
}

export interface OutboxServer {
  host: string;
  /** The port the server listens on, also when 0 was requested. */
  port: number;
  /** Stops accepting connections and resolves once open sessions have ended, after at most 5 s. */
  close(): Promise<void>;
}

const DEFAULT_MAX_MESSAGE_BYTES = 25 * 1024 * 1024;
/** Maximum length of a file name without ".eml", below the 255-byte name limit of ext4 and most other file systems. */
const MAX_FILE_STEM_LENGTH = 200;

/**
 * Starts an SMTP server that stores each message as `<dir>/<Message-ID>.eml`, with unsafe characters
 * of the Message-ID escaped. A message sent again with the same Message-ID replaces the earlier file,
 * so retries do not pile up copies. A message without a Message-ID is named after the SHA-256 of its
 * content. The server offers neither AUTH nor STARTTLS and accepts any sender and recipient, so it
 * must only listen on a loopback or otherwise private address.
 *
 * Rejects with the listen error (for example EADDRINUSE) when the port cannot be bound.
 */
export async function startOutboxServer(options: OutboxServerOptions): Promise<OutboxServer> {
  const host = options.host ?? '127.0.0.1';
  const logger = options.logger ?? pino({ level: 'silent' });
  const maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  await mkdir(options.dir, { recursive: true });

  const server = new SMTPServer({
    disabledCommands: ['AUTH', 'STARTTLS'],
    hideSTARTTLS: true,
    authOptional: true,
    size: maxMessageBytes,
    rejectOversized: true,
    disableReverseLookup: true,
    closeTimeout: 5_000,
    // smtp-server's own logger would write the SMTP dialogue, including addresses, so it stays off.
    logger: false,
    onData(stream, _session, callback) {
      storeMessage(stream, options.dir, maxMessageBytes).then(
        (file) => {
          if (file) logger.info({ file: path.basename(file) }, 'stored outbox message');
          callback();
        },
        (error: Error) => {
          logger.error({ err: error }, 'failed to store outbox message');
          callback(error);
        },
      );
    },
  });
  server.on('error', (error) => logger.error({ err: error }, 'outbox SMTP server error'));

  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(options.port, host, () => {
      server.server.off('error', reject);
      resolve();
    });
  });

  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  logger.info({ host, port, dir: options.dir }, 'outbox SMTP server started');

  return {
    host,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          logger.info({ host, port }, 'outbox SMTP server stopped');
          resolve();
        });
      }),
  };
}

/**
 * Reads the message and writes it to its file through a temporary file and a rename, so a reader
 * never sees half a message. Returns the file, or null when the message was too large and is
 * dropped (the server then replies 552).
 */
async function storeMessage(stream: SMTPServerDataStream, dir: string, maxBytes: number): Promise<string | null> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of stream) {
    // The rest of an oversized message is read and discarded, so memory stays bounded by maxBytes.
    bytes += (chunk as Buffer).length;
    if (bytes <= maxBytes) chunks.push(chunk as Buffer);
  }
  if (stream.sizeExceeded || bytes > maxBytes) return null;

  const message = Buffer.concat(chunks);
  const messageId = readMessageId(message);
  const stem = messageId ? fileStem(messageId) : `no-message-id-${sha256(message)}`;
  const file = path.join(dir, `${stem}.eml`);

  const temporary = path.join(dir, `.${stem}.${randomUUID()}.tmp`);
  try {
    await writeFile(temporary, message);
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  return file;
}

/** Returns the Message-ID header value without angle brackets, or null when the header is missing. */
export function readMessageId(message: Buffer): string | null {
  const headerEnd = message.indexOf('\r\n\r\n');
  const headers = message.subarray(0, headerEnd === -1 ? message.length : headerEnd).toString('latin1');
  // Continuation lines start with white space and belong to the header before them.
  const unfolded = headers.replace(/\r?\n[ \t]+/g, ' ');
  const match = /^message-id:\s*<?([^<>\r\n]*?)>?\s*$/im.exec(unfolded);
  const value = match?.[1]?.trim();
  return value ? value : null;
}

/**
 * Escapes every character outside letters, digits and `._@+-` as %XX, so that distinct ids give
 * distinct names and no id can name a path outside the folder. An id longer than the limit is cut
 * and suffixed with its hash.
 */
function fileStem(messageId: string): string {
  const escaped = messageId.replace(/[^A-Za-z0-9._@+-]|^\./g, (character) =>
    [...Buffer.from(character, 'utf8')].map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
  );
  if (escaped.length <= MAX_FILE_STEM_LENGTH) return escaped;
  return `${escaped.slice(0, MAX_FILE_STEM_LENGTH - 65)}-${sha256(Buffer.from(messageId, 'utf8'))}`;
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
