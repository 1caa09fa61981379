import { baseAlgorithm, expectedResponse, formatChallenge, ha1, parseDigestAuthorization } from '../../../src/cwmp/auth/digest';
import { decodeEnvelope } from '../../../src/cwmp/soap';
import { CWMP_NAMESPACES, type AcsRequest, type Fault } from '../../../src/cwmp/soap/types';
import { Fleet, type FleetOptions } from '../../../src/sim';
import { NO_CONTENT, ScriptedPeer, idOf, methodOf, sessionScript, soap, type Received, type Reply } from './scripted-peer';

const peers: ScriptedPeer[] = [];
const fleets: Fleet[] = [];

async function peer(script = sessionScript()): Promise<ScriptedPeer> {
  const p = await ScriptedPeer.start(script);
  peers.push(p);
  return p;
}

async function fleetFor(p: ScriptedPeer, opts: Partial<FleetOptions> = {}): Promise<Fleet> {
  const fleet = new Fleet({ acsUrl: p.url(), count: 1, retry: false, connectionRequests: false, ...opts });
  await fleet.start();
  fleets.push(fleet);
  return fleet;
}

afterEach(async () => {
  await Promise.all(fleets.splice(0).map((f) => f.stop(100)));
  await Promise.all(peers.splice(0).map((p) => p.close()));
});

const GPV: AcsRequest = { method: 'GetParameterValues', parameterNames: ['Device.ManagementServer.PeriodicInformEnable'] };

describe('session flow', () => {
  it('sends Inform, an empty POST, answers each ACS request with its ID, and ends on 204', async () => {
    const p = await peer(sessionScript([GPV, { method: 'GetRPCMethods' }]));
    const fleet = await fleetFor(p);
    const outcome = await fleet.device(0).runSession();
    expect(outcome).toMatchObject({ ok: true, events: ['0 BOOTSTRAP', '1 BOOT'], retryCount: 0, acsRequests: ['GetParameterValues', 'GetRPCMethods'] });
    expect(p.received.map(methodOf)).toEqual(['Inform', '(empty)', 'GetParameterValuesResponse', 'GetRPCMethodsResponse']);
    expect(p.received.slice(2).map(idOf)).toEqual(['acs-1', 'acs-2']);
    const [inform, empty] = p.received;
    expect(inform.headers['content-type']).toBe('text/xml; charset="utf-8"');
    expect(inform.headers.soapaction).toBe('""');
    expect(inform.headers['user-agent']).toMatch(/^Cisco-CP-8851-3PCC\/12-0-1MPP-2 \(00562b[0-9a-f]{6}\)$/);
    expect(empty.headers['content-length']).toBe('0');
    expect(empty.headers['content-type']).toBeUndefined();
    const second = await fleet.device(0).runSession();
    expect(second.events).toEqual(['2 PERIODIC']);
  });

  it('fails on a 200 without a body, and on a 200 that is not text/xml', async () => {
    const p = await peer((req) => (methodOf(req) === 'Inform' ? sessionScript()(req, 0) : { status: 200 }));
    const fleet = await fleetFor(p);
    expect(await fleet.device(0).runSession()).toMatchObject({ ok: false, reason: 'protocol', detail: expect.stringMatching(/must be 204/) });
    p.script = () => ({ status: 200, headers: { 'content-type': 'text/html' }, body: '<html/>' });
    expect(await fleet.device(0).runSession()).toMatchObject({ ok: false, reason: 'protocol', detail: expect.stringMatching(/not text\/xml/) });
  });

  it('fails when the InformResponse does not echo the Inform ID', async () => {
    const p = await peer(() => soap({ method: 'InformResponse', maxEnvelopes: 1 }, { id: 'wrong' }));
    const fleet = await fleetFor(p);
    expect(await fleet.device(0).runSession()).toMatchObject({ ok: false, reason: 'protocol' });
  });

  it('answers an unknown method with 9000 and an unsupported one with 9000, echoing the IDs', async () => {
    const changeDu =
      '<soap-env:Envelope xmlns:soap-env="http://schemas.xmlsoap.org/soap/envelope/" xmlns:cwmp="urn:dslforum-org:cwmp-1-2">' +
      '<soap-env:Header><cwmp:ID soap-env:mustUnderstand="1">du-1</cwmp:ID></soap-env:Header>' +
      '<soap-env:Body><cwmp:ChangeDUState><CommandKey>k</CommandKey></cwmp:ChangeDUState></soap-env:Body></soap-env:Envelope>';
    const upload: AcsRequest = { method: 'Upload', commandKey: 'u', fileType: '2 Vendor Log File', url: 'http://x.invalid/', username: '', password: '', delaySeconds: 0 };
    const p = await peer((req, i) => {
      if (i === 0) return sessionScript()(req, i);
      if (i === 1) return { status: 200, headers: { 'content-type': 'text/xml' }, body: changeDu };
      if (i === 2) return soap(upload, { id: 'up-1' });
      return NO_CONTENT;
    });
    const fleet = await fleetFor(p);
    expect(await fleet.device(0).runSession()).toMatchObject({ ok: true, acsRequests: ['ChangeDUState', 'Upload'] });
    const [du, up] = p.received.slice(2).map((r) => decodeEnvelope(r.body));
    expect(du.header.id).toBe('du-1');
    expect((du.body as Fault).detail.faultCode).toBe(9000);
    expect(up.header.id).toBe('up-1');
    expect((up.body as Fault).detail.faultCode).toBe(9000);
  });
});

