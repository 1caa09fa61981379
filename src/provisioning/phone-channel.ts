import type { Collection, Db } from 'mongodb';
import { ikmFromParameter } from '../cisco/crypto';
import type { DeviceAuthenticator } from '../cwmp/auth/device-auth';
import { makeCredentials } from '../devices/repository';
import type { DeviceDoc } from '../devices/types';
import type { DesiredConfig, DesiredConfigSource } from './desired';
import { certificateIdentity, macCandidatesInPath, parseUserAgent } from './identity';
import type { MacDirectory } from '../devices/mac-directory';
import { deviceMacros, desiredValues, ruleCredentials, type DeviceFacts, type ProfileRenderer } from './render';
import { parsePostedValues, readReport, ReportError, type ReportKind, type ReportStore } from './reports';
import { matchProfileRule, matchReportRule, type MatchedRule } from './rule-match';

/**
 * The phones' own provisioning channel, without TR-069: resync (Profile_Rule pointing at the
 * fs role) and report uploads (Report_Rule). Transport-agnostic like the CWMP engine: it takes
 * what the HTTP layer read and returns the reply. Status codes are the ones the phones act on
 * (001 L1745-1770): 404 for an unknown device or missing profile (the phone retries after
 * Resync_Error_Retry_Delay), 401 when the rule carries --uid/--pwd, 403 for a client
 * certificate that contradicts the requested identity; never 303/307.
 */

export interface PhoneRequest {
  method: string;
  /** request-target: path and query, as sent */
  target: string;
  userAgent?: string;
  authorization?: string;
  contentEncoding?: string;
  source: string;
  /** the TLS client certificate, if one was presented */
  certificate?: { verified: boolean; subject?: Record<string, string | string[] | undefined> };
  /** the fs role requires a verified client certificate (ACS_FS_TLS_CLIENT_CA is set) */
  certificateRequired: boolean;
}

export interface PhoneReply {
  status: number;
  body: Buffer | string;
  contentType: string;
  headers?: Record<string, string | string[]>;
  deviceId?: string;
  /** what the request turned out to be, once the device is known */
  resource?: 'profile' | 'report';
  /** why the request was refused; for the transfer log (never holds a secret) */
  reason?: string;
}

export interface PhoneChannelDeps {
  db: Db;
  macs: MacDirectory;
  desired: DesiredConfigSource;
  reports: ReportStore;
  /** checks --uid/--pwd credentials (Digest or Basic) */
  auth: DeviceAuthenticator;
  realm: string;
  maxReportBytes: number;
  renderer: ProfileRenderer;
}

interface Device {
  deviceId: string;
  facts: DeviceFacts;
  desired?: DesiredConfig;
}

type Identified = Device | { reply: PhoneReply };

const DEVICE_FIELDS = { deviceId: 1, softwareVersion: 1, hardwareVersion: 1, mac: 1, remoteAddress: 1 } as const;

export class PhoneChannel {
  private readonly devices: Collection<DeviceDoc>;

  constructor(private readonly d: PhoneChannelDeps) {
    this.devices = d.db.collection<DeviceDoc>('devices');
  }

