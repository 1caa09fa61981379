import { LRUCache } from 'lru-cache';
import { ikmFromParameter } from '../../cisco/crypto';
import { aliasForm } from '../render/alias-document';
import type { DeviceAuthenticator } from '../../cwmp/auth/device-auth';
import { parseDigestAuthorization } from '../../cwmp/auth/digest';
import type { CertificateNames } from '../../devices/certificate-identity';
import { makeCredentials, type DeviceRepository } from '../../devices/repository';
import type { DeviceCredentials } from '../../devices/types';
import type { Logger } from '../../log';
import { metrics } from '../../metrics';
import type { DesiredConfig, DesiredConfigSource } from '../stores/desired';
import { macCandidatesInPath, parseUserAgent } from './identity';
import type { MacDirectory } from '../../devices/mac-directory';
import { decideAccess, judgeCertificate, profilePathProblem, type AccessPolicy, type Proof } from './access';
import { fileOfRule, partitionFile } from '../render/partitions';
import type { PhoneThrottle } from './throttle';
import { splitToken, type PhoneTokens } from './token';
import type { PhoneProfiles } from './variants';
import { deviceMacros, desiredValues, ruleCredentials, type DeviceFacts, type ProfileRenderer, type ProfileVariant } from '../render/render';
import { parsePostedValues, readReport, ReportError, type ReportKind, type ReportStore } from '../stores/reports';
import { matchProfileRule, matchReportRule, profileRuleOptions, type MatchedRule } from './rule-match';

const HTTP_SCHEMES = ['http', 'https'] as const;
const TFTP_SCHEMES = ['tftp'] as const;

/**
 * The phones' own provisioning channel, without TR-069: resync (Profile_Rule pointing at the
 * fs role) and report uploads (Report_Rule). Transport-agnostic like the CWMP engine: it takes
 * what the HTTP layer read and returns the reply. Status codes are the ones the phones act on
 * (001 L1745-1770): 404 for an unknown device or missing profile (the phone retries after
 * Resync_Error_Retry_Delay), 401 to ask for credentials, 403 for proof that names another
 * device (certificate, token); never 303/307.
 *
 * Who gets which profile is access.ts's decision: a MAC in the path or User-Agent names
 * the profile, only a certificate, a token or credentials prove the requester is that phone.
 * Requests naming unknown MACs or proving nothing are counted per source (throttle.ts).
 */

export interface PhoneRequest {
  method: string;
  /** request-target: path and query, as sent */
  target: string;
  userAgent?: string;
  authorization?: string;
  contentEncoding?: string;
  source: string;
  /** the Host header: rules the ACS renders get tokens only where they point back here */
  host?: string;
  /** the request came over TLS (Basic credentials are accepted only then, unless configured) */
  secure: boolean;
  /** the TLS client certificate, if one was presented */
  certificate?: { verified: boolean; names?: CertificateNames };
  /** the fs role requires a verified client certificate (ACS_FS_TLS_CLIENT_CA is set) */
  certificateRequired: boolean;
  /**
   * what carried the request (default http). TFTP carries no proof: no token, credentials or
   * certificate; its requests match the rules' tftp:// URLs.
   */
  transport?: 'http' | 'tftp';
}

export interface PhoneReply {
  status: number;
  body: Buffer | string;
  contentType: string;
  headers?: Record<string, string | string[]>;
  deviceId?: string;
  /** what the request turned out to be, once the device is known */
  resource?: 'profile' | 'report';
  /** why the request was refused, or how it was served; for the transfer log (never holds a secret) */
  reason?: string;
}

export interface PhoneChannelDeps {
  devices: Pick<DeviceRepository, 'get'>;
  macs: MacDirectory;
  desired: DesiredConfigSource;
  reports: ReportStore;
  /** checks credentials: `tls` offers Digest and Basic, `plain` what plain HTTP may carry */
  auth: { tls: DeviceAuthenticator; plain: DeviceAuthenticator };
  realm: string;
  maxReportBytes: number;
  renderer: ProfileRenderer;
  policy: AccessPolicy;
  tokens: PhoneTokens;
  profiles: PhoneProfiles;
  throttle: PhoneThrottle;
  log: Logger;
}

interface Device {
  deviceId: string;
  facts: DeviceFacts;
  desired?: DesiredConfig;
  credentials?: DeviceCredentials;
}

