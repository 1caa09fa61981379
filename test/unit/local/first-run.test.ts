import { statSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { withLocalCredentials } from '../../../src/cli/commands/serve';
import { parseSimOptions } from '../../../src/cli/commands/sim';
import { loadConfig } from '../../../src/config';
import { credentialsFile, ensureLocalCredentials, findRunningLocalAcs, formatBanner, readLocalCredentials, recordLocalAcs } from '../../../src/local';

const dir = () => mkdtempSync(path.join(tmpdir(), 'acs-local-'));

describe('local credentials', () => {
  it('are generated once, readable by their owner only, and the same at every later start', () => {
    const d = dir();
    const first = ensureLocalCredentials(d);
    expect(first.created).toBe(true);
    expect(first.credentials.device.password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(first.credentials.connectionRequest.password).not.toBe(first.credentials.device.password);
    expect(statSync(credentialsFile(d)).mode & 0o777).toBe(0o600);
    expect(ensureLocalCredentials(d)).toEqual({ credentials: first.credentials, created: false });
    expect(ensureLocalCredentials(dir()).credentials.device.password).not.toBe(first.credentials.device.password);
  });

  it('a damaged file counts as none', () => {
    const d = dir();
    writeFileSync(credentialsFile(d), '{"device":{"username":"x"}}');
    expect(readLocalCredentials(d)).toBeUndefined();
  });

  it('stand in for ACS_CWMP_* and ACS_CR_* only where those are unset', () => {
    const creds = ensureLocalCredentials(dir()).credentials;
    const bare = withLocalCredentials(loadConfig({}), creds);
    expect(bare.cwmp.credential).toEqual(creds.device);
    expect(bare.connectionRequests.credential).toEqual(creds.connectionRequest);
    const set = withLocalCredentials(loadConfig({ ACS_CWMP_USERNAME: 'u', ACS_CWMP_PASSWORD: 'p', ACS_CR_USERNAME: 'cu', ACS_CR_PASSWORD: 'cp' }), creds);
    expect(set.cwmp.credential).toEqual({ username: 'u', password: 'p' });
    expect(set.connectionRequests.credential).toEqual({ username: 'cu', password: 'cp' });
  });
});

describe('the local ACS record', () => {
  it('is found while its process lives, and forgotten when asked', () => {
    const d = dir();
    const forget = recordLocalAcs(d, { cwmpUrl: 'http://127.0.0.1:7547', apiUrl: 'http://127.0.0.1:7557' });
    expect(findRunningLocalAcs(d)).toEqual({ pid: process.pid, cwmpUrl: 'http://127.0.0.1:7547', apiUrl: 'http://127.0.0.1:7557', fsUrl: undefined });
    forget();
    expect(findRunningLocalAcs(d)).toBeUndefined();
    writeFileSync(path.join(d, 'local-acs.json'), JSON.stringify({ pid: 2 ** 22 + 1, cwmpUrl: 'http://127.0.0.1:1' }));
    expect(findRunningLocalAcs(d)).toBeUndefined();
  });
});

describe('acs sim toward the local ACS', () => {
  const credentials = { device: { username: 'acs-device', password: 'dev-pw' }, connectionRequest: { username: 'acs-cr', password: 'cr-pw' } };
  const local = { cwmpUrl: 'http://127.0.0.1:7547', credentials };

  it('needs no flag but the count: the URL and both credentials come from the local ACS', () => {
    const run = parseSimOptions({ count: '10' }, local);
    expect(run.fleet).toMatchObject({ acsUrl: 'http://127.0.0.1:7547/', count: 10, auth: 'digest', username: 'acs-device', password: 'dev-pw', connectionRequestUsername: 'acs-cr', connectionRequestPassword: 'cr-pw' });
  });

  it('keeps the local credentials away from another ACS, and flags win', () => {
    const other = parseSimOptions({ acsUrl: 'http://acs.example.net:7547/' }, local);
    expect(other.fleet).toMatchObject({ auth: 'none', username: '' });
    expect(other.fleet.connectionRequestUsername).toBeUndefined();
    const own = parseSimOptions({ username: 'me', password: 'mine', crUsername: 'c', crPassword: 'd' }, local);
    expect(own.fleet).toMatchObject({ username: 'me', password: 'mine', connectionRequestUsername: 'c', connectionRequestPassword: 'd' });
    expect(() => parseSimOptions({ crUsername: 'c' }, local)).toThrow('--cr-username needs --cr-password');
    expect(() => parseSimOptions({}, undefined)).toThrow(/--acs-url is required: no local ACS of this checkout is running/);
  });
});

describe('the ready banner', () => {
  it('frames the sections handed to it and leaves out empty ones', () => {
    const text = formatBanner('cwmp-acs ready', [
      { title: 'Roles', lines: ['cwmp http://127.0.0.1:7547'] },
      { title: 'Empty', lines: [] },
      { title: 'Way in', lines: ['first admin user: admin'] },
    ]);
    expect(text.split('\n')).toEqual(['-'.repeat(28), 'cwmp-acs ready', '', 'Roles:', '  cwmp http://127.0.0.1:7547', '', 'Way in:', '  first admin user: admin', '-'.repeat(28), '']);
  });
});
