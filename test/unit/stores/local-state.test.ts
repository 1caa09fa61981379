import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findRunningLocalStores } from '../../../src/stores/running';

describe('findRunningLocalStores', () => {
  let dataDir: string;
  const write = (content: unknown) => writeFile(path.join(dataDir, 'local-stores.json'), typeof content === 'string' ? content : JSON.stringify(content));
  const state = { mongodbUrl: 'mongodb://127.0.0.1:40001/acs', redisUrl: 'redis://127.0.0.1:40002' };

  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'acs-state-'));
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('returns the stores recorded by a live process', async () => {
    await write({ ...state, pid: process.pid });
    expect(findRunningLocalStores(dataDir)).toEqual({ ...state, pid: process.pid });
  });

  it('ignores the record of a process that has exited', async () => {
    const exited = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    await write({ ...state, pid: Number(exited.stdout.toString()) });
    expect(findRunningLocalStores(dataDir)).toBeUndefined();
  });

  it('ignores a missing, malformed or incomplete record', async () => {
    expect(findRunningLocalStores(dataDir)).toBeUndefined();
    await write('{not json');
    expect(findRunningLocalStores(dataDir)).toBeUndefined();
    await write({ mongodbUrl: state.mongodbUrl, pid: process.pid });
    expect(findRunningLocalStores(dataDir)).toBeUndefined();
  });
});