type Identified = Device | { reply: PhoneReply };

/** What a request brought along to prove who it is. */
interface Presented {
  certificate?: CertificateNames;
  token?: string;
}

const DEVICE_FIELDS = { deviceId: 1, softwareVersion: 1, hardwareVersion: 1, mac: 1, remoteAddress: 1, credentials: 1 } as const;
/** devices whose unproven requests were logged, so each is logged once (per process) */
const LOGGED_DEVICES = 10_000;

export class PhoneChannel {
  private readonly devices: Pick<DeviceRepository, 'get'>;
  private readonly logged = new LRUCache<string, true>({ max: LOGGED_DEVICES });

  constructor(private readonly d: PhoneChannelDeps) {
    this.devices = d.devices;
  }

  /**
   * GET/HEAD: the device's rendered profile (for a rule with `--alias`, the document its alias
   * map describes: render/alias-document.ts). PUT: a report. POST: a report when the target is
   * one of the device's Report_Rule URLs (or follows the `/report/` convention), else a
   * `--post` resync whose body carries name = "value" pairs, answered with the profile.
   */
  async handle(req: PhoneRequest, body: Buffer): Promise<PhoneReply> {
    const split = splitToken(req.target);
    if (split.repeated) return refuse(400, 'token refused: more than one acs_token in the URL');
    const target = split.target;
    if (req.transport === 'tftp' && split.token !== undefined) return refuse(400, 'token refused: TFTP carries no proof of identity');
    const presented: Presented = {
      ...(req.certificate?.verified && req.certificate.names ? { certificate: req.certificate.names } : {}),
      ...(split.token !== undefined ? { token: split.token } : {}),
    };
    if (req.certificateRequired && !presented.certificate) return refuse(403, 'a client certificate signed by a trusted phone CA is required');
    const secure = !this.d.policy.insecure;
    if (secure && (req.method === 'GET' || req.method === 'HEAD')) {
      const problem = profilePathProblem(safeDecode(target.split('?')[0]));
      if (problem) return this.unproven(req, refuse(400, problem), 'bad_proof');
    }
    const material = presented.certificate !== undefined || presented.token !== undefined || req.authorization !== undefined;
    // Requests carrying proof cost no throttle read: the budget matters only when they fail.
    if (secure && !material && (await this.d.throttle.exhausted(req.source))) return this.throttled(req);
    if (req.authorization !== undefined && (await this.authenticator(req).blocked(req.source))) {
      metrics.fsPhoneUnproven.inc({ outcome: 'throttled' });
      return { ...refuse(429, 'too many failed logins from this address: try again later'), headers: { 'Retry-After': '60' } };
    }
    return this.answer(req, body, target, presented);
  }

