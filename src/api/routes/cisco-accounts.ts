import { accountCodeProblem, type AccountDoc } from '../../accounts';
import type { ProfileEntry } from '../../cisco/profile';
import { normaliseParameters } from '../../profiles/parameters';
import { conflict, invalidField, notFound, ProblemError } from '../problem';
import { defineRoute, parameters, type RouteModule } from '../route';
import { ref } from '../schemas';
import { CONFLICT, NOT_FOUND } from './common';
import { parameterViews } from './cisco';

interface AccountParameter {
  name: string;
  value?: string;
  ua?: ProfileEntry['ua'];
  keep: boolean;
}

const accountParams = parameters({ account: ref('cisco', 'AccountCode') }, ['account']);
const accountResponse = { description: 'The account (secret values never shown) and the phone bound to it.', schema: ref('cisco', 'Account') };

function accountView(a: AccountDoc): Record<string, unknown> {
  return {
    account: a._id,
    parameters: parameterViews(a.parameters),
    revision: a.revision,
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
    updatedBy: a.updatedBy,
    phone: a.phone ?? null,
  };
}

function checkCode(code: string): void {
  const problem = accountCodeProblem(code);
  if (problem) throw invalidField('path', 'account', problem);
}

/** The account's line settings, checked as a profile's parameters are; Profile_Rule is the ACS's. */
function lineSettings(input: AccountParameter[]): ProfileEntry[] {
  const rule = input.findIndex((p) => p.name === 'Profile_Rule');
  if (rule >= 0) throw invalidField('body', `parameters.${rule}.name`, 'Profile_Rule is set by the ACS: the permanent /cisco-init URL the bound phone resyncs to (001 L366-368)', 422);
  const { entries, problems } = normaliseParameters(input);
  if (problems.length) {
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
    throw new ProblemError(422, 'invalid-parameters', `account parameters refused: ${problems[0].message}${more}`, problems.slice(0, 50).map((p) => ({ in: 'body' as const, field: p.name, message: p.message })));
  }
  return entries;
}

/**
 * Retail accounts (001 L345-377; S18): the line settings a customer's phone gets once it
 * resynced to `/cisco-init/<account>` on the fs role, which binds it by its client
 * certificate; undoing a binding lets the phone (or another) bind again.
 */
export const ciscoAccountRoutes: RouteModule = (s) => {
  const { accounts } = s;
  return [
    defineRoute<{ account: string }, Record<string, never>, { parameters: AccountParameter[] }>({
      method: 'PUT',
      path: '/cisco/accounts/{account}',
      operationId: 'putCiscoAccount',
      summary: "Create a retail account or replace its line settings",
      description:
        'The phone that resyncs to `https://<fs>/cisco-init/<account>` with its client certificate is bound to the account and gets these parameters with a `Profile_Rule` pointing at the permanent `https://<fs>/cisco-init`. Every parameter is checked against the catalogue; when one is wrong nothing is stored and each wrong one is named. The binding stays.',
      tag: 'cisco',
      role: 'operator',
      audit: 'account.put',
      params: accountParams,
      body: { schema: ref('cisco', 'AccountReplace') },
      responses: { 200: accountResponse, 201: accountResponse, 422: { description: 'A parameter is refused (each one named).' } },
      async handle({ params, body, actor }) {
        checkCode(params.account);
        const { account, created } = await accounts.put(params.account, lineSettings(body.parameters), actor.name);
        return { status: created ? 201 : 200, body: accountView(account), audit: { details: { parameters: account.parameters.length, revision: account.revision } } };
      },
    }),

    defineRoute<{ account: string }>({
      method: 'GET',
      path: '/cisco/accounts/{account}',
      operationId: 'getCiscoAccount',
      summary: 'A retail account and the phone bound to it',
      tag: 'cisco',
      role: 'viewer',
      params: accountParams,
      responses: { 200: accountResponse, 404: NOT_FOUND },
      async handle({ params }) {
        checkCode(params.account);
        const account = await accounts.get(params.account);
        if (!account) throw notFound(`account ${params.account}`);
        return { body: accountView(account) };
      },
    }),

    defineRoute<{ account: string }>({
      method: 'DELETE',
      path: '/cisco/accounts/{account}',
      operationId: 'deleteCiscoAccount',
      summary: 'Delete a retail account and its binding (its phone then gets 404 at /cisco-init)',
      tag: 'cisco',
      role: 'operator',
      audit: 'account.delete',
      params: accountParams,
      responses: { 204: { description: 'Deleted.' }, 404: NOT_FOUND },
      async handle({ params }) {
        checkCode(params.account);
        if (!(await accounts.delete(params.account))) throw notFound(`account ${params.account}`);
        return { status: 204 };
      },
    }),

    defineRoute<{ account: string }>({
      method: 'DELETE',
      path: '/cisco/accounts/{account}/binding',
      operationId: 'unbindCiscoAccount',
      summary: 'Undo the binding of the phone to the account',
      description: 'The phone then gets 404 at `/cisco-init` until it binds again; it may bind to another account, and another phone to this one.',
      tag: 'cisco',
      role: 'operator',
      audit: 'account.unbind',
      params: accountParams,
      responses: { 200: accountResponse, 404: NOT_FOUND, 409: CONFLICT },
      async handle({ params }) {
        checkCode(params.account);
        const outcome = await accounts.unbind(params.account);
        if ('refused' in outcome) {
          if (outcome.refused === 'unknown-account') throw notFound(`account ${params.account}`);
          throw conflict(`account ${params.account} is bound to no phone`);
        }
        const account = await accounts.get(params.account);
        if (!account) throw notFound(`account ${params.account}`);
        return { body: accountView(account), audit: { details: { mac: outcome.unbound.mac, boundAt: outcome.unbound.boundAt } } };
      },
    }),
  ];
};
