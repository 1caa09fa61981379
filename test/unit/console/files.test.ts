import { checksumVerdict, hex, progressPercent, storedName, transferOutcome, uploadInputOf, uploadQuery } from '../../../src/console/app/lib/files';
import { formErrors } from '../../../src/console/app/lib/forms';
import { createHash } from 'node:crypto';

describe('file uploads', () => {
  it('states what the file is and the checksum it must have', () => {
    const q = uploadQuery('sip88xx.12-0-3MPP-1.loads', { kind: 'firmware', productClasses: 'CP-8851-3PCC, CP-8861-3PCC', version: ' ', description: 'lab load' }, 'ab'.repeat(32));
    expect([...q]).toEqual([
      ['filename', 'sip88xx.12-0-3MPP-1.loads'],
      ['kind', 'firmware'],
      ['productClass', 'CP-8851-3PCC'],
      ['productClass', 'CP-8861-3PCC'],
      ['description', 'lab load'],
      ['sha256', 'ab'.repeat(32)],
    ]);
  });

  it('writes a digest as the hex the server reports', () => {
    const digest = createHash('sha256').update('hello').digest();
    const buffer = digest.buffer.slice(digest.byteOffset, digest.byteOffset + digest.byteLength);
    expect(hex(buffer)).toBe(createHash('sha256').update('hello').digest('hex'));
    expect(checksumVerdict('ABC', 'abc')).toBe('match');
    expect(checksumVerdict('abd', 'abc')).toBe('mismatch');
  });

  it('turns a chosen file name into one the API accepts', () => {
    expect(storedName('my config (1).xml')).toBe('my_config__1_.xml');
    expect(storedName('.hidden.pem')).toBe('hidden.pem');
    expect(storedName('x'.repeat(200))).toHaveLength(128);
  });

  it('counts progress without passing 100 %', () => {
    expect(progressPercent(50, 200)).toBe(25);
    expect(progressPercent(300, 200)).toBe(100);
    expect(progressPercent(5, 0)).toBe(0);
  });

  it('puts a refusal next to the input it is about', () => {
    const errors = formErrors('query parameter "version" ...', [
      { in: 'query', field: 'version', message: 'needs a version' },
      { in: 'query', field: 'sha256', message: 'does not match' },
      { in: 'body', field: '', message: 'the file is empty' },
    ], uploadInputOf);
    expect(errors).toEqual({ fields: { version: 'needs a version', file: 'does not match' }, general: ['the file is empty'] });
    expect(formErrors('refused', [{ in: 'query', field: 'kind', message: 'bad' }], uploadInputOf).general).toEqual(['Not saved: one field needs attention (marked below).']);
    expect(formErrors('refused outright', [], uploadInputOf).general).toEqual(['refused outright']);
  });

  it('says how a download ended', () => {
    expect(transferOutcome({ status: 200, complete: true, bytes: 10 })).toBe('complete');
    expect(transferOutcome({ status: 206, complete: true, bytes: 10, range: 'bytes=0-9' })).toBe('complete (range bytes=0-9)');
    expect(transferOutcome({ status: 200, complete: false, bytes: 4 })).toBe('cut off after 4 bytes');
    expect(transferOutcome({ status: 403, complete: false, bytes: 0, reason: 'bad signature' })).toBe('refused (HTTP 403: bad signature)');
  });
});