describe('cookies and connections', () => {
  it('returns every cookie of the session by Path, and starts the next session without them', async () => {
    const base = sessionScript([GPV]);
    const p = await peer((req, i) => {
      const reply = base(req, i) as Reply;
      if (methodOf(req) !== 'Inform') return reply;
      return { ...reply, headers: { ...reply.headers, 'set-cookie': ['session=s1; Path=/', 'node=n7; Path=/cwmp', 'ui=x; Path=/ui'] } };
    });
    const fleet = await fleetFor(p);
    await fleet.device(0).runSession();
    expect(p.received.map((r) => r.headers.cookie)).toEqual([undefined, 'node=n7; session=s1', 'node=n7; session=s1']);
    await fleet.device(0).runSession();
    expect(p.received[3].headers.cookie).toBeUndefined();
  });

  it('keeps one connection for the whole session, and reuses it for the next session', async () => {
    const p = await peer(sessionScript([GPV, GPV]));
    const fleet = await fleetFor(p, { count: 2 });
    await fleet.device(0).runSession();
    expect(new Set(p.received.map((r) => r.remotePort)).size).toBe(1);
    await fleet.device(1).runSession();
    expect(new Set(p.received.map((r) => r.remotePort)).size).toBe(1);
    expect(p.received).toHaveLength(6);
  });

  it('quirk noCookies: sends no Cookie and keeps to its own connection', async () => {
    const base = sessionScript([GPV]);
    const p = await peer((req, i) => {
      const reply = base(req, i) as Reply;
      return { ...reply, headers: { ...reply.headers, 'set-cookie': 'session=s1' } };
    });
    const fleet = await fleetFor(p, { quirks: { noCookies: true } });
    expect((await fleet.device(0).runSession()).ok).toBe(true);
    expect(p.received.map((r) => r.headers.cookie)).toEqual([undefined, undefined, undefined]);
    expect(new Set(p.received.map((r) => r.remotePort)).size).toBe(1);
  });

  it('quirk connectionPerRequest: a new TCP connection for every request', async () => {
    const p = await peer(sessionScript([GPV]));
    const fleet = await fleetFor(p, { quirks: { connectionPerRequest: true } });
    expect((await fleet.device(0).runSession()).ok).toBe(true);
    expect(new Set(p.received.map((r) => r.remotePort)).size).toBe(3);
  });

  it('quirks booleanDigits and emptyId', async () => {
    const p = await peer(sessionScript([GPV]));
    const fleet = await fleetFor(p, { quirks: { booleanDigits: true, emptyId: true } });
    expect((await fleet.device(0).runSession()).ok).toBe(true);
    expect(idOf(p.received[0])).toBe('');
    const gpvResponse = p.received[2].body;
    expect(gpvResponse).toMatch(/>1<\/Value>/);
    expect(gpvResponse).not.toMatch(/>true</);
  });
});

