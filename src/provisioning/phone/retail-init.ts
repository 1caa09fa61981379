import { accountCodeProblem, type AccountDoc, type AccountStore, type BoundPhone } from '../../accounts';
import type { AuditLog } from '../../audit';
import { matchCertificate, type CertificateNames } from '../../devices/certificate-identity';
import type { MacDirectory } from '../../devices/mac-directory';
import type { Logger } from '../../log';
import { DEFAULT_DELIVERY } from '../stores/desired';
import { parseUserAgent } from './identity';
import { refuse as textReply, type PhoneReply, type PhoneRequest } from './channel';
import type { PhoneThrottle } from './throttle';
import type { ProfileRenderer } from '../render/render';

/**
 * One-step retail binding (001 L345-377; S18). A customer's phone is told to resync once to
 * `https://<fs>/cisco-init/<account>`; the ACS binds the MAC of its client certificate to the
 * account and answers with the account's line settings and a `Profile_Rule` pointing at the
 * permanent URL `https://<fs>/cisco-init`, where every later resync is served by the same
 * certificate identity: "For both initial and permanent access, the provisioning server relies
 * on the phone client certificate for authentication" (001 L370-372).
 *
 * The certificate is the only proof taken here (a MAC in the User-Agent must agree with it):
 * the profile carries the account's SIP password. Refusals are short text bodies with the
 * statuses phones act on (001 L1745-1770): 403 without a usable certificate, 404 for an
 * unknown account or an unbound phone (retried later), 409 for a second binding. Unknown
 * account codes count against the source's budget of the phone channel (throttle.ts);
 * past it, codes from that source are not looked up (429) while bound phones behind the same
 * address keep being served at the permanent URL.
 */

export const RETAIL_INIT_PATH = '/cisco-init';

export interface RetailInitDeps {
  accounts: AccountStore;
  macs: MacDirectory;
  renderer: ProfileRenderer;
  audit: AuditLog;
  throttle: PhoneThrottle;
  /** ACS_PUBLIC_FS_URL: its host names the permanent URL when the phone sent no Host */
  publicFsUrl: string;
  log: Logger;
}

type PhoneIdentity = { mac: string; serial?: string; model?: string; names: CertificateNames };

export class RetailInit {
  constructor(private readonly d: RetailInitDeps) {}

  /** `code`: the account of `/cisco-init/<code>`; undefined for the permanent URL. */
  async handle(req: PhoneRequest, code: string | undefined): Promise<PhoneReply> {
    if (req.method !== 'GET' && req.method !== 'HEAD') return { ...refuse(405, `${req.method} is not allowed here: GET or HEAD`), headers: { Allow: 'GET, HEAD' } };
    const phone = phoneIdentity(req);
    if ('reply' in phone) return phone.reply;
    const deviceId = await this.d.macs.lookup(phone.mac);
    if (code === undefined) return this.permanent(req, phone, deviceId);
    const problem = accountCodeProblem(code);
    if (problem) return refuse(400, `account code refused: ${problem}`, deviceId);
    // Past the budget a code is not even looked up: guessing stops, bound phones (at the permanent URL) go on.
    if (await this.d.throttle.exhausted(req.source)) return this.throttled();
    const outcome = await this.d.accounts.bind(code, { mac: phone.mac, ...(phone.serial ? { serial: phone.serial } : {}), ...(phone.model ? { model: phone.model } : {}) });
    if ('refused' in outcome) {
      switch (outcome.refused) {
        case 'unknown-account':
          await this.d.throttle.count(req.source);
          return refuse(404, `unknown account ${code}`, deviceId);
        case 'account-bound':
          return refuse(409, `account ${code} is bound to another phone: undo that binding first`, deviceId);
        case 'phone-bound':
          return refuse(409, `this phone (MAC ${phone.mac}) is bound to account ${outcome.account}: undo that binding first`, deviceId);
      }
    }
    if (outcome.created) {
      await this.d.audit.record({
        actor: { kind: 'device', name: `MAC ${phone.mac}` },
        action: 'account.bind',
        target: code,
        method: req.method,
        path: `${RETAIL_INIT_PATH}/${code}`,
        status: 200,
        details: { mac: phone.mac, ...(phone.serial ? { serial: phone.serial } : {}), ...(phone.model ? { model: phone.model } : {}), source: req.source, ...(deviceId ? { deviceId } : {}) },
      });
      this.d.log.info({ event: 'fs.account_bound', account: code, mac: phone.mac, deviceId }, 'phone bound to its retail account');
    }
    return this.serve(req, outcome.bound, phone, deviceId, outcome.created ? 'bound to the account' : 'already bound to the account');
  }

