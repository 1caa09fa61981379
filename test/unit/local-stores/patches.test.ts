import { applyPatch, FERRETDB_PATCHES, LIBC_PATCHES, type SourcePatch } from '../../../tools/local-stores/ferretdb/patches';

const patch: SourcePatch = { file: 'a.go', original: 'x := 1\n', replacement: 'x := 2\n', why: 'test' };

describe('applyPatch', () => {
  it('replaces the original text where it occurs once', () => {
    expect(applyPatch('package a\nx := 1\nreturn x\n', patch)).toBe('package a\nx := 2\nreturn x\n');
  });

  it('fails, naming the file, when the original text is absent', () => {
    expect(() => applyPatch('package a\nx := 3\n', patch)).toThrow('FerretDB patch does not apply: a.go does not contain');
  });

  it('fails when the original text occurs more than once', () => {
    expect(() => applyPatch('x := 1\nx := 1\n', patch)).toThrow('more than once');
  });
});

describe('FERRETDB_PATCHES', () => {
  it('compose: each patch of msg_update.go still applies after the ones before it', () => {
    const ofFile = FERRETDB_PATCHES.filter((p) => p.file.endsWith('/msg_update.go'));
    // each original where the released file has it, in the order of the patch list
    const released = ofFile.map((p) => p.original).join('\n// released lines between\n');
    const patched = ofFile.reduce(applyPatch, released);
    for (const p of ofFile) if (p.replacement) expect(patched).toContain(p.replacement);
    // the statements' loop is the overlay's now (acs_update.go): one call, no loop left behind
    expect(patched).not.toContain('for _, u := range params.Updates');
    expect(patched.match(/acsUpdateStatements\(/g)).toHaveLength(1);
  });

  it('every patch changes something and says why', () => {
    for (const p of [...FERRETDB_PATCHES, ...LIBC_PATCHES]) {
      expect(p.replacement).not.toBe(p.original);
      expect(p.why.length).toBeGreaterThan(20);
    }
  });
});
