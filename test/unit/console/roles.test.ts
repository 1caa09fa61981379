import { canCall, operationRoles, roleAllows } from '../../../src/console/app/lib/roles';

describe('console role visibility', () => {
  const doc = {
    paths: {
      '/devices/{id}/tasks': { post: { operationId: 'createTask', 'x-acs-role': 'operator' }, get: { operationId: 'listDeviceTasks', 'x-acs-role': 'viewer' } },
      '/tokens': { post: { operationId: 'createToken', 'x-acs-role': 'admin' } },
    },
  };
  const roles = operationRoles(doc);

  it('reads the weakest role of each operation from the OpenAPI document', () => {
    expect(roles).toEqual({ createTask: 'operator', listDeviceTasks: 'viewer', createToken: 'admin' });
  });

  it('shows an operation only to roles at least as strong as its own', () => {
    expect(canCall(roles, 'viewer', 'listDeviceTasks')).toBe(true);
    expect(canCall(roles, 'viewer', 'createTask')).toBe(false);
    expect(canCall(roles, 'operator', 'createTask')).toBe(true);
    expect(canCall(roles, 'operator', 'createToken')).toBe(false);
    expect(canCall(roles, 'admin', 'createToken')).toBe(true);
  });

  it('refuses unknown operations and signed-out users', () => {
    expect(canCall(roles, 'admin', 'noSuchOperation')).toBe(false);
    expect(canCall(roles, undefined, 'listDeviceTasks')).toBe(false);
    expect(roleAllows(undefined, 'viewer')).toBe(false);
  });

});
