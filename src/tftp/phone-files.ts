import { Readable } from 'node:stream';
import { FileError } from '../files/errors';
import { pathSegments } from '../files/http/paths';
import type { PhoneReply, PhoneRequest } from '../provisioning/phone/channel';
import { ERR } from './packet';
import type { Resolution } from './server';

/**
 * What a TFTP file name is: a stored firmware image of that name (firmware is no secret: the
 * phones' Upgrade_Rule names it, 001 L1000-1017), else the phone's profile through the same
 * phone channel the fs role serves, with the same access rules (provisioning/phone/access.ts): TFTP proves
 * nothing, so a profile holding secrets goes out without them, encrypted under the phone's own
 * key, or not at all. The phone is named by a MAC in the file name (`CP-6841-3PCC$MA.cfg`, 000
 * L306-311); `/$PSN.xml` names none, and a TFTP request carries no User-Agent.
 */
export interface TftpFilesDeps {
  phones: { handle(req: PhoneRequest, body: Buffer): Promise<PhoneReply> };
  /** a stored firmware file of exactly this name */
  firmware(filename: string): Promise<{ size: number; open(): Readable } | undefined>;
  /** ACS_FS_TLS_CLIENT_CA is set: profiles only to phones with a client certificate, so never over TFTP */
  certificateRequired: boolean;
}

export function tftpFiles(deps: TftpFilesDeps): (filename: string, source: string) => Promise<Resolution> {
  return async (filename, source) => {
    const target = `/${filename.replace(/^\/+/, '')}`;
    try {
      pathSegments(target.split('?')[0]);
    } catch (err) {
      if (err instanceof FileError) return { code: ERR.ACCESS, message: err.message };
      throw err;
    }
    if (!target.slice(1).includes('/')) {
      const firmware = await deps.firmware(target.slice(1));
      if (firmware) return firmware;
    }
    const reply = await deps.phones.handle({ method: 'GET', target, source, secure: false, certificateRequired: deps.certificateRequired, transport: 'tftp' }, Buffer.alloc(0));
    if (reply.status === 200) {
      // RFC 8188 is an HTTP content encoding (001 L1023): a TFTP file cannot say it is one.
      if (reply.headers?.['Content-Encoding']) return { code: ERR.ACCESS, message: 'this profile is delivered with HTTP content encryption (RFC 8188): fetch it over HTTP(S)' };
      const body = Buffer.isBuffer(reply.body) ? reply.body : Buffer.from(reply.body);
      return { size: body.length, open: () => Readable.from([body]) };
    }
    const message = (reply.reason ?? `refused (${reply.status})`).slice(0, 200);
    if (reply.status === 404) return { code: ERR.NOT_FOUND, message };
    if (reply.status === 401 || reply.status === 403) return { code: ERR.ACCESS, message };
    return { code: ERR.UNDEFINED, message };
  };
}
