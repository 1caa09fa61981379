import { applyPatch, FERRETDB_PATCHES, type SourcePatch } from '../../../tools/local-stores/ferretdb/patches';

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
    // excerpts of the released file, in their order
    const released = [
      '\tfor _, u := range params.Updates {',
      '\t\tres, err := c.Query(ctx, &qp)',
      '\t\tif err != nil {',
      '\t\t\treturn 0, 0, nil, lazyerrors.Error(err)',
      '\t\t}',
      '',
      '\t\tcloser := iterator.NewMultiCloser()',
      '\t\tdefer closer.Close()',
      '',
      '\t\tcloser.Add(res.Iter)',
      '',
      '\t\tresult, err := common.UpdateDocument(ctx, c, "update", iter, &u)',
      '\t\tif err != nil {',
      '',
    ].join('\n');
    const patched = FERRETDB_PATCHES.filter((p) => p.file.endsWith('/msg_update.go')).reduce(applyPatch, released);
    expect(patched).not.toContain('defer closer.Close()');
    const order = ['defer locked.release()', 'for _, u :=', 'locked.hold(', 'c.Query(', '&u)\n\t\tcloser.Close()\n\t\tlocked.release()\n'];
    const positions = order.map((text) => patched.indexOf(text));
    expect(positions.every((at) => at >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('every patch changes something and says why', () => {
    for (const p of FERRETDB_PATCHES) {
      expect(p.replacement).not.toBe(p.original);
      expect(p.why.length).toBeGreaterThan(20);
    }
  });
});
