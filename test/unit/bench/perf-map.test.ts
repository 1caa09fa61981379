import { newestEntries } from '../../../bench/harness/perf-map';

describe('newestEntries (perf map of a V8 process)', () => {
  it('keeps, for addresses V8 placed code at twice, only the later entry', () => {
    const map = [
      '1000 100 Eval:~ node_modules/prom-client/lib/counter.js:1:1',
      '2000 40 JS:*serve dist/src/cwmp/http/app.js:36:19',
      '1080 40 JS:*writeHead node:_http_server:330:19',
      '3000 10 Builtin:ArrayPush',
    ].join('\n');
    expect(newestEntries(map)).toEqual([
      '1080 40 JS:*writeHead node:_http_server:330:19',
      '2000 40 JS:*serve dist/src/cwmp/http/app.js:36:19',
      '3000 10 Builtin:ArrayPush',
    ]);
  });

  it('keeps two entries that only touch', () => {
    expect(newestEntries('100 10 first\n110 10 right after it')).toEqual(['100 10 first', '110 10 right after it']);
  });

  it('drops an older entry that a newer one overlaps at either end or covers', () => {
    expect(newestEntries('100 10 old\n10c 10 overlaps its end')).toEqual(['10c 10 overlaps its end']);
    expect(newestEntries('100 10 old\nfc 8 overlaps its start')).toEqual(['fc 8 overlaps its start']);
    expect(newestEntries('100 10 old\nf0 40 covers it')).toEqual(['f0 40 covers it']);
  });

  it('ignores lines that are not entries', () => {
    expect(newestEntries('\nnot a line\nff 1 only\n')).toEqual(['ff 1 only']);
  });
});
