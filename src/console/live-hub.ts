import { duplicateRedis, type RedisClient } from '../stores/redis';
import type { Logger } from '../log';
import { liveChannel, type LiveEvent } from './events';

type Listener = (event: LiveEvent) => void;

/**
 * One Redis subscription per api process, fanned out to its SSE clients. The subscriber
 * connection opens with the first client and stays; events of other channels never reach it.
 */
export class LiveHub {
  private readonly listeners = new Set<Listener>();
  private subscriber?: RedisClient;
  private subscribing?: Promise<void>;
  private readonly closers = new Set<() => void>();
  private readonly channel: string;

  constructor(
    private readonly redis: RedisClient,
    prefix: string,
    private readonly log: Logger,
  ) {
    this.channel = liveChannel(prefix);
  }

  /** Calls `listener` with every event from now on; the returned function stops it. */
  async subscribe(listener: Listener, onClose: () => void): Promise<() => void> {
    await (this.subscribing ??= this.open());
    this.listeners.add(listener);
    this.closers.add(onClose);
    return () => {
      this.listeners.delete(listener);
      this.closers.delete(onClose);
    };
  }

  get clients(): number {
    return this.listeners.size;
  }

  private async open(): Promise<void> {
    const sub = duplicateRedis(this.redis);
    sub.on('error', (err: Error) => this.log.warn({ event: 'live.redis_error', err: err.message }, 'live feed subscription error'));
    sub.on('message', (channel: string, text: string) => {
      if (channel !== this.channel) return;
      let event: LiveEvent;
      try {
        event = JSON.parse(text) as LiveEvent;
      } catch {
        return;
      }
      for (const l of this.listeners) l(event);
    });
    await sub.subscribe(this.channel);
    this.subscriber = sub;
  }

  /** Ends every client's stream (the server cannot close while they stay open) and the subscription. */
  async close(): Promise<void> {
    for (const c of [...this.closers]) c();
    this.listeners.clear();
    this.closers.clear();
    if (this.subscriber) this.subscriber.disconnect();
  }
}
