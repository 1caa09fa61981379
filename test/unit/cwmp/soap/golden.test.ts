import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeEnvelope, encodeEnvelope, type CwmpNamespace } from '../../../../src/cwmp/soap';
import { METHODS } from '../../../../src/cwmp/soap/schema';
import { GOLDEN_CASES } from './golden-messages';

const GOLDEN_DIR = join(__dirname, '../../../fixtures/cwmp/golden');

const variants = GOLDEN_CASES.flatMap((golden) =>
  golden.versions.map((version) => ({
    label: `${golden.name} (cwmp-${version})`,
    file: join(GOLDEN_DIR, `${golden.name}.cwmp-${version}.xml`),
    envelope: {
      namespace: `urn:dslforum-org:cwmp-${version}` as CwmpNamespace,
      header: golden.header,
      body: golden.body,
    },
  })),
);

/** The same document with other prefixes for the SOAP envelope and cwmp namespaces. */
function withPrefixes(xml: string, soapEnv: string, cwmp: string): string {
  return xml.replace(/soap-env([:=])/g, `${soapEnv}$1`).replace(/cwmp([:=])/g, `${cwmp}$1`);
}

describe.each(variants)('golden $label', ({ file, envelope }) => {
  const xml = readFileSync(file, 'utf8');

  test('decodes to the expected message', () => {
    expect(decodeEnvelope(xml)).toEqual(envelope);
  });

  test('encodes to the golden file byte for byte', () => {
    expect(encodeEnvelope(envelope)).toBe(xml);
  });

  test.each([
    ['SOAP-ENV', 'cwmp'],
    ['soap_env', 'c'],
    ['s', 'ns1'],
  ])('decodes the same with prefixes %s and %s', (soapEnv, cwmp) => {
    const renamed = withPrefixes(xml, soapEnv, cwmp);
    expect(renamed).not.toContain('soap-env:');
    expect(decodeEnvelope(renamed)).toEqual(envelope);
  });
});

test('every message type of the model has a golden file', () => {
  const covered = new Set(GOLDEN_CASES.map((golden) => golden.body.method));
  expect(covered).toEqual(new Set([...Object.keys(METHODS), 'Fault']));
});
