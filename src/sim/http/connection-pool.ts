import { Client } from 'undici';
import type { ConnectionOptions } from 'node:tls';

/**
 * Keep-alive connections for CWMP sessions, shared by a fleet. A session borrows one
 * connection per origin and keeps it to itself until the session ends, as a CPE does;
 * then the connection goes back for the next session of any device. (undici's Pool hands
 * each request to whichever connection is free, which would scatter one session's POSTs
 * over several sockets.)
 */
export class ConnectionPool {
  private readonly idle = new Map<string, Client[]>();
  private closed = false;

  constructor(
    private readonly maxIdlePerOrigin: number,
    /** TLS settings of https origins: the CAs trusted, a client certificate */
    private readonly tls: ConnectionOptions = {},
  ) {}

  acquire(origin: string): Client {
    const list = this.idle.get(origin);
    for (let c = list?.pop(); c; c = list?.pop()) if (!c.closed && !c.destroyed) return c;
    return new Client(origin, { pipelining: 1, connect: this.tls });
  }

  /** Returns a connection after a session; a broken or unwanted one is destroyed. */
  release(origin: string, client: Client, reusable: boolean): void {
    const list = this.idle.get(origin) ?? [];
    if (this.closed || !reusable || client.closed || client.destroyed || list.length >= this.maxIdlePerOrigin) {
      client.destroy().catch(() => undefined);
      return;
    }
    list.push(client);
    this.idle.set(origin, list);
  }

  async close(): Promise<void> {
    this.closed = true;
    const clients = [...this.idle.values()].flat();
    this.idle.clear();
    await Promise.all(clients.map((c) => c.destroy().catch(() => undefined)));
  }
}
