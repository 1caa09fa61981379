import { parseFrame, parseProvisioningMessage } from '../../../src/syslog/parse';

/** S24 (cisco-seeds-digest §12): the guides' example messages (000 L78, L195-262; 001 L2993-3002; 003 L1789-1790). */
describe('parseProvisioningMessage', () => {
  it.each([
    ['CP-68xx-3PCC 00:0e:08:ab:cd:ef \u2013- Requesting resync tftp://192.168.1.200/basic.txt', { kind: 'resync-request', model: 'CP-68xx-3PCC', mac: '000e08abcdef', url: 'tftp://192.168.1.200/basic.txt' }],
    ['CP-88xx-3PCC 00:0e:08:ab:cd:ef \u2013- Successful resync tftp://192.168.1.200/basic.txt', { kind: 'resync-success', model: 'CP-88xx-3PCC', mac: '000e08abcdef', url: 'tftp://192.168.1.200/basic.txt' }],
    ['SPA-962 00:0e:08:ab:cd:ef -- Requesting resync tftp://192.168.1.200/basic.txt', { kind: 'resync-request', model: 'SPA-962' }],
    ['CP-6841-3PCC 00:0e:08:ab:cd:ef -- Resync failed: http_get failed', { kind: 'resync-failure', error: 'http_get failed' }],
    ['CP-6841-3PCC 00:0e:08:ab:cd:ef -- Upgrade failed: http_get failed', { kind: 'upgrade-failure', error: 'http_get failed' }],
    ['CP-6841-3PCC 00:0e:08:ab:cd:ef -- Successful upgrade http://10.0.0.5:80/sip68xx.11-2-3MSR1-1.loads -- ', { kind: 'upgrade-success', url: 'http://10.0.0.5:80/sip68xx.11-2-3MSR1-1.loads' }],
  ])('%s', (text, expected) => {
    expect(parseProvisioningMessage(text)).toMatchObject(expected);
  });

  it('ignores other messages', () => {
    expect(parseProvisioningMessage('CP-6841-3PCC 00:0e:08:ab:cd:ef -- Registered line 1')).toBeUndefined();
    expect(parseProvisioningMessage('')).toBeUndefined();
  });
});

describe('parseFrame', () => {
  it('reads RFC 3164 and RFC 5424 headers', () => {
    expect(parseFrame('<134>Dec  1 20:00:00 phone1 CP-6841-3PCC 00:0e:08:ab:cd:ef -- Resync failed: x')).toEqual({ facility: 16, severity: 6, hostname: 'phone1', message: 'CP-6841-3PCC 00:0e:08:ab:cd:ef -- Resync failed: x' });
    expect(parseFrame('<14>1 2026-12-01T20:00:00Z c4b9cd811e29 - - - [x@1 a="\\]"] hello\n')).toEqual({ facility: 1, severity: 6, hostname: 'c4b9cd811e29', message: 'hello' });
    expect(parseFrame('no header at all')).toEqual({ message: 'no header at all' });
  });
});
