import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import forge from 'node-forge';

/** A PEM certificate and its private key. */
export interface Pem {
  cert: string;
  key: string;
}

interface Issued extends Pem {
  forgeKey: forge.pki.rsa.PrivateKey;
  subject: forge.pki.CertificateField[];
}

function keyPair(): { pem: string; forgeKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey } {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const forgeKey = forge.pki.privateKeyFromPem(pem) as forge.pki.rsa.PrivateKey;
  return { pem, forgeKey, publicKey: forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e) };
}

function issue(subject: forge.pki.CertificateField[], signer: Issued | undefined, serial: string, extensions: object[] = []): Issued {
  const pair = keyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = pair.publicKey;
  cert.serialNumber = serial;
  cert.validity.notBefore = new Date(Date.now() - 3600_000);
  cert.validity.notAfter = new Date(Date.now() + 24 * 3600_000);
  cert.setSubject(subject);
  cert.setIssuer(signer?.subject ?? subject);
  cert.setExtensions(extensions);
  cert.sign(signer?.forgeKey ?? pair.forgeKey, forge.md.sha256.create());
  return { cert: forge.pki.certificateToPem(cert), key: pair.pem, forgeKey: pair.forgeKey, subject };
}

/**
 * A test CA, a server certificate for 127.0.0.1 and phone certificates shaped like Cisco's
 * manufacturing ones (`OU=<model>, L=<serial>, ST=<MAC>`), the PEM files written to a
 * temporary directory for the fs role's ACS_FS_TLS_* variables.
 */
export class TestPki {
  readonly dir = mkdtempSync(path.join(tmpdir(), 'acs-pki-'));
  private readonly ca = issue([{ name: 'commonName', value: 'Test phone CA' }], undefined, '01', [{ name: 'basicConstraints', cA: true }]);
  private serial = 2;
  readonly caPem = this.ca.cert;
  readonly files: { ca: string; cert: string; key: string };

  constructor() {
    const server = issue([{ name: 'commonName', value: '127.0.0.1' }], this.ca, this.nextSerial(), [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }]);
    this.files = { ca: path.join(this.dir, 'ca.pem'), cert: path.join(this.dir, 'server.pem'), key: path.join(this.dir, 'server.key') };
    writeFileSync(this.files.ca, this.ca.cert);
    writeFileSync(this.files.cert, server.cert);
    writeFileSync(this.files.key, server.key);
  }

  /** A MIC-like phone certificate signed by the test CA. */
  phone(model: string, serial: string, mac: string): Pem {
    const { cert, key } = issue(
      [
        { name: 'organizationalUnitName', value: model },
        { name: 'localityName', value: serial },
        { name: 'stateOrProvinceName', value: mac },
      ],
      this.ca,
      this.nextSerial(),
    );
    return { cert, key };
  }

  /** TLS client options trusting the test CA, presenting `client` if given. */
  client(client?: Pem): { ca: string; cert?: string; key?: string } {
    return { ca: this.caPem, ...(client ? { cert: client.cert, key: client.key } : {}) };
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  private nextSerial(): string {
    return (this.serial++).toString(16).padStart(2, '0');
  }
}
