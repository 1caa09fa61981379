/**
 * Cisco profile pipeline micro-benchmark: the whole MPP sample profile (every catalogue
 * parameter) for one device.
 *
 *   node -r @swc-node/register bench/profile.bench.ts
 *   (or: npm run build && node dist/bench/profile.bench.js)
 *
 * Prints the median CPU time per operation; figures go to bench/RESULTS.md.
 */
import { gzipSync } from 'node:zlib';
import { loadCatalogue } from '../src/cisco/catalogue';
import { encodeProfile, encryptCbc } from '../src/cisco/crypto';
import { parseProfile, renderProfile, validateProfile, type ProfileEntry } from '../src/cisco/profile';
import { cpuMicrosPerCall, tableHeader } from './harness';

const catalogue = loadCatalogue();

/** The sample profile with one device's account filled in. */
function deviceProfile(): ProfileEntry[] {
  const own: Record<string, string> = {
    User_ID_1_: '4085551000',
    Auth_ID_1_: 'auth1000',
    Password_1_: 'a-line-secret',
    Display_Name_1_: 'Front Desk',
    Proxy_1_: 'sip.example.net:5060',
    Profile_Rule: '[--key $SA] https://prov.example.net/cfg/$MA.xml',
  };
  return catalogue.entries.map((e) => {
    const value = own[e.name] ?? e.sample;
    return value === undefined ? { name: e.name, value: '', ua: e.ua, selfClosing: true } : { name: e.name, value, ua: e.ua };
  });
}

function measure(name: string, fn: () => unknown, perBatch: number, batches = 7): void {
  console.log(`${name.padEnd(60)} ${(cpuMicrosPerCall(fn, perBatch, batches) / 1000).toFixed(3).padStart(8)} ms`);
}

const entries = deviceProfile();
const xml = renderProfile(entries, { device: true });
const gz = gzipSync(xml);
const ikm = Buffer.from('bench IKM for aes128gcm');
const cbc = { gzip: true, encryption: { method: 'aes-256-cbc' as const, key: 'SecretPhrase1234' } };

console.log(tableHeader());
console.log(`node ${process.version}; ${entries.length} parameters, ${xml.length} bytes XML, ${gz.length} bytes gzip`);
measure('render + gzip + AES-256-CBC (whole profile, one device)', () => encodeProfile(renderProfile(entries, { device: true }), cbc), 2000);
measure('  render alone', () => renderProfile(entries, { device: true }), 2000);
measure('  gzip alone', () => gzipSync(xml), 2000);
measure('  AES-256-CBC alone (gzipped input)', () => encryptCbc(gz, 'SecretPhrase1234'), 5000);
measure(
  'render + gzip + aes128gcm',
  () => encodeProfile(renderProfile(entries, { device: true }), { gzip: true, encryption: { method: 'aes128gcm', ikm } }),
  2000,
);
measure('parse + validate (whole profile)', () => validateProfile(parseProfile(xml).entries), 500);
measure('  parse alone', () => parseProfile(xml), 500);
