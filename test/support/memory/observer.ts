import type { SessionObserver } from '../../../src/cwmp/session/observer';

export type ObservedEvent =
  | ({ type: 'informed' } & Parameters<SessionObserver['informed']>[0])
  | ({ type: 'sessionEnded' } & Parameters<SessionObserver['sessionEnded']>[0])
  | ({ type: 'taskFinished' } & Parameters<SessionObserver['taskFinished']>[0])
  | ({ type: 'parametersLearned' } & Parameters<SessionObserver['parametersLearned']>[0]);

/** The console's feed in memory: what it was told, in order. */
export class MemoryObserver implements SessionObserver {
  readonly events: ObservedEvent[] = [];

  async informed(e: Parameters<SessionObserver['informed']>[0]): Promise<void> {
    this.events.push({ type: 'informed', ...e });
  }

  async sessionEnded(e: Parameters<SessionObserver['sessionEnded']>[0]): Promise<void> {
    this.events.push({ type: 'sessionEnded', ...e });
  }

  async taskFinished(e: Parameters<SessionObserver['taskFinished']>[0]): Promise<void> {
    this.events.push({ type: 'taskFinished', ...e });
  }

  async parametersLearned(e: Parameters<SessionObserver['parametersLearned']>[0]): Promise<void> {
    this.events.push({ type: 'parametersLearned', ...e });
  }
}
