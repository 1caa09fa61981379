import dgram from 'node:dgram';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import type { Config } from '../config';
import type { Logger } from '../log';
import { BlockReader } from './block-reader';
import { ClientBudget } from './client-budget';
import { blocksFor, decode, encodeData, encodeError, encodeOack, ERR, MAX_BLOCK, negotiate, OP, TftpPacketError } from './packet';

/**
 * A read-only TFTP server (RFC 1350 with RFC 2347-2349 options) on one UDP port. Each transfer
 * answers from a port of its own (the server's transfer ID), sends a block, waits for its ACK
 * and resends it after the timeout, `retries` times at most. Bounded: transfers at once, file
 * size, blocks per transfer, requests per client per minute. Write requests are refused with
 * "access violation". What a name resolves to is the caller's (`resolve`).
 */

export type Resolution = { size: number; open(): Readable } | { code: number; message: string };

export interface TransferOutcome {
  filename: string;
  source: string;
  /** 'sent': every block acknowledged; else why the transfer ended early */
  result: 'sent' | 'refused' | 'timed-out' | 'aborted';
  bytes: number;
  code?: number;
  message?: string;
  durationMs: number;
}

/** The port and bounds are the configuration's (ACS_TFTP_*, README). */
type TftpSettings = Config['tftp'];

export interface TftpServerOptions extends TftpSettings {
  host: string;
  resolve(filename: string, source: string): Promise<Resolution>;
  onTransfer?(outcome: TransferOutcome): void;
  log: Logger;
}

export interface TftpServer {
  port: number;
  /** transfers under way */
  active(): number;
  close(): Promise<void>;
}

export async function startTftpServer(o: TftpServerOptions): Promise<TftpServer> {
  const family = o.host.includes(':') ? 'udp6' : 'udp4';
  const main = dgram.createSocket({ type: family });
  const budget = new ClientBudget(o.requestsPerMinute);
  const transfers = new Set<Transfer>();
  const serving = new Set<Promise<void>>();
  let active = 0;
  let closing = false;

  const refuse = (to: dgram.RemoteInfo, filename: string, code: number, message: string) => {
    if (closing) return;
    main.send(encodeError(code, message), to.port, to.address);
    o.onTransfer?.({ filename, source: to.address, result: 'refused', bytes: 0, code, message, durationMs: 0 });
  };

  main.on('message', (msg, from) => {
    let packet;
    try {
      packet = decode(msg);
    } catch (err) {
      if (err instanceof TftpPacketError) main.send(encodeError(ERR.ILLEGAL, err.message), from.port, from.address);
      return;
    }
    // Only requests come to the main port; stray ACKs and errors are a client's confusion.
    if (packet.op !== OP.RRQ && packet.op !== OP.WRQ) {
      if (packet.op !== OP.ERROR) main.send(encodeError(ERR.UNKNOWN_TID, 'no transfer on this port: send a read request'), from.port, from.address);
      return;
    }
    const { filename } = packet;
    if (packet.kind === 'write') return refuse(from, filename, ERR.ACCESS, 'read-only server: write requests are refused');
    if (packet.mode !== 'octet' && packet.mode !== 'netascii') return refuse(from, filename, ERR.ILLEGAL, `mode ${packet.mode.slice(0, 20)} is not served: octet or netascii`);
    if (!budget.take(from.address)) return refuse(from, filename, ERR.UNDEFINED, `too many requests from ${from.address}: at most ${o.requestsPerMinute} a minute`);
    if (active >= o.maxTransfers) return refuse(from, filename, ERR.UNDEFINED, `server busy: ${o.maxTransfers} transfers under way, try again later`);
    active++;
    const done = serve(packet.filename, packet.options, from)
      .catch((err: unknown) => o.log.warn({ event: 'tftp.transfer_failed', err, filename: filename.slice(0, 200) }, 'tftp transfer could not start'))
      .finally(() => {
        active--;
        serving.delete(done);
      });
    serving.add(done);
  });

  async function serve(filename: string, options: Record<string, string>, from: dgram.RemoteInfo): Promise<void> {
    let found: Resolution;
    try {
      found = await o.resolve(filename, from.address);
    } catch (err) {
      o.log.error({ event: 'tftp.resolve_failed', err, filename: filename.slice(0, 200) }, 'tftp: looking up a file failed');
      return refuse(from, filename, ERR.UNDEFINED, 'internal error');
    }
    if (closing) return;
    if ('code' in found) return refuse(from, filename, found.code, found.message);
    if (found.size > o.maxFileBytes) return refuse(from, filename, ERR.UNDEFINED, `file of ${found.size} bytes is larger than the ${o.maxFileBytes} this server sends`);
    const n = negotiate(options, found.size, { maxBlksize: o.maxBlksize, defaultTimeoutSeconds: o.timeoutSeconds });
    const blocks = blocksFor(found.size, n.blksize);
    const maxBlocks = Math.min(o.maxBlocks, MAX_BLOCK);
    if (blocks > maxBlocks) return refuse(from, filename, ERR.UNDEFINED, `file needs ${blocks} blocks of ${n.blksize} bytes, more than ${maxBlocks}: ask for a larger blksize`);
    const socket = dgram.createSocket({ type: family });
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, o.host, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    const transfer = new Transfer(socket, from, new BlockReader(found.open()), { ...n, size: found.size, retries: o.retries });
    transfers.add(transfer);
    const started = Date.now();
    const outcome = await transfer.run();
    transfers.delete(transfer);
    o.onTransfer?.({ filename, source: from.address, ...outcome, durationMs: Date.now() - started });
  }

  await new Promise<void>((resolve, reject) => {
    main.once('error', reject);
    main.bind(o.port, o.host, () => {
      main.off('error', reject);
      resolve();
    });
  });
  main.on('error', (err) => o.log.warn({ event: 'tftp.socket_error', err: err.message }, 'tftp socket error'));
  return {
    port: (main.address() as AddressInfo).port,
    active: () => active,
    async close() {
      closing = true;
      for (const t of transfers) t.abort();
      await Promise.allSettled([...serving]);
      await new Promise<void>((resolve) => main.close(() => resolve()));
    },
  };
}

