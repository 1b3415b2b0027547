/** Runs the API app on an HTTP server and stops it gracefully. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import type { Logger } from '../config/logger.js';

/** A listening API server. */
export interface RunningApiServer {
  /** Base URL, for example `http://127.0.0.1:3000`, with the port actually bound when 0 was requested. */
  url: string;
  /**
   * Stops accepting connections, lets requests in progress finish and closes idle keep-alive
   * connections. Connections still open after `graceMs` (default 10 000 ms) are closed forcibly.
   * Resolves once the server is closed.
   */
  close(graceMs?: number): Promise<void>;
}

/** Options of `startApiServer`. `port` 0 picks a free port. */
export interface ApiServerOptions {
  app: Express;
  host: string;
  port: number;
  logger: Logger;
}

/**
 * Starts an HTTP server for `app` on `host:port` and resolves once it is listening.
 * Rejects with the listen error, for example EADDRINUSE when the port is taken.
 */
export async function startApiServer(options: ApiServerOptions): Promise<RunningApiServer> {
  const { app, host, port, logger } = options;
  const server: Server = createServer(app);

  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  server.on('error', (error) => logger.error({ err: error }, 'HTTP server error'));

  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${urlHost}:${address.port}`;
  logger.info({ url }, 'API server listening');

  let closing: Promise<void> | undefined;
  return {
    url,
    close(graceMs = 10_000) {
      closing ??= closeServer(server, graceMs, logger, url);
      return closing;
    },
  };
}

async function closeServer(server: Server, graceMs: number, logger: Logger, url: string): Promise<void> {
  logger.info({ url, graceMs }, 'API server stopping');
  const closed = new Promise<void>((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
  });
  server.closeIdleConnections();

  const timer = setTimeout(() => {
    logger.warn({ url, graceMs }, 'API server closing connections still open after the grace period');
    server.closeAllConnections();
  }, graceMs);
  timer.unref();

  try {
    await closed;
  } finally {
    clearTimeout(timer);
  }
  logger.info({ url }, 'API server stopped');
}
