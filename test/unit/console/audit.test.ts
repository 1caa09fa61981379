import { auditQuery } from '../../../src/console/app/lib/audit';

describe('audit filter query', () => {
  it('leaves blanks out and trims', () => {
    expect(auditQuery({ actor: ' alice ', action: '', target: '  ' })).toEqual({ actor: 'alice' });
  });
  it('sends local times as UTC instants', () => {
    const q = auditQuery({ from: '2026-03-01T10:00:00', to: '2026-03-01T11:30:00' });
    expect(q.from).toBe(new Date('2026-03-01T10:00:00').toISOString());
    expect(Date.parse(q.to!) - Date.parse(q.from!)).toBe(90 * 60_000);
  });
  it('passes an unreadable time through for the API to name', () => {
    expect(auditQuery({ from: 'yesterday' })).toEqual({ from: 'yesterday' });
  });
});
