import { UsageError } from '../../../src/cli/errors';
import { formatSummary, parseSimOptions, type RawSimOptions } from '../../../src/cli/commands/sim';
import { failureLabel } from '../../../src/sim/stats';
import { buildProgram, main } from '../../../src/cli/main';

const base: RawSimOptions = { acsUrl: 'http://127.0.0.1:7547/' };

function usage(raw: RawSimOptions): string {
  try {
    parseSimOptions(raw);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error('expected a UsageError');
}

describe('acs sim options', () => {
  it('names the bad value of every option', () => {
    expect(usage({})).toMatch(/--acs-url is required/);
    expect(usage({ acsUrl: 'ftp://x/' })).toMatch(/--acs-url .*"ftp:\/\/x\/"/);
    expect(usage({ ...base, count: '0' })).toMatch(/--count .* got "0"/);
    expect(usage({ ...base, count: '2.5' })).toMatch(/--count .* got "2.5"/);
    expect(usage({ ...base, productClass: 'CP-8851-3PCC,CP-1234' })).toMatch(/--product-class: unknown "CP-1234"/);
    expect(usage({ ...base, cwmpVersion: '2.0' })).toMatch(/--cwmp-version .* got "2.0"/);
    expect(usage({ ...base, auth: 'ntlm' })).toMatch(/--auth .* got "ntlm"/);
    expect(usage({ ...base, auth: 'digest' })).toMatch(/--auth digest needs --username/);
    expect(usage({ ...base, interval: '0' })).toMatch(/--interval .* got "0"/);
    expect(usage({ ...base, crPort: '70000' })).toMatch(/--cr-port .* got "70000"/);
    expect(usage({ ...base, crHost: ' ' })).toMatch(/--cr-host/);
    expect(usage({ ...base, serialPrefix: 'F-H' })).toMatch(/--serial-prefix .* got "F-H"/);
    expect(usage({ ...base, sessions: 'many' })).toMatch(/--sessions .* got "many"/);
    expect(usage({ ...base, concurrency: '-1' })).toMatch(/--concurrency .* got "-1"/);
    expect(usage({ ...base, duration: '0' })).toMatch(/--duration .* got "0"/);
    expect(usage({ ...base, quirks: 'emptyId,slow' })).toMatch(/--quirks: unknown "slow"/);
    expect(usage({ ...base, clientCert: 'phone.crt' })).toBe('--client-cert and --client-key go together');
    expect(usage({ ...base, ca: '/nonexistent/ca.crt' })).toBe('--ca "/nonexistent/ca.crt" cannot be read: ENOENT');
  });

  it('builds a periodic fleet, or a benchmark without periodic informs and retries', () => {
    const periodic = parseSimOptions({ ...base, count: '50', auth: 'digest', username: 'u', password: 'p', interval: '300', quirks: 'emptyId,booleanDigits' });
    expect(periodic.fleet).toMatchObject({
      count: 50,
      auth: 'digest',
      username: 'u',
      password: 'p',
      periodicInformInterval: 300,
      periodic: true,
      bootOnStart: true,
      retry: true,
      quirks: { emptyId: true, booleanDigits: true },
    });
    expect(periodic.sessions).toBeUndefined();
    const bench = parseSimOptions({ ...base, sessions: '3', concurrency: '8', productClass: 'CP-7841-3PCC,CP-6871-3PCC' });
    expect(bench).toMatchObject({ sessions: 3, concurrency: 8, fleet: { periodic: false, bootOnStart: false, retry: false, concurrency: 8 } });
    expect(bench.fleet.perDevice?.(1, { serialNumber: '', macAddress: '', ipAddress: '' })).toEqual({ productClass: 'CP-6871-3PCC' });
  });

  it('is registered as `acs sim`, and rejects bad values through main with exit 2', async () => {
    expect(buildProgram().commands.map((c) => c.name())).toContain('sim');
    const write = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await main(['node', 'acs', 'sim', '--acs-url', 'http://127.0.0.1:1/', '--count', 'ten'])).toBe(2);
      expect(write.mock.calls.map((c) => String(c[0])).join('')).toMatch(/acs: --count must be an integer from 1 to 1000000, got "ten"/);
    } finally {
      write.mockRestore();
    }
  });

  it('prints a readable summary', () => {
    const text = formatSummary({
      devices: 2,
      sessions: { ok: 3, failed: 2, byReason: { 'http-status': 1, network: 1 }, failures: { '429': { count: 1, detail: 'the ACS answered HTTP 429' }, refused: { count: 1, detail: 'ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:7547' } } },
      latencyMs: { count: 3, mean: 10, p50: 9, p90: 12, p99: 12, max: 12 },
      httpStatus: { '200': 3, '204': 3, '503': 1 },
      httpRequests: 7,
      acsRequests: 0,
      transferCompletes: 0,
      connectionRequests: { accepted: 0, unauthorized: 0, notFound: 0, rateLimited: 0 },
      elapsedMs: 1000,
      sessionsPerSecond: 4,
    });
    expect(text).toMatch(/sessions: +3 ok, 2 failed \(429: 1, refused: 1\)/);
    expect(text).toMatch(/429: the ACS refuses this address after too many failed logins/);
    expect(text).toMatch(/refused: nothing listens at --acs-url: is the ACS running\? \(ECONNREFUSED/);
    expect(text).toMatch(/503: 1/);
  });
});

describe('failed sessions by cause', () => {
  const outcome = (o: Partial<Parameters<typeof failureLabel>[0]>) => failureLabel({ reason: 'internal', ...o });
  it('names what an operator looks for: the status, refused, reset, timeout', () => {
    expect(outcome({ reason: 'auth', httpStatus: 401 })).toBe('401');
    expect(outcome({ reason: 'http-status', httpStatus: 429 })).toBe('429');
    expect(outcome({ reason: 'http-status', httpStatus: 503 })).toBe('503');
    expect(outcome({ reason: 'network', detail: 'ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:7547' })).toBe('refused');
    expect(outcome({ reason: 'network', detail: 'UND_ERR_SOCKET: other side closed' })).toBe('reset');
    expect(outcome({ reason: 'timeout', detail: 'no answer from the ACS' })).toBe('timeout');
    expect(outcome({ reason: 'protocol', detail: 'expected InformResponse' })).toBe('protocol');
  });
});
