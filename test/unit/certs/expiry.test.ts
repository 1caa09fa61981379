import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCa } from '../../../src/certs';
import { CertificateWatch } from '../../../src/certs/expiry';
import { createLogger } from '../../../src/log';
import { metrics } from '../../../src/metrics';

let dir: string;
const lines: Array<Record<string, unknown>> = [];
const log = createLogger('info', { write: (line: string) => void lines.push(JSON.parse(line)) });
const DAY = 86_400_000;
const start = new Date('2030-01-01T00:00:00Z');
const ca = createCa({ commonName: 'Watched CA', days: 40, notBefore: start });
const server = createCa({ commonName: 'Watched server', days: 10, notBefore: start });

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'acs-watch-'));
  lines.length = 0;
  writeFileSync(path.join(dir, 'server.crt'), server.cert);
  writeFileSync(path.join(dir, 'ca.crt'), ca.cert);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function gauge(): Promise<Array<{ labels: Record<string, string | number>; value: number }>> {
  return (await metrics.tlsCertificateDaysLeft.get()).values.filter((v) => v.labels.role === 'unit');
}

function watch(onChange?: () => void) {
  return new CertificateWatch({
    role: 'unit',
    files: [
      { use: 'server', file: path.join(dir, 'server.crt') },
      { use: 'client-ca', file: path.join(dir, 'ca.crt') },
    ],
    warnDays: 30,
    log,
    onChange,
  });
}

it('sets the days left per certificate and warns once a day from warnDays before the end', async () => {
  const w = watch();
  w.check(new Date(start.getTime() + 2 * DAY));
  expect((await gauge()).map((v) => [v.labels.use, v.labels.subject, v.value])).toEqual([
    ['server', 'Watched server', 8],
    ['client-ca', 'Watched CA', 38],
  ]);
  const warnings = () => lines.filter((l) => l.event === 'tls.certificate_expiring');
  expect(warnings().map((l) => [l.use, l.daysLeft])).toEqual([['server', 8]]);
  w.check(new Date(start.getTime() + 2 * DAY + 3600_000));
  expect(warnings()).toHaveLength(1);
  w.check(new Date(start.getTime() + 12 * DAY));
  expect(warnings().map((l) => [l.use, l.daysLeft])).toEqual([['server', 8], ['server', -2], ['client-ca', 28]]);
  expect(String(warnings()[1].msg)).toContain('expired on 2030-01-11T00:00:00.000Z');
  w.stop();
  expect(await gauge()).toEqual([]);
});

it('reports a changed file (a renewed Secret) and then the new certificate', async () => {
  const changed = jest.fn();
  const w = watch(changed);
  w.check(start);
  expect(changed).not.toHaveBeenCalled();
  const renewed = createCa({ commonName: 'Renewed server', days: 90, notBefore: start });
  writeFileSync(path.join(dir, 'server.crt'), renewed.cert);
  w.check(start);
  expect(changed).toHaveBeenCalledTimes(1);
  expect((await gauge()).map((v) => [v.labels.subject, v.value]).sort()).toEqual([
    ['Renewed server', 90],
    ['Watched CA', 40],
  ]);
  w.stop();
});

it('logs an unreadable file and keeps watching the others', async () => {
  writeFileSync(path.join(dir, 'server.crt'), 'garbage');
  const w = watch();
  w.check(start);
  expect(lines.filter((l) => l.event === 'tls.certificate_unreadable').map((l) => l.use)).toEqual(['server']);
  expect((await gauge()).map((v) => v.labels.use)).toEqual(['client-ca']);
  w.stop();
});
