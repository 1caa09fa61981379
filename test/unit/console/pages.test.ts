import { devicePath, pageOf } from '../../../src/console/app/lib/pages';

describe('console pages', () => {
  it('maps paths to pages', () => {
    expect(pageOf('/', '')).toEqual({ name: 'overview' });
    expect(pageOf('/devices', '?q=00-1A-2B')).toEqual({ name: 'devices', search: '00-1A-2B' });
    expect(pageOf('/devices', '')).toEqual({ name: 'devices', search: '' });
    expect(pageOf('/nope', '')).toEqual({ name: 'missing', path: '/nope' });
    expect(pageOf('/firmware', '')).toEqual({ name: 'firmware' });
    expect(pageOf('/files', '')).toEqual({ name: 'files' });
    expect(pageOf('/devices/a/b', '')).toEqual({ name: 'missing', path: '/devices/a/b' });
  });

  it('maps the jobs paths, and only a job id to a job', () => {
    expect(pageOf('/jobs', '')).toEqual({ name: 'jobs' });
    expect(pageOf('/jobs/new', '?tag=lobby')).toEqual({ name: 'job-new', query: '?tag=lobby' });
    expect(pageOf('/jobs/0123456789abcdef01234567', '')).toEqual({ name: 'job', id: '0123456789abcdef01234567' });
    expect(pageOf('/jobs/nope', '')).toEqual({ name: 'missing', path: '/jobs/nope' });
  });

  it('round-trips device ids that hold URL escapes of their own', () => {
    const id = '00562B-CP%2D8851%2D3PCC-FCH1234';
    expect(devicePath(id)).toBe('/devices/00562B-CP%252D8851%252D3PCC-FCH1234');
    expect(pageOf(devicePath(id), '')).toEqual({ name: 'device', id });
    expect(pageOf('/devices/%E0%A4%A', '')).toEqual({ name: 'missing', path: '/devices/%E0%A4%A' });
  });
});