  private async permanent(req: PhoneRequest, phone: PhoneIdentity, deviceId: string | undefined): Promise<PhoneReply> {
    const account = await this.d.accounts.boundTo(phone.mac);
    if (!account) return refuse(404, `this phone (MAC ${phone.mac}) is bound to no account: resync it once to ${RETAIL_INIT_PATH}/<account>`, deviceId);
    return this.serve(req, account, phone, deviceId, 'served by its binding');
  }

  private serve(req: PhoneRequest, account: AccountDoc, phone: PhoneIdentity, deviceId: string | undefined, how: string): PhoneReply {
    // The binding was made from this certificate's MAC; the exact matcher says it still speaks for it.
    const bound = account.phone as BoundPhone;
    const match = matchCertificate(phone.names, { mac: bound.mac, ...(bound.serial ? { serialNumber: bound.serial } : {}) });
    if (!match) return refuse(403, 'the client certificate does not name the phone bound to this account', deviceId);
    const entries = [...account.parameters.filter((e) => e.name !== 'Profile_Rule'), { name: 'Profile_Rule', value: permanentUrl(req, this.d.publicFsUrl) }];
    const rendered = this.d.renderer.render(
      { deviceId: deviceId ?? `mac:${phone.mac}`, mac: phone.mac, ...(phone.serial ? { serialNumber: phone.serial } : {}), ...(phone.model ? { productClass: phone.model } : {}) },
      // Keyed by the account's revision and the URL the rule names: the renderer's cache stays right.
      { entries, delivery: DEFAULT_DELIVERY, revision: `account\n${account._id}\n${account.revision}\n${entries[entries.length - 1].value}`, updatedAt: account.updatedAt },
    );
    return {
      status: 200,
      body: rendered.body,
      contentType: rendered.contentType,
      headers: { 'Cache-Control': 'no-store' },
      resource: 'profile',
      reason: `account ${account._id}: ${how} (certificate ${match})`,
      ...(deviceId ? { deviceId } : {}),
    };
  }

  private throttled(): PhoneReply {
    const s = this.d.throttle.settings;
    return { ...refuse(429, `too many requests for unknown accounts from this address (more than ${s.budget} in ${s.windowSeconds} s): try again later`), headers: { 'Retry-After': String(s.windowSeconds) } };
  }
}

/** The phone's identity from its verified client certificate, or the refusal. */
function phoneIdentity(req: PhoneRequest): PhoneIdentity | { reply: PhoneReply } {
  const cert = req.certificate;
  if (!cert) {
    return { reply: refuse(403, `a client certificate is required: ${RETAIL_INIT_PATH} binds and serves phones by their certificate (001 L370-372); the fs role needs HTTPS and ACS_FS_TLS_CLIENT_CA`) };
  }
  if (!cert.verified || !cert.names) return { reply: refuse(403, 'the client certificate is not signed by a CA the fs role trusts (ACS_FS_TLS_CLIENT_CA)') };
  const names = cert.names;
  const mac = names.generic ? undefined : names.mic.mac;
  if (!mac) return { reply: refuse(403, 'the client certificate names no phone: a MAC address in its subject (S= or ST=) is required') };
  const uaMac = parseUserAgent(req.userAgent)?.mac;
  if (uaMac && uaMac !== mac) return { reply: refuse(403, `the User-Agent names MAC ${uaMac}, the client certificate ${mac}`) };
  return { mac, ...(names.mic.serial ? { serial: names.mic.serial } : {}), ...(names.mic.model ? { model: names.mic.model } : {}), names };
}

/** `https://<the host the phone used>/cisco-init` (001 L366-368: the permanent URL on the same server). */
function permanentUrl(req: PhoneRequest, publicFsUrl: string): string {
  let host = req.host;
  if (!host) {
    try {
      host = new URL(publicFsUrl).host;
    } catch {
      host = '127.0.0.1';
    }
  }
  return `https://${host}${RETAIL_INIT_PATH}`;
}

function refuse(status: number, reason: string, deviceId?: string): PhoneReply {
  return { ...textReply(status, reason, deviceId), resource: 'profile' };
}
