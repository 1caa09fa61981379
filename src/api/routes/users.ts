import type { ApiRole } from '../../auth';
import { generatePassword, UserExistsError, userView, type UserDoc, type UserStore } from '../../users';
import { API_PREFIX } from '../openapi';
import { conflict, notFound } from '../problem';
import { defineRoute, parameters, type RouteModule } from '../route';
import { ref } from '../schemas';
import { NOT_FOUND } from './common';

const nameParam = parameters({ name: ref('console', 'UserName') }, ['name']);

/** Console users: admin only. Passwords are never shown, except a generated one, once. */
export const userRoutes: RouteModule = (s) => [
  defineRoute({
    method: 'GET',
    path: '/users',
    operationId: 'listUsers',
    summary: 'Console users',
    tag: 'users',
    role: 'admin',
    responses: { 200: { description: 'Every user, disabled ones included.', schema: ref('console', 'UserList') } },
    async handle() {
      return { body: { items: (await s.users.list()).map(userView) } };
    },
  }),

  defineRoute<Record<string, never>, Record<string, never>, { name: string; role: ApiRole; password?: string }>({
    method: 'POST',
    path: '/users',
    operationId: 'createUser',
    summary: 'Create a console user (a generated password is shown once)',
    tag: 'users',
    role: 'admin',
    audit: 'user.create',
    body: { schema: ref('console', 'UserCreate') },
    responses: { 201: { description: 'Created.', schema: ref('console', 'UserCreated') }, 409: { description: 'A user of that name exists.' } },
    async handle({ body, actor }) {
      const password = body.password ?? generatePassword();
      let doc: UserDoc;
      try {
        doc = await s.users.create({ name: body.name, role: body.role, password, createdBy: actor.name });
      } catch (err) {
        if (err instanceof UserExistsError) throw conflict(err.message);
        throw err;
      }
      return {
        status: 201,
        headers: { Location: `${API_PREFIX}/users/${doc._id}` },
        body: { user: userView(doc), ...(body.password === undefined ? { password } : {}) },
        audit: { target: doc._id, details: { role: doc.role } },
      };
    },
  }),

  defineRoute<{ name: string }, Record<string, never>, { role?: ApiRole; disabled?: boolean }>({
    method: 'PATCH',
    path: '/users/{name}',
    operationId: 'updateUser',
    summary: 'Change a user\'s role or disable/enable them (takes effect on their next request)',
    tag: 'users',
    role: 'admin',
    audit: 'user.update',
    params: nameParam,
    body: { schema: ref('console', 'UserChange') },
    responses: { 200: { description: 'The user as changed.', schema: ref('console', 'User') }, 404: NOT_FOUND, 409: { description: 'The change would leave no enabled admin.' } },
    async handle({ params, body }) {
      await keepAnAdmin(s.users, params.name, body);
      const doc = await s.users.update(params.name, body);
      if (!doc) throw notFound(`user ${params.name}`);
      return { body: userView(doc), audit: { details: body } };
    },
  }),

  defineRoute<{ name: string }, Record<string, never>, { password?: string }>({
    method: 'POST',
    path: '/users/{name}/password',
    operationId: 'resetUserPassword',
    summary: 'Set or generate a user\'s password; their sessions end',
    tag: 'users',
    role: 'admin',
    audit: 'user.password',
    params: nameParam,
    body: { schema: ref('console', 'PasswordReset'), required: false },
    responses: {
      200: { description: 'A password was generated: shown this once.', schema: ref('console', 'PasswordGenerated') },
      204: { description: 'The password given was set.' },
      404: NOT_FOUND,
    },
    async handle({ params, body }) {
      const password = body.password ?? generatePassword();
      if (!(await s.users.setPassword(params.name, password))) throw notFound(`user ${params.name}`);
      return body.password === undefined ? { body: { password } } : {};
    },
  }),
];

/** Refuses to demote or disable the last enabled admin: nobody could manage users afterwards. */
async function keepAnAdmin(users: UserStore, name: string, change: { role?: ApiRole; disabled?: boolean }): Promise<void> {
  if ((change.role === undefined || change.role === 'admin') && change.disabled !== true) return;
  const admins = (await users.list()).filter((u) => u.role === 'admin' && !u.disabled);
  if (admins.length === 1 && admins[0]._id === name) throw conflict(`${name} is the last enabled admin; make another admin first`);
}