describe('authentication', () => {
  /** A Digest-protecting script in front of sessionScript; `nonce()` decides the current nonce. */
  function digestGate(password: string, state: { nonce: string; stale?: boolean }, inner = sessionScript()) {
    const seen: Array<{ nonce: string; nc: string; algorithm: string }> = [];
    const script = (req: Received, i: number) => {
      const creds = req.headers.authorization ? parseDigestAuthorization(req.headers.authorization) : undefined;
      const valid =
        creds !== undefined &&
        creds.nonce === state.nonce &&
        creds.uri === '/cwmp' &&
        creds.response === expectedResponse(creds, 'POST', ha1(baseAlgorithm(creds.algorithm), 'acs-user', creds.realm, password));
      if (!valid) {
        const challenge = (algorithm: 'SHA-256' | 'MD5') => formatChallenge({ realm: 'acs', nonce: state.nonce, algorithm, stale: state.stale ?? false });
        return { status: 401, headers: { 'www-authenticate': [challenge('MD5'), challenge('SHA-256')] } };
      }
      seen.push({ nonce: creds.nonce, nc: creds.nc ?? '', algorithm: creds.algorithm });
      return inner(req, i);
    };
    return { script, seen };
  }

  it('answers the 401 challenge with SHA-256, then reuses the nonce with a growing nc across sessions', async () => {
    const state = { nonce: 'nonce-one' };
    const gate = digestGate('pw', state, sessionScript([GPV]));
    const p = await peer(gate.script);
    const fleet = await fleetFor(p, { auth: 'digest', username: 'acs-user', password: 'pw' });
    expect((await fleet.device(0).runSession()).ok).toBe(true);
    expect(p.received.map((r) => r.headers.authorization === undefined)).toEqual([true, false, false, false]);
    expect(p.received[1].body).toBe(p.received[0].body);
    expect((await fleet.device(0).runSession()).ok).toBe(true);
    expect(gate.seen.map((s) => `${s.nonce}/${s.nc}/${s.algorithm}`)).toEqual([
      'nonce-one/00000001/SHA-256',
      'nonce-one/00000002/SHA-256',
      'nonce-one/00000003/SHA-256',
      'nonce-one/00000004/SHA-256',
      'nonce-one/00000005/SHA-256',
    ]);
  });

  it('takes the new nonce of a stale=true challenge and starts counting again', async () => {
    const state = { nonce: 'nonce-one', stale: false };
    const gate = digestGate('pw', state);
    const p = await peer(gate.script);
    const fleet = await fleetFor(p, { auth: 'digest', username: 'acs-user', password: 'pw' });
    expect((await fleet.device(0).runSession()).ok).toBe(true);
    Object.assign(state, { nonce: 'nonce-two', stale: true });
    expect((await fleet.device(0).runSession()).ok).toBe(true);
    expect(gate.seen.map((s) => `${s.nonce}/${s.nc}`)).toEqual(['nonce-one/00000001', 'nonce-one/00000002', 'nonce-two/00000001', 'nonce-two/00000002']);
  });

  it('gives up when fresh credentials are refused, counting a failed session', async () => {
    const p = await peer(digestGate('right', { nonce: 'n' }).script);
    const fleet = await fleetFor(p, { auth: 'digest', username: 'acs-user', password: 'wrong' });
    expect(await fleet.device(0).runSession()).toMatchObject({ ok: false, reason: 'auth', httpStatus: 401 });
    expect(p.received).toHaveLength(2);
    expect(fleet.device(0).cpe.retryCount).toBe(1);
  });

  it('stops answering an ACS that calls every nonce stale', async () => {
    let n = 0;
    const p = await peer(() => ({
      status: 401,
      headers: { 'www-authenticate': formatChallenge({ realm: 'acs', nonce: `n${++n}`, algorithm: 'MD5', stale: true }) },
    }));
    const fleet = await fleetFor(p, { auth: 'digest', username: 'acs-user', password: 'pw' });
    expect(await fleet.device(0).runSession()).toMatchObject({ ok: false, reason: 'auth' });
    expect(p.received).toHaveLength(4);
  });

  it('sends Basic credentials with every request', async () => {
    const p = await peer(sessionScript([GPV]));
    const fleet = await fleetFor(p, { auth: 'basic', username: 'u', password: 'p:w' });
    expect((await fleet.device(0).runSession()).ok).toBe(true);
    expect(new Set(p.received.map((r) => r.headers.authorization))).toEqual(new Set([`Basic ${Buffer.from('u:p:w').toString('base64')}`]));
  });

  it('uses ManagementServer.Username/Password as changed by the ACS', async () => {
    const p = await peer(sessionScript());
    const fleet = await fleetFor(p, { auth: 'basic', username: 'old', password: 'old' });
    fleet.device(0).model.set('Device.ManagementServer.Username', 'new');
    await fleet.device(0).runSession();
    expect(p.received[0].headers.authorization).toBe(`Basic ${Buffer.from('new:old').toString('base64')}`);
  });
});

