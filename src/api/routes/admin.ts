import type { ApiRole } from '../../auth';
import { API_PREFIX } from '../openapi';
import { decodeCursor, toPage } from '../pagination';
import { notFound, ProblemError } from '../problem';
import { defineRoute, parameters, type RouteModule } from '../route';
import { ref } from '../schemas';
import { auditView, tokenView } from '../views';
import { cursorSchema, limitSchema, NOT_FOUND } from './common';

/** API tokens and the audit log: admin only. */
export const adminRoutes: RouteModule = (s) => [
  defineRoute<Record<string, never>, Record<string, never>, { name: string; role: ApiRole }>({
    method: 'POST',
    path: '/tokens',
    operationId: 'createToken',
    summary: 'Create an API token (shown once)',
    tag: 'admin',
    role: 'admin',
    audit: 'token.create',
    body: { schema: ref('admin', 'TokenCreate') },
    responses: { 201: { description: 'Created; `token` is never shown again.', schema: ref('admin', 'TokenCreated') } },
    async handle({ body, actor }) {
      const { token, doc } = await s.tokens.create({ name: body.name, role: body.role, createdBy: actor.name });
      return {
        status: 201,
        headers: { Location: `${API_PREFIX}/tokens/${doc._id}` },
        body: { ...tokenView(doc), token },
        audit: { target: doc._id, details: { name: doc.name, role: doc.role } },
      };
    },
  }),

  defineRoute<Record<string, never>>({
    method: 'GET',
    path: '/tokens',
    operationId: 'listTokens',
    summary: 'API tokens (without their secrets)',
    tag: 'admin',
    role: 'admin',
    responses: { 200: { description: 'Every token, revoked ones included.', schema: ref('admin', 'TokenList') } },
    async handle() {
      return { body: { items: (await s.tokens.list()).map(tokenView) } };
    },
  }),

  defineRoute<{ tokenId: string }>({
    method: 'DELETE',
    path: '/tokens/{tokenId}',
    operationId: 'revokeToken',
    summary: 'Revoke a token; it is refused from the next request on',
    tag: 'admin',
    role: 'admin',
    audit: 'token.revoke',
    params: parameters({ tokenId: { type: 'string', pattern: '^[0-9a-f]{16}$' } }, ['tokenId']),
    responses: { 204: { description: 'Revoked.' }, 404: NOT_FOUND },
    async handle({ params }) {
      if (!(await s.tokens.revoke(params.tokenId))) throw notFound(`active token ${params.tokenId}`);
      return {};
    },
  }),

  defineRoute<Record<string, never>, { actor?: string; action?: string; target?: string; from?: string; to?: string; limit: number; cursor?: string }>({
    method: 'GET',
    path: '/audit',
    operationId: 'listAudit',
    summary: 'The audit log, newest first: who did what, when, to what',
    tag: 'admin',
    role: 'admin',
    query: parameters({
      actor: { type: 'string', minLength: 1, maxLength: 128, description: 'a token id, or the name of a token, a user or a tried sign-in' },
      action: { type: 'string', maxLength: 64, description: 'e.g. job.create' },
      target: { type: 'string', maxLength: 512, description: 'device, task, job or token id' },
      from: { type: 'string', format: 'date-time', description: 'entries at or after this time' },
      to: { type: 'string', format: 'date-time', description: 'entries before this time' },
      limit: limitSchema,
      cursor: cursorSchema,
    }),
    responses: { 200: { description: 'A page of audit entries.', schema: ref('admin', 'AuditPage') } },
    async handle({ query }) {
      const before = query.cursor ? (decodeCursor(query.cursor, ['string'])[0] as string) : undefined;
      const from = query.from ? new Date(query.from) : undefined;
      const to = query.to ? new Date(query.to) : undefined;
      if (from && to && from >= to) throw new ProblemError(400, 'invalid-request', 'query parameter to must be after from', [{ in: 'query', field: 'to', message: 'must be after from' }]);
      const rows = await s.audit.list({ actor: query.actor, action: query.action, target: query.target, from, to, before, limit: query.limit });
      return { body: toPage(rows, query.limit, auditView, (a) => [a._id]) };
    },
  }),
];