  /**
   * GET/HEAD: the device's rendered profile. PUT: a report. POST: a report when the target is
   * one of the device's Report_Rule URLs (or follows the `/report/` convention), else a
   * `--post` resync whose body carries name = "value" pairs, answered with the profile.
   */
  async handle(req: PhoneRequest, body: Buffer): Promise<PhoneReply> {
    const who = await this.identify(req);
    if ('reply' in who) return who.reply;
    const values = who.desired ? desiredValues(who.desired.entries) : {};
    const ctx = deviceMacros(who.facts, values);
    if (req.method === 'PUT' || req.method === 'POST') {
      const report = matchReportRule(values, req.target, ctx);
      if (req.method === 'PUT' || report || /\/report\//.test(req.target)) return { ...(await this.report(req, body, who, values, report)), resource: 'report' };
    }
    return { ...(await this.profile(req, body, who, matchProfileRule(values, req.target, ctx))), resource: 'profile' };
  }

  private async profile(req: PhoneRequest, posted: Buffer, who: Device, matched: MatchedRule | undefined): Promise<PhoneReply> {
    const { deviceId, facts, desired } = who;
    if (!desired) return refuse(404, 'no configuration is defined for this device', deviceId);
    const denied = await this.authenticate(req, matched, deviceId);
    if (denied) return denied;
    if (posted.byteLength) {
      try {
        await this.d.reports.recordPost(deviceId, parsePostedValues(posted.toString('latin1')));
      } catch (err) {
        if (!(err instanceof ReportError)) throw err;
        return refuse(400, err.message, deviceId);
      }
    }
    const rendered = this.d.renderer.render(facts, desired, { cbcKey: matched?.options.key });
    return {
      status: 200,
      body: rendered.body,
      contentType: rendered.contentType,
      headers: { 'Cache-Control': 'no-store', ...(rendered.contentEncoding ? { 'Content-Encoding': rendered.contentEncoding } : {}) },
      deviceId,
    };
  }

  private async report(req: PhoneRequest, body: Buffer, who: Device, values: Record<string, string>, matched: MatchedRule | undefined): Promise<PhoneReply> {
    const { deviceId } = who;
    const denied = await this.authenticate(req, matched, deviceId);
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
   * The device the request is for: a verified client certificate wins (and must agree with a
   * MAC in the path or User-Agent); otherwise the MAC in the path, then the User-Agent's.
   */
  private async identify(req: PhoneRequest): Promise<Identified> {
    const cert = req.certificate?.verified ? certificateIdentity(req.certificate.subject) : undefined;
    if (req.certificateRequired && !cert) return { reply: refuse(403, 'a client certificate signed by a trusted phone CA is required') };
    const path = req.target.split('?')[0];
    const pathMacs = macCandidatesInPath(path);
    const uaMac = parseUserAgent(req.userAgent)?.mac;
    let candidates: string[];
    if (cert?.mac) {
      if (uaMac && uaMac !== cert.mac) return { reply: refuse(403, `the User-Agent names MAC ${uaMac}, the client certificate ${cert.mac}`) };
      if (pathMacs.length && !pathMacs.includes(cert.mac)) return { reply: refuse(403, `the path names another device than the client certificate (${cert.mac})`) };
      candidates = [cert.mac];
    } else {
      candidates = uaMac && pathMacs.includes(uaMac) ? [uaMac] : [...pathMacs, ...(uaMac ? [uaMac] : [])];
    }
    if (!candidates.length) return { reply: refuse(404, 'no device identity: no MAC address in the path, the User-Agent or a client certificate') };
    for (const mac of candidates) {
      const deviceId = await this.d.macs.lookup(mac);
      if (!deviceId) continue;
      const [doc, desired] = await Promise.all([this.devices.findOne({ _id: deviceId }, { projection: DEVICE_FIELDS }), this.d.desired.get(deviceId)]);
      if (!doc || doc.mac !== mac) continue;
      return {
        deviceId,
        desired,
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

  private async authenticate(req: PhoneRequest, matched: MatchedRule | undefined, deviceId: string): Promise<PhoneReply | undefined> {
    const creds = ruleCredentials(matched?.options);
    if (!creds) return undefined;
    const verdict = await this.d.auth.verify(
      { authorization: req.authorization, method: req.method, uri: req.target, source: req.source },
      makeCredentials(creds.username, creds.password, this.d.realm),
    );
    if (verdict.ok) return undefined;
    return { ...refuse(401, `authentication required by the ${matched?.parameter} --uid/--pwd (${verdict.reason})`, deviceId), headers: { 'WWW-Authenticate': verdict.challenge } };
  }
}

function refuse(status: number, reason: string, deviceId?: string): PhoneReply {
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
