/**
 * Sends statement emails over SMTP with nodemailer: to a real relay (SMTP_URL) or to the embedded
 * outbox server.
 */
import { createTransport } from 'nodemailer';

/** Connection settings: either `smtpUrl` or `host` and `port`. */
export interface MailerOptions {
  /** For example "smtp://user:secret@mail.example.com:587" or "smtps://mail.example.com". */
  smtpUrl?: string;
  host?: string;
  port?: number;
  /** Use TLS from the start (port 465). Default false, which upgrades with STARTTLS when offered. */
  secure?: boolean;
  /**
   * Skip STARTTLS even when the server offers it. Needed for smtp-server's built-in certificate,
   * which is expired. The embedded outbox server does not offer STARTTLS at all. Default false.
   */
  ignoreTLS?: boolean;
  /** Sender, for example "Incentra Statements <statements@incentra.local>". */
  from: string;
  /** Time in ms to wait for the connection. Default 30 000. */
  connectionTimeoutMs?: number;
}

/** A statement email with its PDF. */
export interface StatementEmail {
  to: string;
  subject: string;
  text: string;
  html?: string;
  attachment: { filename: string; content: Buffer; contentType?: string };
  /**
   * Message-ID, derived from the statement (see statementMessageId), so that a retry sends the same
   * id and the receiving side can recognise the copy. Angle brackets are optional.
   */
  messageId: string;
}

/** Result of a send: the Message-ID used, the accepted recipients and the server's reply. */
export interface SentStatementEmail {
  /** Message-ID with angle brackets. */
  messageId: string;
  accepted: string[];
  /** Last reply of the server, for example "250 OK: message queued". */
  response: string;
}

export interface Mailer {
  /**
   * Sends one email and resolves once the server has accepted it. Throws InvalidMessageIdError for
   * a Message-ID that is not `local@domain`, before connecting. Otherwise throws nodemailer's error:
   * code EENVELOPE when the server rejects the recipient, EMESSAGE when it rejects the message (for
   * example 552 for its size), and ESOCKET, ECONNECTION or ETIMEDOUT when the connection fails.
   */
  sendStatementEmail(email: StatementEmail): Promise<SentStatementEmail>;
  /** Closes the transport. */
  close(): void;
}

/** Raised for a Message-ID that is not of the form `local@domain`. */
export class InvalidMessageIdError extends Error {
  override readonly name = 'InvalidMessageIdError';
  constructor(readonly messageId: string) {
    super(`Invalid Message-ID ${JSON.stringify(messageId)}: expected <local@domain> without spaces`);
  }
}

const MESSAGE_ID_PATTERN = /^<?([^<>\s@]+@[^<>\s@]+)>?$/;

/**
 * Creates a mailer on a nodemailer SMTP transport. The transport opens a connection per message.
 * Throws TypeError when neither `smtpUrl` nor `host` is given.
 */
export function createMailer(options: MailerOptions): Mailer {
  if (!options.smtpUrl && !options.host) {
    throw new TypeError('createMailer: set smtpUrl or host and port');
  }

  const transport = createTransport({
    ...(options.smtpUrl ? { url: options.smtpUrl } : { host: options.host, port: options.port }),
    ...(options.secure !== undefined ? { secure: options.secure } : {}),
    ignoreTLS: options.ignoreTLS ?? false,
    connectionTimeout: options.connectionTimeoutMs ?? 30_000,
    // Message content never comes from files or URLs, so nodemailer must not read either.
    disableFileAccess: true,
    disableUrlAccess: true,
    logger: false,
  });

  return {
    async sendStatementEmail(email) {
      const match = MESSAGE_ID_PATTERN.exec(email.messageId);
      if (!match) throw new InvalidMessageIdError(email.messageId);
      const messageId = `<${match[1]}>`;

      const info = await transport.sendMail({
        from: options.from,
        to: email.to,
        subject: email.subject,
        text: email.text,
        ...(email.html !== undefined ? { html: email.html } : {}),
        messageId,
        attachments: [
          {
            filename: email.attachment.filename,
            content: email.attachment.content,
            contentType: email.attachment.contentType ?? 'application/pdf',
          },
        ],
      });

      return { messageId, accepted: info.accepted.map(String), response: info.response };
    },

    close() {
      transport.close();
    },
  };
}
