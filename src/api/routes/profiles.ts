import { loadCatalogue } from '../../cisco/catalogue';
import type { ProfileEntry } from '../../cisco/profile';
import {
  checkSelector,
  hasVariables,
  parametersFromXml,
  ProfileError,
  type DeviceVariablesDoc,
  type ParameterInput,
  type ProfileDoc,
  type ProfileInput,
  type ProfileRevisionDoc,
  type SavedProfile,
  type Partition,
  type Selector,
  type DeviceFacts,
} from '../../profiles';
import type { MatchingDevices } from '../../provisioning';
import { notFound, ProblemError } from '../problem';
import { defineRoute, parameters, type RouteModule } from '../route';
import { ref } from '../schemas';
import { CONFLICT, cursorSchema, deviceIdSchema, limitSchema, NOT_FOUND } from './common';

interface ProfileBody {
  description?: string;
  precedence: number;
  partition?: Partition;
  match: Selector;
  parameters: ParameterInput[];
  ifRevision?: number;
}

interface ImportBody {
  name: string;
  description?: string;
  precedence: number;
  partition?: Partition;
  match: Selector;
  xml: string;
  replace: boolean;
}

const nameParams = parameters({ name: ref('profiles', 'ProfileName') }, ['name']);
const revisionParams = parameters({ name: ref('profiles', 'ProfileName'), revision: { type: 'integer', minimum: 1, maximum: 1e9 } }, ['name', 'revision']);
const deviceParams = parameters({ id: deviceIdSchema }, ['id']);
const UNPROCESSABLE = { description: 'Refused: an unknown parameter, a value of the wrong type, a bad selector (every problem is named).' };
const SAVED = { description: 'Saved, with the conflicts it has with other profiles.', schema: ref('profiles', 'ProfileSaved') };

export function asProfileProblem(err: unknown): unknown {
  if (err instanceof ProfileError) {
    const kind = err.status === 404 ? 'not-found' : err.status === 409 ? 'conflict' : err.status === 422 ? 'invalid-profile' : 'invalid-request';
    return new ProblemError(err.status, kind, err.message, err.problems.length ? err.problems.slice(0, 50).map((p) => ({ in: 'body' as const, field: p.name, message: p.message })) : undefined);
  }
  return err;
}

/** Secret values are shown only as the variable template they are made of (`${sip_password}`), never literally. */
function parameterView(entries: readonly ProfileEntry[]): Array<Record<string, unknown>> {
  const catalogue = loadCatalogue();
  return entries.map((e) => ({
    name: e.name,
    ...(catalogue.get(e.name)?.secret && e.value !== '' && !hasVariables(e.value) ? { secret: true } : { value: e.value }),
    ...(e.ua ? { ua: e.ua } : {}),
    ...(e.selfClosing ? { keep: true } : {}),
  }));
}

function profileView(p: ProfileDoc): Record<string, unknown> {
  return {
    name: p._id,
    revision: p.revision,
    ...(p.description ? { description: p.description } : {}),
    precedence: p.precedence,
    ...(p.partition ? { partition: p.partition } : {}),
    match: p.match,
    parameters: parameterView(p.parameters),
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
    ...(p.updatedBy ? { updatedBy: p.updatedBy } : {}),
  };
}

function revisionView(r: ProfileRevisionDoc): Record<string, unknown> {
  const { _id, savedBy, parameters: params, name, ...rest } = r;
  return { name, ...rest, ...(params ? { parameters: parameterView(params) } : {}), ...(savedBy ? { savedBy } : {}) };
}

function savedView(saved: SavedProfile): Record<string, unknown> {
  return { profile: profileView(saved.profile), conflicts: saved.conflicts, ...(saved.renamed.length ? { renamed: saved.renamed } : {}) };
}

function matchingView(found: MatchingDevices): Record<string, unknown> {
  const device = (d: DeviceFacts) => ({ id: d.deviceId, oui: d.oui, productClass: d.productClass, serialNumber: d.serialNumber, ...(d.softwareVersion ? { softwareVersion: d.softwareVersion } : {}), ...(d.mac ? { mac: d.mac } : {}), tags: d.tags });
  return { count: found.count, complete: found.complete, items: found.items.map(device) };
}

