import type { Readable } from 'node:stream';

/**
 * Reads a stream in blocks of a fixed size, holding no more than one block and the chunk it
 * was cut from: a transfer of a large firmware file does not sit in memory whole.
 */
export class BlockReader {
  private readonly chunks: AsyncIterator<Buffer>;
  private pending: Buffer = Buffer.alloc(0);
  private ended = false;

  constructor(private readonly stream: Readable) {
    this.chunks = (stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>);
  }

  /** The next `size` bytes, fewer only at the end of the stream. */
  async read(size: number): Promise<Buffer> {
    while (this.pending.length < size && !this.ended) {
      const next = await this.chunks.next();
      if (next.done) this.ended = true;
      else this.pending = this.pending.length ? Buffer.concat([this.pending, next.value]) : Buffer.from(next.value);
    }
    const out = this.pending.subarray(0, size);
    this.pending = this.pending.subarray(out.length);
    return out;
  }

  close(): void {
    this.stream.destroy();
  }
}
