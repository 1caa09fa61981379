import type { HistoryDoc, HistoryLog } from '../../../src/provisioning/stores/history';
import { copy } from './documents';

/** HistoryStore in memory: ids increase with each record, as ObjectIds do within a process. */
export class MemoryHistory implements HistoryLog {
  private readonly docs: HistoryDoc[] = [];
  private seq = 0;

  async record(entry: Omit<HistoryDoc, '_id'>): Promise<void> {
    if (!entry.changes.length) return;
    this.docs.push({ _id: (++this.seq).toString(16).padStart(24, '0'), ...copy(entry) });
  }

  async list(deviceId: string, limit: number, before?: string): Promise<{ items: HistoryDoc[]; next?: string }> {
    const items = this.docs
      .filter((d) => d.deviceId === deviceId && (before === undefined || d._id < before))
      .sort((a, b) => (a._id < b._id ? 1 : -1))
      .slice(0, limit + 1);
    const page = items.slice(0, limit).map(copy);
    return { items: page, ...(items.length > limit ? { next: page[page.length - 1]._id } : {}) };
  }
}
