import { readFileSync } from 'node:fs';
import path from 'node:path';
import { progressLine, type JobView } from '../../../src/cli/commands/jobs';
import { runCli } from '../../support/cli';

const version = (JSON.parse(readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { version: string }).version;

describe('acs', () => {
  it('--version prints the package version', async () => {
    for (const flag of ['--version', '-V']) expect(await runCli(flag)).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('a wrong flag, verb or missing argument is a usage error: one line naming it, exit 2', async () => {
    const unknown = await runCli('devices', 'list', '--colour', 'red');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^error: unknown option '--colour'/);
    expect((await runCli('teleport')).code).toBe(2);
    const missing = await runCli('tasks', 'add');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("missing required argument 'deviceId'");
    const badId = await runCli('devices', 'get', 'just-two', '--token', 'x');
    expect(badId).toMatchObject({ code: 2, stdout: '' });
    expect(badId.stderr).toContain('"just-two" is not a device id: expected OUI-ProductClass-SerialNumber');
  });
});

describe('acs jobs watch progress line', () => {
  const job: JobView = {
    id: '6b0f2aef527a388a8811d639',
    status: 'running',
    rpcs: [{ method: 'Reboot' }],
    rate: 50,
    createdAt: '2026-12-01T00:00:00.000Z',
    devices: 1000,
    released: 600,
    tasks: { pending: 400, sent: 100, done: 450, fault: 50, expired: 0, cancelled: 0 },
  };

  it.each([200, 120, 80, 60, 40, 24, 12, 5])('fits a terminal %i columns wide', (columns) => {
    const line = progressLine(job, columns);
    expect(line.length).toBeLessThan(columns);
    if (columns >= 12) expect(line).toContain('500/1000');
  });

  it('shows every count when there is room, and a bar as long as the share of finished tasks', () => {
    const line = progressLine(job, 200);
    expect(line).toBe(`job ${job.id} [${'='.repeat(20)}${'-'.repeat(20)}] 500/1000 tasks | running | done 450 fault 50 expired 0 | released 600/1000`);
    expect(progressLine(job, 60)).toMatch(/^\[=+-+\] 500\/1000 tasks \| running \| fault 50$/);
  });
});