describe('transfers in the session', () => {
  /** A device with one finished download waiting to be reported. */
  async function withFinishedTransfer(p: ScriptedPeer): Promise<Fleet> {
    const fleet = await fleetFor(p);
    const cpe = fleet.device(0).cpe;
    cpe.handle({
      method: 'Download',
      commandKey: 'cfg-1',
      fileType: '3 Vendor Configuration File',
      url: 'http://files.invalid/cfg.xml',
      username: '',
      password: '',
      fileSize: 0,
      targetFileName: '',
      delaySeconds: 0,
      successURL: '',
      failureURL: '',
    });
    const [t] = cpe.queuedTransfers();
    cpe.transferStarted(t);
    cpe.transferFinished(t, { faultCode: 9016, faultString: 'not found' }, Date.now());
    return fleet;
  }

  it('sends TransferComplete right after the InformResponse', async () => {
    const p = await peer(sessionScript([GPV]));
    const fleet = await withFinishedTransfer(p);
    const outcome = await fleet.device(0).runSession();
    expect(outcome).toMatchObject({ ok: true, transferCompletes: 1 });
    expect(outcome.events).toEqual(['0 BOOTSTRAP', '1 BOOT', '7 TRANSFER COMPLETE', 'M Download']);
    expect(p.received.map(methodOf)).toEqual(['Inform', 'TransferComplete', '(empty)', 'GetParameterValuesResponse']);
    expect(decodeEnvelope(p.received[1].body).body).toMatchObject({ commandKey: 'cfg-1', faultStruct: { faultCode: 9016 } });
  });

  it('holds its TransferComplete until the ACS has sent 204 when told HoldRequests, then POSTs empty again', async () => {
    const inner = sessionScript([GPV]);
    const p = await peer((req, i) => {
      if (methodOf(req) === 'Inform') return soap({ method: 'InformResponse', maxEnvelopes: 1 }, { id: idOf(req), holdRequests: true });
      return inner(req, i);
    });
    const fleet = await withFinishedTransfer(p);
    expect(await fleet.device(0).runSession()).toMatchObject({ ok: true, transferCompletes: 1 });
    expect(p.received.map(methodOf)).toEqual(['Inform', '(empty)', 'GetParameterValuesResponse', 'TransferComplete', '(empty)']);
  });

  it('keeps a TransferComplete the ACS faulted for the next session', async () => {
    const inner = sessionScript();
    const p = await peer((req, i) =>
      methodOf(req) === 'TransferComplete'
        ? soap({ method: 'Fault', faultcode: 'Server', faultstring: 'CWMP fault', detail: { faultCode: 8002, faultString: 'busy', setParameterValuesFault: [] } }, { id: idOf(req) }, { status: 500 })
        : inner(req, i),
    );
    const fleet = await withFinishedTransfer(p);
    expect(await fleet.device(0).runSession()).toMatchObject({ ok: true, transferCompletes: 0 });
    p.script = sessionScript();
    const again = await fleet.device(0).runSession();
    expect(again).toMatchObject({ ok: true, transferCompletes: 1, events: ['7 TRANSFER COMPLETE', 'M Download'] });
  });
});

