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

  it('keeps entries that only touch, and drops an older one that a newer one covers in part at its end', () => {
    const map = ['100 10 old', '110 10 next to it', '10a 2 newest, inside old'].join('\n');
    expect(newestEntries(map)).toEqual(['10a 2 newest, inside old', '110 10 next to it']);
  });

  it('ignores lines that are not entries', () => {
    expect(newestEntries('\nnot a line\nff 1 only\n')).toEqual(['ff 1 only']);
  });
});