  private async answer(req: PhoneRequest, body: Buffer, target: string, presented: Presented): Promise<PhoneReply> {
    const who = await this.identify(req, presented.certificate, target);
    if ('reply' in who) return who.reply.status === 404 ? this.unproven(req, who.reply, 'unknown_device') : who.reply;
    const values = who.desired ? desiredValues(who.desired.entries) : {};
    const ctx = deviceMacros(who.facts, values);
    if (req.method === 'PUT' || req.method === 'POST') {
      const report = matchReportRule(values, target, ctx);
      if (req.method === 'PUT' || report || /\/report\//.test(target)) return { ...(await this.report(req, body, who, values, report)), resource: 'report' };
    }
    const schemes = req.transport === 'tftp' ? TFTP_SCHEMES : HTTP_SCHEMES;
    return { ...(await this.profile(req, body, who, presented, values, matchProfileRule(values, target, ctx, schemes))), resource: 'profile' };
  }

  private async profile(req: PhoneRequest, posted: Buffer, who: Device, presented: Presented, values: Record<string, string>, matched: MatchedRule | undefined): Promise<PhoneReply> {
    const { deviceId, facts, desired } = who;
    if (!desired) return this.unproven(req, refuse(404, 'no configuration is defined for this device', deviceId), 'unknown_device');
    // The file of the rule that sent the phone here (S22); secrets and rendering are the file's.
    const file = partitionFile(desired, fileOfRule(matched?.parameter));
    const proven = await this.prove(req, who, presented, values, matched);
    if ('reply' in proven) return proven.reply;
    const decision = decideAccess(this.d.policy, {
      proof: proven.proof,
      hasSecrets: this.d.profiles.holdsSecrets(deviceId, file),
      credentialsKnown: proven.credentialsKnown,
    });
    const form = matched ? aliasForm(matched, values) : undefined;
    if (form && 'problem' in form) return refuse(404, form.problem, deviceId);
    // Over TFTP nothing is proven, but a profile encrypted under the phone's own key (GPP_SD,
    // which it learnt from a proven fetch) is safe to send whole: nobody else can read it.
    const deviceKey = req.transport === 'tftp' && !proven.proof ? this.d.profiles.deviceKey(deviceId, desired) : undefined;
    if (deviceKey !== undefined) {
      const sealed = this.d.renderer.render(facts, file, { cbcKey: matched?.options.key ?? deviceKey, ...(form ? { form } : {}) });
      return { status: 200, body: sealed.body, contentType: sealed.contentType, deviceId, reason: 'served encrypted under the device key' };
    }
    if ('challenge' in decision) {
      return this.unproven(req, { ...refuse(401, decision.reason, deviceId), headers: { 'WWW-Authenticate': this.authenticator(req).challenge() } }, 'challenged', deviceId);
    }
    const proof = 'proof' in decision ? decision.proof : undefined;
    // A --post body is what the phone says about itself: taken only from a phone that proved it.
    if (posted.byteLength && proof) {
      try {
        await this.d.reports.recordPost(deviceId, parsePostedValues(posted.toString('latin1')));
      } catch (err) {
        if (!(err instanceof ReportError)) throw err;
        return refuse(400, err.message, deviceId);
      }
    }
    let variant: ProfileVariant | undefined;
    let cbcKey = matched?.options.key;
    if (decision.serve === 'redacted') variant = this.d.profiles.redacted;
    else if (proof && proof.by !== 'insecure-mode') {
      variant = this.d.profiles.proven(deviceId, desired, { host: req.host, secure: req.secure });
      if (proof.by === 'token' && proof.deviceKey && !cbcKey) cbcKey = this.d.profiles.deviceKey(deviceId, desired);
    }
    const rendered = this.d.renderer.render(facts, file, { cbcKey, ...(variant ? { variant } : {}), ...(form ? { form } : {}) });
    const reply: PhoneReply = {
      status: 200,
      body: rendered.body,
      contentType: rendered.contentType,
      headers: { 'Cache-Control': 'no-store', ...(rendered.contentEncoding ? { 'Content-Encoding': rendered.contentEncoding } : {}) },
      deviceId,
    };
    if (decision.serve === 'redacted') return this.unproven(req, { ...reply, reason: 'served without its secrets: the requester proved no identity' }, 'redacted', deviceId);
    if (!proof) return this.unproven(req, reply, 'no_secrets', deviceId);
    return { ...reply, reason: `proven by ${proof.by}` };
  }

  /**
   * Checks what the request presented against the device it names. A certificate or token that
   * names another device, and wrong credentials, are refused outright; a rule with --uid/--pwd
   * requires its credentials whatever else was presented.
   */
  private async prove(req: PhoneRequest, who: Device, presented: Presented, values: Record<string, string>, matched: MatchedRule | undefined): Promise<{ proof?: Proof; credentialsKnown: boolean } | { reply: PhoneReply }> {
    const { deviceId, facts } = who;
    let proof: Proof | undefined;
    if (this.d.policy.insecure) proof = { by: 'insecure-mode' };
    const cert = judgeCertificate(presented.certificate, { serialNumber: facts.serialNumber, mac: facts.mac });
    if (cert && 'mismatch' in cert) return { reply: await this.unproven(req, refuse(403, cert.mismatch, deviceId), 'bad_proof', deviceId) };
    if (cert) proof ??= { by: 'certificate', match: cert.match };
    if (presented.token !== undefined) {
      const check = this.d.tokens.verify(deviceId, presented.token);
      if (!check.ok) return { reply: await this.unproven(req, refuse(403, check.reason, deviceId), 'bad_proof', deviceId) };
      if (proof?.by !== 'certificate') proof = { by: 'token', deviceKey: check.deviceKey };
    }
    const known = this.knownCredentials(who, values, matched);
    const required = ruleCredentials(matched?.options) !== undefined;
    if (req.authorization !== undefined || required) {
      const verdict = await this.verifyCredentials(req, known);
      if (!verdict.ok) {
        const why = required ? `authentication required by the ${matched?.parameter} --uid/--pwd` : 'credentials refused';
        return { reply: await this.unproven(req, { ...refuse(401, `${why} (${verdict.reason})`, deviceId), headers: { 'WWW-Authenticate': verdict.challenge } }, req.authorization ? 'bad_proof' : 'challenged', deviceId) };
      }
      proof ??= { by: 'credentials' };
    }
    return { ...(proof ? { proof } : {}), credentialsKnown: known.length > 0 };
  }

  /** Credentials the ACS knows for the device: its own, then the --uid/--pwd of its rules (the matched one first). */
  private knownCredentials(who: Device, values: Record<string, string>, matched: MatchedRule | undefined): DeviceCredentials[] {
    const out: DeviceCredentials[] = [];
    const fromRule = ruleCredentials(matched?.options);
    if (fromRule) out.push(makeCredentials(fromRule.username, fromRule.password, this.d.realm));
    if (who.credentials && who.credentials.realm === this.d.realm) out.push(who.credentials);
    for (const rule of profileRuleOptions(values, deviceMacros(who.facts, values))) {
      const c = ruleCredentials(rule.options);
      if (c && !out.some((k) => k.username === c.username)) out.push(makeCredentials(c.username, c.password, this.d.realm));
    }
    return out;
  }

  /** Checks the Authorization header against the known credential of the username it names. */
  private verifyCredentials(req: PhoneRequest, known: DeviceCredentials[]) {
    const username = authorizationUsername(req.authorization);
    const expected = known.find((c) => c.username === username) ?? known[0];
    return this.authenticator(req).verify({ authorization: req.authorization, method: req.method, uri: req.target, source: req.source }, expected);
  }

  private authenticator(req: PhoneRequest): DeviceAuthenticator {
    return req.secure ? this.d.auth.tls : this.d.auth.plain;
  }

  /** Counts an unproven request of the source and logs it once per device (without secrets). */
  private async unproven(req: PhoneRequest, reply: PhoneReply, outcome: string, deviceId?: string): Promise<PhoneReply> {
    if (this.d.policy.insecure) return reply;
    // A source past its budget learns nothing more, not even from requests carrying (failed)
    // proof: not whether the MAC is known, nor what was wrong with the proof.
    if ((await this.d.throttle.count(req.source)) > this.d.throttle.settings.budget) return this.throttled(req);
    metrics.fsPhoneUnproven.inc({ outcome });
    if (deviceId && outcome !== 'no_secrets' && !this.logged.has(`${deviceId}\n${outcome}`)) {
      this.logged.set(`${deviceId}\n${outcome}`, true);
      this.d.log.warn({ event: 'fs.phone_unproven', deviceId, outcome, status: reply.status, source: req.source, reason: reply.reason }, 'phone channel: request without proof of identity (logged once per device)');
    }
    return reply;
  }

  private throttled(req: PhoneRequest): PhoneReply {
    metrics.fsPhoneUnproven.inc({ outcome: 'throttled' });
    // Phones send credentials only when challenged (001 L1760), so the refusal is a challenge:
    // a phone behind the same NAT that has credentials still gets in, a stranger learns nothing.
    const s = this.d.throttle.settings;
    return {
      ...refuse(401, `too many requests naming unknown devices or proving no identity from ${req.source} (more than ${s.budget} in ${s.windowSeconds} s): prove the phone's identity (credentials, client certificate or token)`),
      headers: { 'WWW-Authenticate': this.authenticator(req).challenge(), 'Retry-After': String(s.windowSeconds) },
    };
  }

  private async report(req: PhoneRequest, body: Buffer, who: Device, values: Record<string, string>, matched: MatchedRule | undefined): Promise<PhoneReply> {
    const { deviceId } = who;
    const denied = await this.authenticateReport(req, matched, deviceId);
    if (denied) return denied;
    const kind = matched ? kindOf(matched) : kindFromPath(req.target);
    const ikm = values.IKM_HTTP_Encrypt_Content ? ikmFromParameter(values.IKM_HTTP_Encrypt_Content) : undefined;
    let report;
    try {
      report = readReport(body, kind, { key: matched?.options.key, ikm, contentEncoding: req.contentEncoding, maxBytes: this.d.maxReportBytes * 16 });
    } catch (err) {
      if (!(err instanceof ReportError)) throw err;
      return refuse(400, err.message, deviceId);
    }
    await this.d.reports.apply(deviceId, kind, report);
    return { status: 200, body: `${kind} report stored\n`, contentType: 'text/plain', deviceId };
  }

  /**
   * The device the request is for: a verified client certificate's MAC wins (and must agree
   * with a MAC in the path or User-Agent); otherwise the MAC in the path, then the User-Agent's.
   * This only says which device is meant; prove() decides whether the requester is it.
   */
  private async identify(req: PhoneRequest, cert: CertificateNames | undefined, target: string): Promise<Identified> {
    const path = target.split('?')[0];
    const pathMacs = macCandidatesInPath(path);
    const uaMac = parseUserAgent(req.userAgent)?.mac;
    const certMac = cert && !cert.generic ? cert.mic.mac : undefined;
    let candidates: string[];
    if (certMac) {
      if (uaMac && uaMac !== certMac) return { reply: refuse(403, `the User-Agent names MAC ${uaMac}, the client certificate ${certMac}`) };
      if (pathMacs.length && !pathMacs.includes(certMac)) return { reply: refuse(403, `the path names another device than the client certificate (${certMac})`) };
      candidates = [certMac];
    } else {
      candidates = uaMac && pathMacs.includes(uaMac) ? [uaMac] : [...pathMacs, ...(uaMac ? [uaMac] : [])];
    }
    if (!candidates.length) return { reply: refuse(404, 'no device identity: no MAC address in the path, the User-Agent or a client certificate') };
    for (const mac of candidates) {
      const deviceId = await this.d.macs.lookup(mac);
      if (!deviceId) continue;
      const [doc, desired] = await Promise.all([this.devices.get(deviceId, DEVICE_FIELDS), this.d.desired.get(deviceId)]);
      if (!doc || doc.mac !== mac) continue;
      return {
        deviceId,
        desired,
        ...(doc.credentials ? { credentials: doc.credentials } : {}),
        facts: {
          deviceId,
          productClass: doc.deviceId?.productClass,
          serialNumber: doc.deviceId?.serialNumber,
          mac,
          softwareVersion: doc.softwareVersion,
          hardwareVersion: doc.hardwareVersion,
          ip: doc.remoteAddress,
        },
      };
    }
    return { reply: refuse(404, `unknown device: no device has MAC ${candidates.join(' or ')}`) };
  }

  private async authenticateReport(req: PhoneRequest, matched: MatchedRule | undefined, deviceId: string): Promise<PhoneReply | undefined> {
    const creds = ruleCredentials(matched?.options);
    if (!creds) return undefined;
    const verdict = await this.authenticator(req).verify(
      { authorization: req.authorization, method: req.method, uri: req.target, source: req.source },
      makeCredentials(creds.username, creds.password, this.d.realm),
    );
    if (verdict.ok) return undefined;
    return { ...refuse(401, `authentication required by the ${matched?.parameter} --uid/--pwd (${verdict.reason})`, deviceId), headers: { 'WWW-Authenticate': verdict.challenge } };
  }
}

/** The username an Authorization header names (Digest or Basic), to pick the credential it is checked against. */
function authorizationUsername(header: string | undefined): string | undefined {
  if (!header) return undefined;
  if (/^\s*Digest\s/i.test(header)) return parseDigestAuthorization(header)?.username;
  if (/^\s*Basic\s/i.test(header)) {
    const decoded = Buffer.from(header.trim().slice(6).trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon < 0 ? undefined : decoded.slice(0, colon);
  }
  return undefined;
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/** A refusal as phones get it: a short text body (and the reason for the transfer log). */
export function refuse(status: number, reason: string, deviceId?: string): PhoneReply {
  return { status, body: `${reason}\n`, contentType: 'text/plain', reason, ...(deviceId ? { deviceId } : {}) };
}

function kindOf(matched: MatchedRule): ReportKind {
  if (matched.options.delta) return 'delta';
  if (matched.options.status) return 'status';
  return 'config';
}

/**
 * Without a matching Report_Rule (the phone's rule was set by other means) the path decides:
 * the convention of reportRule() is `/cisco/report/{config,delta,status}/...`.
 */
function kindFromPath(target: string): ReportKind {
  const m = /\/report\/(config|delta|status)\//.exec(target);
  return (m?.[1] as ReportKind | undefined) ?? 'config';
}