describe('failures and retries', () => {
  it('treats 503 as a failed session: keeps the events but 6 CONNECTION REQUEST, counts RetryCount, honours Retry-After', async () => {
    const p = await peer(() => ({ status: 503, headers: { 'retry-after': '120' } }));
    const fleet = await fleetFor(p, { retry: true });
    const device = fleet.device(0);
    device.cpe.events.add('6 CONNECTION REQUEST');
    expect(await device.runSession()).toMatchObject({ ok: false, reason: 'http-status', httpStatus: 503, retryAfter: 120, retryCount: 0 });
    expect(device.retryPending).toBe(true);
    p.script = sessionScript();
    const retry = await device.runSession();
    expect(device.retryPending).toBe(false);
    expect(retry).toMatchObject({ ok: true, retryCount: 1, events: ['0 BOOTSTRAP', '1 BOOT'] });
    expect(decodeEnvelope(p.received[1].body).body).toMatchObject({ method: 'Inform', retryCount: 1 });
    expect(device.cpe.retryCount).toBe(0);
  });

  it('fails the session when the ACS answers the Inform with a SOAP fault', async () => {
    const p = await peer((req) =>
      soap({ method: 'Fault', faultcode: 'Server', faultstring: 'CWMP fault', detail: { faultCode: 8005, faultString: 'Retry request', setParameterValuesFault: [] } }, { id: idOf(req) }, { status: 500 }),
    );
    const fleet = await fleetFor(p);
    expect(await fleet.device(0).runSession()).toMatchObject({ ok: false, reason: 'fault', detail: expect.stringMatching(/8005/) });
    expect(fleet.device(0).cpe.retryCount).toBe(1);
  });

  it('fails with reason http-status on a bare HTTP 500', async () => {
    const p = await peer(() => ({ status: 500 }));
    const fleet = await fleetFor(p);
    expect(await fleet.device(0).runSession()).toMatchObject({ ok: false, reason: 'http-status', httpStatus: 500 });
  });

  it('fails with reason network when nothing listens', async () => {
    const p = await peer();
    const url = p.url();
    await p.close();
    peers.splice(peers.indexOf(p), 1);
    const fleet = new Fleet({ acsUrl: url, retry: false, connectionRequests: false });
    await fleet.start();
    fleets.push(fleet);
    expect(await fleet.device(0).runSession()).toMatchObject({ ok: false, reason: 'network' });
  });
});

describe('redirects', () => {
  it('follows a 307 on the Inform for the rest of the session only', async () => {
    const target = await peer(sessionScript([GPV]));
    const front = await peer(() => ({ status: 307, headers: { location: target.url('/real') } }));
    const fleet = await fleetFor(front);
    expect((await fleet.device(0).runSession()).ok).toBe(true);
    expect(target.received.map((r) => `${r.url} ${methodOf(r)}`)).toEqual(['/real Inform', '/real (empty)', '/real GetParameterValuesResponse']);
    await fleet.device(0).runSession();
    expect(front.received).toHaveLength(2);
  });

  it('fails on a redirect after the first request', async () => {
    const inner = sessionScript();
    const p = await peer((req, i) => (req.body === '' ? { status: 302, headers: { location: '/elsewhere' } } : inner(req, i)));
    const fleet = await fleetFor(p);
    expect(await fleet.device(0).runSession()).toMatchObject({ ok: false, reason: 'http-status', httpStatus: 302 });
  });
});

describe('CWMP versions', () => {
  it.each([
    ['1.0', CWMP_NAMESPACES['1.0'], undefined, undefined],
    ['1.2', CWMP_NAMESPACES['1.2'], undefined, undefined],
    ['1.3', CWMP_NAMESPACES['1.3'], 30, undefined],
    ['1.4', CWMP_NAMESPACES['1.4'], 30, ['1.0', '1.1', '1.2', '1.3', '1.4']],
  ] as const)('CWMP %s uses its namespace and headers', async (version, namespace, sessionTimeout, supported) => {
    const p = await peer(sessionScript([GPV]));
    const fleet = await fleetFor(p, { cwmpVersion: version });
    expect((await fleet.device(0).runSession()).ok).toBe(true);
    const [inform, , response] = p.received.map((r) => (r.body ? decodeEnvelope(r.body) : undefined));
    expect(inform?.namespace).toBe(namespace);
    expect(inform?.header.sessionTimeout).toBe(sessionTimeout);
    expect(inform?.header.supportedCwmpVersions).toEqual(supported);
    expect(response?.namespace).toBe(namespace);
  });

  it('switches to the version the ACS chooses with UseCWMPVersion', async () => {
    const inner = sessionScript([GPV]);
    const p = await peer((req, i) =>
      methodOf(req) === 'Inform'
        ? soap({ method: 'InformResponse', maxEnvelopes: 1 }, { id: idOf(req), useCwmpVersion: '1.2' }, { namespace: CWMP_NAMESPACES['1.4'] })
        : inner(req, i),
    );
    const fleet = await fleetFor(p, { cwmpVersion: '1.4' });
    expect((await fleet.device(0).runSession()).ok).toBe(true);
    expect(decodeEnvelope(p.received[2].body).namespace).toBe(CWMP_NAMESPACES['1.2']);
  });
});
