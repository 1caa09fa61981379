import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Logger } from '../log';
import { metrics } from '../metrics';
import { daysLeft, oneLine, shortName } from './describe';
import { readCertificates } from './read';

export interface ServedFile {
  use: 'server' | 'client-ca';
  file: string;
}

export interface CertificateWatchOptions {
  role: string;
  files: ServedFile[];
  /** warn from this many days before the end (ACS_TLS_EXPIRY_WARN_DAYS) */
  warnDays: number;
  log: Logger;
  /** called when a file's content changed since the last check (a renewed Secret): reload it */
  onChange?: () => void;
  /** how often the files are checked (default hourly) */
  intervalMs?: number;
}

const HOUR_MS = 3600_000;

/**
 * Watches the certificates a role serves: the days left go to the acs_tls_certificate_days_left
 * gauge at every check, a warning is logged once a day per certificate from `warnDays` before
 * its end, and a changed file (cert-manager renews the Secret, the kubelet updates the mount)
 * is reported to `onChange` so the server takes it without a restart.
 */
export class CertificateWatch {
  private timer: NodeJS.Timeout | undefined;
  private readonly digests = new Map<string, string>();
  private readonly warned = new Map<string, number>();
  private labels: Array<Record<'role' | 'use' | 'subject' | 'serial', string>> = [];

  constructor(private readonly opts: CertificateWatchOptions) {}

  start(): void {
    this.check();
    this.timer = setInterval(() => this.check(), this.opts.intervalMs ?? HOUR_MS);
    this.timer.unref();
  }

  check(now: Date = new Date()): void {
    const { role, log } = this.opts;
    let changed = false;
    const labels: typeof this.labels = [];
    for (const { use, file } of this.opts.files) {
      let bytes: Buffer;
      try {
        bytes = readFileSync(file);
      } catch (err) {
        log.error({ event: 'tls.certificate_unreadable', role, use, file, err: (err as Error).message }, `certificate file ${file} cannot be read`);
        continue;
      }
      const digest = createHash('sha256').update(bytes).digest('hex');
      if (this.digests.has(file) && this.digests.get(file) !== digest) changed = true;
      this.digests.set(file, digest);
      let certs;
      try {
        certs = readCertificates(bytes);
      } catch (err) {
        log.error({ event: 'tls.certificate_unreadable', role, use, file, err: (err as Error).message }, `certificate file ${file} holds no readable certificate`);
        continue;
      }
      for (const cert of use === 'server' ? certs.slice(0, 1) : certs) {
        const days = daysLeft(cert, now);
        const label = { role, use, subject: shortName(cert), serial: cert.serialNumber };
        labels.push(label);
        metrics.tlsCertificateDaysLeft.set(label, days);
        const key = `${file}|${cert.fingerprint256}`;
        const day = Math.floor(now.getTime() / (24 * HOUR_MS));
        if (days < this.opts.warnDays && this.warned.get(key) !== day) {
          this.warned.set(key, day);
          const when = new Date(cert.validTo).toISOString();
          log.warn(
            { event: 'tls.certificate_expiring', role, use, file, subject: oneLine(cert.subject), serial: cert.serialNumber, notAfter: when, daysLeft: days },
            days < 0 ? `${use} certificate ${oneLine(cert.subject)} of ${role} expired on ${when}` : `${use} certificate ${oneLine(cert.subject)} of ${role} expires in ${days} days, on ${when}`,
          );
        }
      }
    }
    for (const old of this.labels) if (!labels.some((l) => l.use === old.use && l.serial === old.serial && l.subject === old.subject)) metrics.tlsCertificateDaysLeft.remove(old);
    this.labels = labels;
    if (changed) this.opts.onChange?.();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    for (const label of this.labels) metrics.tlsCertificateDaysLeft.remove(label);
    this.labels = [];
  }
}