function variablesView(doc: DeviceVariablesDoc): Record<string, unknown> {
  const secret = new Set(doc.secret);
  return {
    variables: Object.fromEntries(Object.entries(doc.values).filter(([k]) => !secret.has(k))),
    secrets: doc.secret,
    revision: doc.revision,
    updatedAt: doc.updatedAt,
    ...(doc.updatedBy ? { updatedBy: doc.updatedBy } : {}),
  };
}

/**
 * Profiles (named desired parameters, the devices they apply to and their precedence), their
 * revisions and conflicts; per device: variables, the effective desired state with where each
 * value came from, drift, the history of changes, and clearing a refused revision.
 */
export const profileRoutes: RouteModule = (s) => {
  const { profiles: store, variables, inspector, history, matching: finder } = s;
  const guarded = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (err) {
      throw asProfileProblem(err);
    }
  };
  const input = (b: ProfileBody | ImportBody, parameters: ParameterInput[]): ProfileInput => ({ ...(b.description ? { description: b.description } : {}), precedence: b.precedence, ...(b.partition ? { partition: b.partition } : {}), match: b.match, parameters });

  return [
    defineRoute<Record<string, never>>({
      method: 'GET',
      path: '/profiles',
      operationId: 'listProfiles',
      summary: 'Every profile',
      tag: 'profiles',
      role: 'viewer',
      responses: { 200: { description: 'The profiles, by name.', schema: ref('profiles', 'ProfileList') } },
      async handle() {
        const items = (await store.list()).map((p) => ({
          name: p._id,
          revision: p.revision,
          ...(p.description ? { description: p.description } : {}),
          precedence: p.precedence,
          ...(p.partition ? { partition: p.partition } : {}),
          match: p.match,
          parameterCount: p.parameters.length,
          updatedAt: p.updatedAt,
          ...(p.updatedBy ? { updatedBy: p.updatedBy } : {}),
        }));
        return { body: { items } };
      },
    }),

    defineRoute<Record<string, never>, Record<string, never>, ProfileBody & { name: string }>({
      method: 'POST',
      path: '/profiles',
      operationId: 'createProfile',
      summary: 'Create a profile',
      description:
        'Parameters by Cisco XML name, by the phone web page label or legacy name (converted to the XML name by the guide rule and listed in `renamed`), or by TR-069 path (the catalogue maps it to its XML parameter); every value is checked against the catalogue and nothing is stored when one is wrong. The answer lists conflicts with other profiles of the same precedence whose selectors can match one device: devices matching both get neither value until one profile changes.',
      tag: 'profiles',
      role: 'operator',
      audit: 'profile.create',
      body: { schema: ref('profiles', 'ProfileCreate') },
      responses: { 201: SAVED, 409: { description: 'A profile of that name exists.' }, 422: UNPROCESSABLE },
      async handle({ body, actor }) {
        const saved = await guarded(() => store.create(body.name, input(body, body.parameters), actor.name));
        return { status: 201, body: savedView(saved), audit: { target: body.name, details: { revision: saved.profile.revision, conflicts: saved.conflicts.length } } };
      },
    }),

    defineRoute<Record<string, never>, Record<string, never>, ImportBody>({
      method: 'POST',
      path: '/profiles/import',
      operationId: 'importProfile',
      summary: 'Create (or replace) a profile from a Cisco XML profile file',
      description: 'Element values and `ua` attributes become the parameters; self-closing elements keep the phone\'s value. Checked like any profile.',
      tag: 'profiles',
      role: 'operator',
      audit: 'profile.import',
      body: { schema: ref('profiles', 'ProfileImport') },
      responses: { 200: SAVED, 201: SAVED, 409: { description: 'A profile of that name exists (set replace).' }, 422: UNPROCESSABLE },
      async handle({ body, actor }) {
        return guarded(async () => {
          const parsed = parametersFromXml(body.xml);
          const exists = body.replace && (await store.get(body.name)) !== undefined;
          const saved = exists ? await store.replace(body.name, input(body, parsed), actor.name) : await store.create(body.name, input(body, parsed), actor.name);
          return { status: exists ? 200 : 201, body: savedView(saved), audit: { target: body.name, details: { revision: saved.profile.revision, parameters: saved.profile.parameters.length } } };
        });
      },
    }),

    defineRoute<Record<string, never>>({
      method: 'GET',
      path: '/profiles/conflicts',
      operationId: 'listProfileConflicts',
      summary: 'Conflicts between profiles',
      description: 'Pairs of profiles of one precedence whose selectors can match one device and that want different things for a parameter.',
      tag: 'profiles',
      role: 'viewer',
      responses: { 200: { description: 'The conflicts.', schema: ref('profiles', 'ProfileConflictList') } },
      async handle() {
        const conflicts = await store.conflicts();
        const selectors = new Map((await store.list()).map((p) => [p._id, p.match]));
        // one device scan per profile involved, however many pairs and parameters
        const pairs = [...new Map(conflicts.map((c) => [c.profiles.join('\n'), c.profiles] as const)).values()];
        const devices = await finder.pairs(pairs, selectors, 10);
        const byPair = new Map(pairs.map((p, i) => [p.join('\n'), devices[i]!]));
        const items = conflicts.map((c) => ({ ...c, devices: matchingView(byPair.get(c.profiles.join('\n'))!) }));
        return { body: { items } };
      },
    }),

    defineRoute<Record<string, never>, Record<string, never>, ProfileBody & { name: string }>({
      method: 'POST',
      path: '/profiles/validate',
      operationId: 'validateProfile',
      summary: 'Check a profile as saving would, storing nothing',
      description: 'The checks of create and replace (every refusal is the same 422 naming each field or parameter); on success the parameters as they would be stored and the conflicts saving would leave. The console checks its form with it before saving.',
      tag: 'profiles',
      role: 'operator',
      body: { schema: ref('profiles', 'ProfileCreate') },
      responses: { 200: { description: 'Nothing wrong.', schema: ref('profiles', 'ProfileValidated') }, 422: UNPROCESSABLE },
      async handle({ body }) {
        const checked = await guarded(() => store.dryRun(body.name, input(body, body.parameters)));
        return { body: { parameters: parameterView(checked.content.parameters), conflicts: checked.conflicts, ...(checked.renamed.length ? { renamed: checked.renamed } : {}) } };
      },
    }),

    defineRoute<Record<string, never>, Record<string, never>, { xml: string }>({
      method: 'POST',
      path: '/profiles/import/preview',
      operationId: 'previewProfileImport',
      summary: 'The parameters of a Cisco XML profile file, storing nothing',
      description: 'Read by the same flat-profile codec as POST /profiles/import. The values come back as the file holds them (secrets too: the file came from the caller), to be edited and saved as a profile.',
      tag: 'profiles',
      role: 'operator',
      body: { schema: ref('profiles', 'ImportPreviewRequest') },
      responses: { 200: { description: "The file's parameters.", schema: ref('profiles', 'ImportPreview') }, 422: { description: 'The file is not a readable XML profile.' } },
      async handle({ body }) {
        return { body: { parameters: await guarded(async () => parametersFromXml(body.xml)) } };
      },
    }),

    defineRoute<Record<string, never>, Record<string, never>, { match: Selector; limit: number }>({
      method: 'POST',
      path: '/profiles/matches',
      operationId: 'previewProfileMatches',
      summary: 'The devices a selector matches',
      description: 'How many devices a (saved or not yet saved) selector matches, and the first ones by id; the count stops at a scan limit over large fleets (`complete` false).',
      tag: 'profiles',
      role: 'viewer',
      body: { schema: ref('profiles', 'MatchRequest') },
      responses: { 200: { description: 'The matching devices.', schema: ref('profiles', 'MatchingDevices') }, 422: UNPROCESSABLE },
      async handle({ body }) {
        const checked = checkSelector(body.match);
        if (checked.problems.length) throw new ProblemError(422, 'invalid-profile', `selector refused: ${checked.problems[0]}`, checked.problems.map((message) => ({ in: 'body' as const, field: 'match', message })));
        return { body: matchingView(await finder.find([checked.selector], body.limit)) };
      },
    }),

    defineRoute<{ name: string }>({
      method: 'GET',
      path: '/profiles/{name}',
      operationId: 'getProfile',
      summary: 'One profile',
      tag: 'profiles',
      role: 'viewer',
      params: nameParams,
      responses: { 200: { description: 'The profile (secret values never shown).', schema: ref('profiles', 'Profile') }, 404: NOT_FOUND },
      async handle({ params }) {
        const p = await store.get(params.name);
        if (!p) throw notFound(`profile ${params.name}`);
        return { body: profileView(p) };
      },
    }),

    defineRoute<{ name: string }, Record<string, never>, ProfileBody>({
      method: 'PUT',
      path: '/profiles/{name}',
      operationId: 'replaceProfile',
      summary: 'Replace a profile (a new revision)',
      tag: 'profiles',
      role: 'operator',
      audit: 'profile.replace',
      params: nameParams,
      body: { schema: ref('profiles', 'ProfileBody') },
      responses: { 200: SAVED, 404: NOT_FOUND, 409: CONFLICT, 422: UNPROCESSABLE },
      async handle({ params, body, actor }) {
        const saved = await guarded(() => store.replace(params.name, input(body, body.parameters), actor.name, body.ifRevision));
        return { body: savedView(saved), audit: { details: { revision: saved.profile.revision, conflicts: saved.conflicts.length } } };
      },
    }),

    defineRoute<{ name: string }>({
      method: 'DELETE',
      path: '/profiles/{name}',
      operationId: 'deleteProfile',
      summary: 'Delete a profile (its revisions are kept)',
      tag: 'profiles',
      role: 'operator',
      audit: 'profile.delete',
      params: nameParams,
      responses: { 204: { description: 'Deleted.' }, 404: NOT_FOUND, 409: CONFLICT },
      async handle({ params, actor }) {
        await guarded(() => store.delete(params.name, actor.name));
        return {};
      },
    }),

    defineRoute<{ name: string }>({
      method: 'GET',
      path: '/profiles/{name}/revisions',
      operationId: 'listProfileRevisions',
      summary: "A profile's saved revisions, newest first",
      tag: 'profiles',
      role: 'viewer',
      params: nameParams,
      responses: { 200: { description: 'The revisions.', schema: ref('profiles', 'ProfileRevisionList') }, 404: NOT_FOUND },
      async handle({ params }) {
        const items = await store.history(params.name);
        if (!items.length) throw notFound(`profile ${params.name}`);
        return { body: { items: items.map((r) => revisionView(r)) } };
      },
    }),

    defineRoute<{ name: string; revision: number }>({
      method: 'GET',
      path: '/profiles/{name}/revisions/{revision}',
      operationId: 'getProfileRevision',
      summary: 'One saved revision of a profile',
      tag: 'profiles',
      role: 'viewer',
      params: revisionParams,
      responses: { 200: { description: 'The revision.', schema: ref('profiles', 'ProfileRevision') }, 404: NOT_FOUND },
      async handle({ params }) {
        const r = await store.revision(params.name, params.revision);
        if (!r) throw notFound(`revision ${params.revision} of profile ${params.name}`);
        return { body: revisionView(r) };
      },
    }),

    defineRoute<{ name: string; revision: number }, Record<string, never>, { ifRevision?: number }>({
      method: 'POST',
      path: '/profiles/{name}/revisions/{revision}/restore',
      operationId: 'restoreProfileRevision',
      summary: "Save an earlier revision's content as a new revision",
      description: 'Checked again like any save; a deleted profile comes back.',
      tag: 'profiles',
      role: 'operator',
      audit: 'profile.restore',
      params: revisionParams,
      body: { schema: ref('profiles', 'RestoreRequest'), required: false },
      responses: { 200: SAVED, 404: NOT_FOUND, 409: CONFLICT, 422: UNPROCESSABLE },
      async handle({ params, body, actor }) {
        const saved = await guarded(() => store.restore(params.name, params.revision, actor.name, body.ifRevision));
        return { body: savedView(saved), audit: { details: { from: params.revision, revision: saved.profile.revision } } };
      },
    }),

    // ---------------------------------------------------------------- per device

    defineRoute<{ id: string }>({
      method: 'GET',
      path: '/devices/{id}/provisioning',
      operationId: 'getEffectiveDesiredState',
      summary: "The device's effective desired state, where each value came from, and how it travels",
      tag: 'provisioning',
      role: 'viewer',
      params: deviceParams,
      responses: { 200: { description: 'The effective desired state.', schema: ref('profiles', 'EffectiveState') }, 404: NOT_FOUND },
      async handle({ params }) {
        const view = await inspector.view(params.id);
        if (!view) throw notFound(`device ${params.id}`);
        return { body: view };
      },
    }),

    defineRoute<{ id: string }>({
      method: 'DELETE',
      path: '/devices/{id}/provisioning/failure',
      operationId: 'clearProvisioningFailure',
      summary: 'Forget that the device refused its desired state: it is tried again at its next Inform',
      tag: 'provisioning',
      role: 'operator',
      audit: 'provisioning.retry',
      params: deviceParams,
      responses: { 204: { description: 'Cleared.' }, 404: NOT_FOUND },
      async handle({ params }) {
        const cleared = await s.devices.updateFields(params.id, { unset: ['provision.failed'] }, { 'provision.failed': { $exists: true } } as never);
        if (!cleared) throw notFound(`provisioning failure of device ${params.id}`);
        return {};
      },
    }),

    defineRoute<{ id: string }>({
      method: 'GET',
      path: '/devices/{id}/drift',
      operationId: 'getDrift',
      summary: 'Where what the device reported differs from its desired state',
      description: 'Reported values are those learned over TR-069 and, for parameters without a TR-069 path, the phone\'s last configuration report. Secrets are never compared or shown.',
      tag: 'provisioning',
      role: 'viewer',
      params: deviceParams,
      responses: { 200: { description: 'Per parameter: in-sync, drift or unknown.', schema: ref('profiles', 'Drift') }, 404: NOT_FOUND },
      async handle({ params }) {
        const drift = await inspector.drift(params.id);
        if (!drift) throw notFound(`device ${params.id}`);
        return { body: drift };
      },
    }),

    defineRoute<{ id: string }, { limit: number; cursor?: string }>({
      method: 'GET',
      path: '/devices/{id}/history',
      operationId: 'listProvisioningHistory',
      summary: 'Changes provisioning made to the device, newest first',
      tag: 'provisioning',
      role: 'viewer',
      params: deviceParams,
      query: parameters({ limit: limitSchema, cursor: cursorSchema }),
      responses: { 200: { description: 'A page of changes.', schema: ref('profiles', 'HistoryPage') } },
      async handle({ params, query }) {
        const before = query.cursor ? Buffer.from(query.cursor, 'base64url').toString('utf8') : undefined;
        if (before !== undefined && !/^[0-9a-f]{24}$/.test(before)) throw new ProblemError(400, 'invalid-request', 'query parameter "cursor" is not a cursor this API issued', [{ in: 'query', field: 'cursor', message: 'is not a cursor this API issued' }]);
        const page = await history.list(params.id, query.limit, before);
        return {
          body: {
            items: page.items.map(({ _id, deviceId: _d, ...rest }) => ({ id: _id, ...rest })),
            nextCursor: page.next ? Buffer.from(page.next, 'utf8').toString('base64url') : null,
          },
        };
      },
    }),

    defineRoute<{ id: string }>({
      method: 'GET',
      path: '/devices/{id}/variables',
      operationId: 'getDeviceVariables',
      summary: "The device's variables (secret ones by name only)",
      tag: 'provisioning',
      role: 'viewer',
      params: deviceParams,
      responses: { 200: { description: 'The variables.', schema: ref('profiles', 'Variables') }, 404: NOT_FOUND },
      async handle({ params }) {
        const doc = await variables.get(params.id);
        if (!doc) throw notFound(`variables of device ${params.id}`);
        return { body: variablesView(doc) };
      },
    }),

    defineRoute<{ id: string }, Record<string, never>, { variables: Record<string, string>; secrets: Record<string, string> }>({
      method: 'PUT',
      path: '/devices/{id}/variables',
      operationId: 'replaceDeviceVariables',
      summary: "Replace the device's variables (`${name}` in profiles)",
      description: 'The device need not have informed yet: variables prepared before a phone first boots are used at its BOOTSTRAP.',
      tag: 'provisioning',
      role: 'operator',
      audit: 'provisioning.variables',
      params: deviceParams,
      body: { schema: ref('profiles', 'VariablesReplace') },
      responses: { 200: { description: 'Stored.', schema: ref('profiles', 'Variables') }, 422: UNPROCESSABLE },
      async handle({ params, body, actor }) {
        const doc = await guarded(() => variables.replace(params.id, body.variables, body.secrets, actor.name));
        return { body: variablesView(doc), audit: { details: { variables: Object.keys(body.variables), secrets: Object.keys(body.secrets) } } };
      },
    }),

    defineRoute<{ id: string }>({
      method: 'DELETE',
      path: '/devices/{id}/variables',
      operationId: 'deleteDeviceVariables',
      summary: "Drop the device's variables",
      tag: 'provisioning',
      role: 'operator',
      audit: 'provisioning.variables.delete',
      params: deviceParams,
      responses: { 204: { description: 'Dropped.' }, 404: NOT_FOUND },
      async handle({ params }) {
        if (!(await variables.remove(params.id))) throw notFound(`variables of device ${params.id}`);
        return {};
      },
    }),
  ];
};
