import { Agent, request } from 'undici';
import { answerChallenge, pickChallenge } from '../../src/cwmp/auth/digest';
import { decodeEnvelope, encodeEnvelope } from '../../src/cwmp/soap';
import type { CwmpMessage, CwmpNamespace, Envelope, EnvelopeHeader, Inform } from '../../src/cwmp/soap/types';

export interface RawReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/**
 * A hand-driven CPE for protocol tests that must send exactly what they say — including
 * what a well-behaved device never would. Flows that a real device performs are tested with
 * the project's simulator instead.
 */
export class ManualCpe {
  cookie?: string;
  private challengeHeaders?: string[];
  private nc = 0;
  /** A device has its own connections; sharing a pool among devices is what proxies do. */
  private readonly dispatcher: Agent;

  constructor(
    readonly url: string,
    readonly credentials?: { username: string; password: string },
    readonly namespace: CwmpNamespace = 'urn:dslforum-org:cwmp-1-2',
    /** TLS: the CA to trust, and a client certificate to present */
    tls?: { ca?: string; cert?: string; key?: string },
  ) {
    this.dispatcher = new Agent({ keepAliveTimeout: 1000, connections: 1, connect: tls });
  }

  /** POSTs a raw body with this CPE's cookie and, once challenged, its Digest credentials. */
  async post(body: string | Buffer, headers: Record<string, string> = {}): Promise<RawReply> {
    const send = async () => {
      const h: Record<string, string> = { 'content-type': 'text/xml; charset="utf-8"', ...headers };
      if (this.cookie) h.cookie = `session=${this.cookie}`;
      if (this.credentials && this.challengeHeaders) {
        const challenge = pickChallenge(this.challengeHeaders);
        if (challenge) h.authorization = answerChallenge(challenge, { ...this.credentials, method: 'POST', uri: new URL(this.url).pathname, nc: ++this.nc });
      }
      const res = await request(this.url, { method: 'POST', body, headers: h, dispatcher: this.dispatcher });
      const text = await res.body.text();
      const setCookie = res.headers['set-cookie'];
      const m = /session=([0-9a-f]+)/.exec(Array.isArray(setCookie) ? setCookie.join(';') : (setCookie ?? ''));
      if (m) this.cookie = m[1];
      return { status: res.statusCode, headers: res.headers, text };
    };
    let reply = await send();
    if (reply.status === 401 && this.credentials) {
      const www = reply.headers['www-authenticate'];
      this.challengeHeaders = Array.isArray(www) ? www : www ? [www] : [];
      this.nc = 0;
      reply = await send();
    }
    return reply;
  }

  async send(body: CwmpMessage, header: EnvelopeHeader = { id: 'cpe-1' }): Promise<RawReply> {
    return this.post(encodeEnvelope({ namespace: this.namespace, header, body }));
  }

  /** Sends and decodes the reply envelope (the reply must be one). */
  async exchange(body: CwmpMessage, header?: EnvelopeHeader): Promise<{ reply: RawReply; envelope: Envelope }> {
    const reply = await this.send(body, header);
    if (!reply.text.trim()) throw new Error(`expected an envelope, got HTTP ${reply.status}`);
    return { reply, envelope: decodeEnvelope(reply.text) };
  }
}

export function inform(serial: string, events: string[] = ['2 PERIODIC'], extra: Inform['parameterList'] = []): Inform {
  return {
    method: 'Inform',
    deviceId: { manufacturer: 'Cisco Systems, Inc.', oui: '00562B', productClass: 'CP-8851-3PCC', serialNumber: serial },
    event: events.map((eventCode) => ({ eventCode, commandKey: '' })),
    maxEnvelopes: 1,
    currentTime: new Date().toISOString(),
    retryCount: 0,
    parameterList: [
      { name: 'Device.DeviceInfo.SoftwareVersion', value: 'sip88xx.12-0-1MPP-2', type: 'xsd:string' },
      { name: 'Device.ManagementServer.ConnectionRequestURL', value: `http://127.0.0.1:9/${serial}`, type: 'xsd:string' },
      ...extra,
    ],
  };
}
