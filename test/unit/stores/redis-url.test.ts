import { loadConfig } from '../../../src/config';
import { redactRedisUrl } from '../../../src/stores/redis';
import { parseRedisUrl } from '../../../src/stores/redis-url';

describe('REDIS_URL', () => {
  it('names one server as it is', () => {
    expect(parseRedisUrl('rediss://:pw@redis.example.net:6380/2')).toEqual({ kind: 'single', url: 'rediss://:pw@redis.example.net:6380/2' });
  });

  it('names the sentinels, the master, the database and the credentials of a Sentinel deployment', () => {
    expect(parseRedisUrl('redis+sentinel://app:p%40ss@10.0.0.1:26379,[::1]:26380,sentinel-c/acs-master/3?sentinelPassword=s3')).toEqual({
      kind: 'sentinel',
      sentinels: [
        { host: '10.0.0.1', port: 26379 },
        { host: '::1', port: 26380 },
        { host: 'sentinel-c', port: 26379 },
      ],
      name: 'acs-master',
      db: 3,
      username: 'app',
      password: 'p@ss',
      sentinelPassword: 's3',
      tls: false,
    });
  });

  it('names the seed nodes of a cluster, with TLS for rediss+', () => {
    expect(parseRedisUrl('rediss+cluster://:pw@a:7000,b')).toEqual({ kind: 'cluster', nodes: [{ host: 'a', port: 7000 }, { host: 'b', port: 6379 }], password: 'pw', tls: true });
  });

  it.each([
    ['redis+sentinel://a:26379', /mastername/],
    ['redis+sentinel://a:26379/m/x', /bad database "x"/],
    ['redis+cluster://a:7000/0', /takes no path/],
    ['redis+cluster://a:99999', /bad host:port "a:99999"/],
    ['redis+cluster://a:7000,,b', /bad host:port ""/],
    ['redis+cluster://a:7000?sentinelPassword=x', /unknown parameter "sentinelPassword"/],
    ['redis+replica://a', /must be redis:\/\//],
  ])('refuses %s, saying why', (url, why) => {
    expect(() => parseRedisUrl(url)).toThrow(why);
  });

  it('is checked where the configuration is read, naming the variable and hiding the passwords', () => {
    expect(() => loadConfig({ REDIS_URL: 'redis+sentinel://:secret@a:26379?sentinelPassword=hidden' })).toThrow(/REDIS_URL of a sentinel must end in \/mastername/);
    expect(() => loadConfig({ REDIS_URL: 'redis+sentinel://:secret@a:26379?sentinelPassword=hidden' })).not.toThrow(/secret|hidden/);
    expect(() => loadConfig({ REDIS_URL: 'memcached://a' })).toThrow(/REDIS_URL/);
    expect(loadConfig({ REDIS_URL: 'redis+cluster://a:7000,b:7001' }).redisUrl).toBe('redis+cluster://a:7000,b:7001');
  });

  it('is shown with its passwords masked', () => {
    expect(redactRedisUrl('redis+sentinel://u:pw@a:1,b:2/m?sentinelPassword=sp')).toBe('redis+sentinel://***@a:1,b:2/m?sentinelPassword=***');
    expect(redactRedisUrl('redis://:pw@a:6379')).toBe('redis://:***@a:6379');
  });
});