interface TransferSettings {
  blksize: number;
  timeoutSeconds: number;
  oack: Record<string, string>;
  size: number;
  retries: number;
}

/** One read transfer on its own socket, lock-step: a block, its ACK, the next block. */
class Transfer {
  private block = 0;
  private packet: Buffer = Buffer.alloc(0);
  private last = false;
  private sent = 0;
  private attempts = 0;
  private timer: NodeJS.Timeout | undefined;
  private finish: (o: Pick<TransferOutcome, 'result' | 'bytes' | 'code' | 'message'>) => void = () => {};
  private busy = false;
  private done = false;

  constructor(
    private readonly socket: dgram.Socket,
    private readonly peer: dgram.RemoteInfo,
    private readonly reader: BlockReader,
    private readonly s: TransferSettings,
  ) {}

  run(): Promise<Pick<TransferOutcome, 'result' | 'bytes' | 'code' | 'message'>> {
    return new Promise((resolve) => {
      this.finish = (outcome) => {
        this.done = true;
        clearTimeout(this.timer);
        this.reader.close();
        this.socket.removeAllListeners('message');
        this.socket.close();
        this.finish = () => {};
        resolve(outcome);
      };
      this.socket.on('message', (msg, from) => this.onMessage(msg, from));
      this.socket.on('error', () => this.finish({ result: 'aborted', bytes: this.sent, message: 'socket error' }));
      if (Object.keys(this.s.oack).length) this.transmit(encodeOack(this.s.oack));
      else void this.next();
    });
  }

  abort(): void {
    this.fail('server shutting down', { result: 'aborted', bytes: this.sent, message: 'server shutting down' });
  }

  /** Tells the client why the transfer ends, then ends it (once the error is out: closing drops pending sends). */
  private fail(message: string, outcome: Pick<TransferOutcome, 'result' | 'bytes' | 'code' | 'message'>): void {
    if (this.done) return;
    clearTimeout(this.timer);
    this.socket.send(encodeError(ERR.UNDEFINED, message), this.peer.port, this.peer.address, () => this.finish(outcome));
  }

  private onMessage(msg: Buffer, from: dgram.RemoteInfo): void {
    if (from.address !== this.peer.address || from.port !== this.peer.port) {
      // RFC 1350: a packet from another transfer ID gets an error; this transfer goes on.
      this.socket.send(encodeError(ERR.UNKNOWN_TID, 'unknown transfer ID'), from.port, from.address);
      return;
    }
    let packet;
    try {
      packet = decode(msg);
    } catch {
      return;
    }
    if (packet.op === OP.ERROR) return this.finish({ result: 'aborted', bytes: this.sent, code: packet.code, message: `client: ${packet.message.slice(0, 100)}` });
    // Only the ACK of the block in flight moves on; a duplicate ACK of an earlier one is
    // ignored, not answered (the Sorcerer's Apprentice bug, RFC 1123 4.2.3.1).
    if (packet.op !== OP.ACK || packet.block !== this.block || this.busy) return;
    if (this.last) return this.finish({ result: 'sent', bytes: this.sent });
    void this.next();
  }

  private async next(): Promise<void> {
    this.busy = true;
    let data: Buffer;
    try {
      // Never more than the size announced (tsize, and the bounds checked against it).
      data = await this.reader.read(Math.min(this.s.blksize, this.s.size - this.sent));
    } catch (err) {
      this.busy = false;
      return this.fail('file could not be read', { result: 'aborted', bytes: this.sent, message: `read failed: ${(err as Error).message}` });
    }
    this.busy = false;
    if (this.done) return;
    this.block += 1;
    this.sent += data.length;
    this.last = data.length < this.s.blksize;
    this.transmit(encodeData(this.block, data));
  }

  private transmit(packet: Buffer): void {
    this.packet = packet;
    this.attempts = 0;
    this.send();
  }

  private send(): void {
    this.socket.send(this.packet, this.peer.port, this.peer.address);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      if (this.attempts >= this.s.retries) {
        return this.fail(`no acknowledgement after ${this.s.retries} retransmissions`, { result: 'timed-out', bytes: this.sent, message: `block ${this.block} unacknowledged after ${this.s.retries} retransmissions` });
      }
      this.attempts += 1;
      this.send();
    }, this.s.timeoutSeconds * 1000);
  }
}
