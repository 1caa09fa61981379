import type { NonceCount } from '../auth/device-auth';
import type { OpenResult } from '../session/ports';
import type { SessionState } from '../session/state';
import { SessionStore } from '../session/store';
import type { SessionTraceRecorder } from './recorder';

/**
 * The session store, telling the trace recorder of every session state it stored, so that a
 * session whose device goes silent is recorded as timed out with what it last held (the
 * request in flight included).
 */
export class WatchedSessionStore extends SessionStore {
  private recorder?: SessionTraceRecorder;

  /** The recorder to tell (it needs this store to check on silent sessions, hence set after). */
  watchWith(recorder: SessionTraceRecorder): void {
    this.recorder = recorder;
  }

  override async open(state: SessionState, nonceCount?: NonceCount): Promise<OpenResult> {
    const opened = await super.open(state, nonceCount);
    if (opened.ok) this.recorder?.watch(state);
    return opened;
  }

  override async save(state: SessionState, previousInflightTask?: string, nonceCount?: NonceCount): Promise<boolean> {
    const saved = await super.save(state, previousInflightTask, nonceCount);
    if (saved) this.recorder?.watch(state);
    return saved;
  }
}
