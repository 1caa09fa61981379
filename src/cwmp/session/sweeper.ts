import type { Logger } from '../../log';
import type { InflightRecord, SessionTasks } from './ports';

/**
 * Returns to pending the tasks whose session died while they were in flight (the device went
 * silent past the session timeout). Every replica may run it: releasing is a compare-and-set.
 * If Redis lost its record, the device's next session takes the task over anyway.
 */
export class InflightSweeper {
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly sessions: InflightRecord,
    private readonly tasks: Pick<SessionTasks, 'release'>,
    private readonly log: Logger,
  ) {}

  start(intervalMs: number): void {
    this.timer = setInterval(() => {
      this.sweep().catch((err) => this.log.error({ event: 'cwmp.sweep_failed', err }, 'in-flight sweep failed'));
    }, intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** One pass; returns how many tasks went back to pending. */
  async sweep(now = Date.now()): Promise<number> {
    let released = 0;
    for (const { taskId, sessionId, member } of await this.sessions.overdueInflight(now, 500)) {
      const session = await this.sessions.load(sessionId);
      if (session?.inflight?.taskId === taskId && session.phase === 'acs') continue;
      if (await this.tasks.release(taskId, sessionId, new Date(now))) {
        released += 1;
        this.log.info({ event: 'cwmp.task_released', taskId, sessionId }, 'task of a timed-out session returned to pending');
      }
      await this.sessions.forgetInflight(member);
    }
    return released;
  }
}
