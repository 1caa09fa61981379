import { loadCatalogue, searchCatalogue } from '../../cisco/catalogue';
import type { ProfileEntry } from '../../cisco/profile';
import type { FileKind } from '../../files';
import { queueCaDownload, queueConfigDownload, queueFirmwareDownload, redactEntries, type DeliverySettings, type DesiredConfig, type DownloadFlowDeps } from '../../provisioning';
import { invalidField, notFound } from '../problem';
import { defineRoute, parameters, type RouteModule } from '../route';
import { ref } from '../schemas';
import { taskView } from '../views';
import { CONFLICT, deviceIdSchema, NOT_FOUND } from './common';
import { asProblem } from './files';
import { expiry } from './tasks';

interface DesiredParameter {
  name: string;
  value?: string;
  ua?: ProfileEntry['ua'];
  keep: boolean;
}

interface DownloadRequest {
  kind: FileKind;
  fileId?: string;
  force: boolean;
  connectionRequest: boolean;
  expiresIn?: number;
}

export const deviceParams = parameters({ id: deviceIdSchema }, ['id']);
const productClassSchema = ref('files', 'ProductClass');
const versionSchema = { type: 'string', minLength: 1, maxLength: 128, pattern: '^[\\x21-\\x7e]+$' };
export const desiredResponse = { description: 'The desired configuration (secret values never shown).', schema: ref('cisco', 'DesiredConfig') };

/** API entries -> profile entries; `keep` is the self-closing "leave the user's value" form. */
function toEntries(list: DesiredParameter[], field: string): ProfileEntry[] {
  return list.map((p, i) => {
    if (p.keep && p.value) throw invalidField('body', `${field}.${i}.value`, 'must be empty when keep is true (the phone keeps its own value)');
    return { name: p.name, value: p.keep ? '' : (p.value ?? ''), ...(p.ua ? { ua: p.ua } : {}), ...(p.keep ? { selfClosing: true as const } : {}) };
  });
}

/** Parameters as the API shows them: secret values never. */
export function parameterViews(entries: ProfileEntry[]): Array<Record<string, unknown>> {
  const redacted = redactEntries(entries);
  return entries.map((e, i) => ({
    name: e.name,
    ...(redacted[i].value !== e.value ? { secret: true } : { value: e.value }),
    ...(e.ua ? { ua: e.ua } : {}),
    ...(e.selfClosing ? { keep: true } : {}),
  }));
}

export function desiredView(config: DesiredConfig): Record<string, unknown> {
  return {
    parameters: parameterViews(config.entries),
    delivery: config.delivery,
    revision: config.revision,
    updatedAt: config.updatedAt,
  };
}

/**
 * Cisco MPP provisioning: a device's desired parameters (what its rendered profile carries),
 * its MAC (how phones are found on the fs role), what it reported, the Download flows, mapping
 * overrides per product class and learned data models.
 */
export const ciscoRoutes: RouteModule = (s) => {
  const { desired, macs, reports, mappings, discovery } = s;
  const flows: DownloadFlowDeps = {
    tasks: s.dispatcher,
    devices: s.devices,
    files: s.files,
    // The same key the fs role checks signatures with (ACS_SECRET, else the stored one).
    signer: s.signer,
    desired: s.effective,
    urlWindowSeconds: s.config.fs.urlWindowSeconds,
    caFileType: s.config.fs.caFileType,
  };
  const requireDevice = async (id: string) => {
    if (!(await s.devices.get(id, { _id: 1 }))) throw notFound(`device ${id}`);
  };

  return [
    defineRoute<{ id: string }>({
      method: 'GET',
      path: '/devices/{id}/cisco/desired',
      operationId: 'getDesiredCiscoParameters',
      summary: "The device's desired Cisco XML parameters",
      tag: 'cisco',
      role: 'viewer',
      params: deviceParams,
      responses: { 200: desiredResponse, 404: NOT_FOUND },
      async handle({ params }) {
        const config = await desired.get(params.id);
        if (!config) throw notFound(`desired configuration of device ${params.id}`);
        return { body: desiredView(config) };
      },
    }),

    defineRoute<{ id: string }, Record<string, never>, { parameters: DesiredParameter[]; delivery?: Partial<DeliverySettings> }>({
      method: 'PUT',
      path: '/devices/{id}/cisco/desired',
      operationId: 'replaceDesiredCiscoParameters',
      summary: "Replace the device's desired Cisco XML parameters",
      description:
        'Every parameter is checked against the catalogue (name, type, range, rule syntax); when one is wrong nothing is stored and every wrong one is named. The rendered profile is served to the phone by the fs role (its Profile_Rule, or a `configuration` Download).',
      tag: 'cisco',
      role: 'operator',
      audit: 'cisco.desired.replace',
      params: deviceParams,
      body: { schema: ref('cisco', 'DesiredReplace') },
      responses: { 200: desiredResponse, 404: NOT_FOUND },
      async handle({ params, body, actor }) {
        await requireDevice(params.id);
        try {
          const config = await desired.replace(params.id, toEntries(body.parameters, 'parameters'), body.delivery, actor.name);
          return { body: desiredView(config), audit: { details: { parameters: config.entries.length, revision: config.revision } } };
        } catch (err) {
          throw asProblem(err);
        }
      },
    }),

    defineRoute<{ id: string }, Record<string, never>, { set?: DesiredParameter[]; remove?: string[]; delivery?: Partial<DeliverySettings> }>({
      method: 'PATCH',
      path: '/devices/{id}/cisco/desired',
      operationId: 'changeDesiredCiscoParameters',
      summary: 'Set and remove some desired Cisco XML parameters',
      tag: 'cisco',
      role: 'operator',
      audit: 'cisco.desired.change',
      params: deviceParams,
      body: { schema: ref('cisco', 'DesiredChange') },
      responses: { 200: desiredResponse, 404: NOT_FOUND },
      async handle({ params, body, actor }) {
        await requireDevice(params.id);
        try {
          const config = await desired.change(params.id, { set: toEntries(body.set ?? [], 'set'), remove: body.remove ?? [], delivery: body.delivery }, actor.name);
          return { body: desiredView(config), audit: { details: { set: body.set?.map((p) => p.name), remove: body.remove, revision: config.revision } } };
        } catch (err) {
          throw asProblem(err);
        }
      },
    }),

    defineRoute<{ id: string }>({
      method: 'DELETE',
      path: '/devices/{id}/cisco/desired',
      operationId: 'deleteDesiredCiscoParameters',
      summary: "Drop the device's desired Cisco parameters (the fs role then answers 404 to its resyncs)",
      tag: 'cisco',
      role: 'operator',
      audit: 'cisco.desired.delete',
      params: deviceParams,
      responses: { 204: { description: 'Dropped.' }, 404: NOT_FOUND },
      async handle({ params }) {
        if (!(await desired.remove(params.id))) throw notFound(`desired configuration of device ${params.id}`);
        return {};
      },
    }),

    defineRoute<{ id: string }, Record<string, never>, { mac: string }>({
      method: 'PUT',
      path: '/devices/{id}/mac',
      operationId: 'setDeviceMac',
      summary: "Record the device's MAC address",
      description: 'Phones resyncing or reporting on the fs role are found by their MAC (in the path, the User-Agent or the client certificate).',
      tag: 'cisco',
      role: 'operator',
      audit: 'device.mac',
      params: deviceParams,
      body: { schema: ref('cisco', 'MacAssign') },
      responses: { 200: { description: 'Recorded.', schema: ref('cisco', 'Mac') }, 404: NOT_FOUND },
      async handle({ params, body }) {
        if (!(await macs.assign(params.id, body.mac, 'api'))) throw notFound(`device ${params.id}`);
        const mac = (await s.devices.get(params.id, { mac: 1 }))?.mac;
        return { body: { mac }, audit: { details: { mac } } };
      },
    }),

    defineRoute<{ id: string }>({
      method: 'GET',
      path: '/devices/{id}/cisco/reported',
      operationId: 'getReportedCiscoState',
      summary: "What the phone reported through its Report_Rule (configuration, deltas, status) and --post resyncs",
      tag: 'cisco',
      role: 'viewer',
      params: deviceParams,
      responses: { 200: { description: 'The reported state.', schema: ref('cisco', 'ReportedState') }, 404: NOT_FOUND },
      async handle({ params }) {
        const state = await reports.get(params.id);
        if (!state) throw notFound(`reports of device ${params.id}`);
        return { body: state };
      },
    }),

    defineRoute<{ id: string }, Record<string, never>, DownloadRequest>({
      method: 'POST',
      path: '/devices/{id}/cisco/downloads',
      operationId: 'queueCiscoDownload',
      summary: 'Queue a firmware, configuration or CA file Download',
      description:
        'firmware (`1 Firmware Upgrade Image`): the task succeeds only when the device then reports the image\'s version. configuration (`3 Vendor Configuration File`): the device\'s profile, rendered from its desired parameters when fetched. ca: a custom CA file, with the FileType of ACS_CA_FILE_TYPE. The URL is signed for the device and valid until the task expires plus ACS_FS_URL_WINDOW.',
      tag: 'cisco',
      role: 'operator',
      audit: 'cisco.download',
      params: deviceParams,
      body: { schema: ref('cisco', 'DownloadRequest') },
      responses: { 201: { description: 'Queued.', schema: ref('tasks', 'Task') }, 404: NOT_FOUND, 409: CONFLICT, 422: { description: 'The file does not fit the device or the flow.' } },
      async handle({ params, body, actor }) {
        if (body.kind !== 'configuration' && !body.fileId) throw invalidField('body', 'fileId', `is required for a ${body.kind} download`);
        const options = { expiresAt: expiry(s, body.expiresIn), connectionRequest: body.connectionRequest, createdBy: actor.name, force: body.force };
        try {
          const task =
            body.kind === 'firmware'
              ? await queueFirmwareDownload(flows, params.id, body.fileId!, options)
              : body.kind === 'ca'
                ? await queueCaDownload(flows, params.id, body.fileId!, options)
                : await queueConfigDownload(flows, params.id, options);
          return { status: 201, body: taskView(task), audit: { details: { kind: body.kind, fileId: body.fileId, taskId: task._id } } };
        } catch (err) {
          throw asProblem(err);
        }
      },
    }),

    defineRoute<{ id: string }, Record<string, never>, { expiresIn?: number }>({
      method: 'POST',
      path: '/devices/{id}/cisco/datamodel',
      operationId: 'discoverCiscoDataModel',
      summary: "Learn the data model of the device's product class and firmware",
      description: 'Queues GetParameterNames of the whole tree; once the device answered, GET /cisco/datamodels/{productClass}/{softwareVersion} reports which catalogue parameters it has.',
      tag: 'cisco',
      role: 'operator',
      audit: 'cisco.datamodel.discover',
      params: deviceParams,
      body: { schema: ref('cisco', 'DiscoveryRequest'), required: false },
      responses: { 202: { description: 'Queued.', schema: ref('cisco', 'DataModelSummary') }, 404: NOT_FOUND, 409: CONFLICT },
      async handle({ params, body, actor }) {
        try {
          const { _id, paths, ...model } = await discovery.start(params.id, { expiresAt: expiry(s, body.expiresIn), createdBy: actor.name });
          return { status: 202, body: model, audit: { details: { productClass: model.productClass, softwareVersion: model.softwareVersion, taskId: model.taskId } } };
        } catch (err) {
          throw asProblem(err);
        }
      },
    }),

    defineRoute<Record<string, never>, { q: string; limit: number }>({
      method: 'GET',
      path: '/cisco/catalogue',
      operationId: 'searchCiscoCatalogue',
      summary: 'Find Cisco parameters by XML name, web page label or TR-069 path',
      description: 'Part of a name, label or candidate TR-069 path, any case; exact matches first, then prefixes, then the rest. Each parameter with its type (and allowed values), the sample value (never for secrets) and its TR-069 path.',
      tag: 'cisco',
      role: 'viewer',
      // up to the whole catalogue (about a thousand parameters) in one answer, which the console caches
      query: parameters({ q: { type: 'string', maxLength: 256, default: '' }, limit: { type: 'integer', minimum: 1, maximum: 2000, default: 20 } }),
      responses: { 200: { description: 'The parameters found.', schema: ref('cisco', 'CatalogueSearch') } },
      async handle({ query }) {
        return { body: { items: searchCatalogue(loadCatalogue(), query.q, query.limit) } };
      },
    }),

    defineRoute<Record<string, never>>({
      method: 'GET',
      path: '/cisco/datamodels',
      operationId: 'listCiscoDataModels',
      summary: 'Learned data models, by product class and firmware',
      tag: 'cisco',
      role: 'viewer',
      responses: { 200: { description: 'Every learned model.', schema: ref('cisco', 'DataModelList') } },
      async handle() {
        return { body: { items: await discovery.list() } };
      },
    }),

    defineRoute<{ productClass: string; softwareVersion: string }>({
      method: 'GET',
      path: '/cisco/datamodels/{productClass}/{softwareVersion}',
      operationId: 'getCiscoDataModel',
      summary: 'Which catalogue parameters a learned data model has',
      tag: 'cisco',
      role: 'viewer',
      params: parameters({ productClass: productClassSchema, softwareVersion: versionSchema }, ['productClass', 'softwareVersion']),
      responses: { 200: { description: 'The model and its match against the catalogue.', schema: ref('cisco', 'DataModelReport') }, 404: NOT_FOUND },
      async handle({ params }) {
        try {
          return { body: await discovery.match(params.productClass, params.softwareVersion) };
        } catch (err) {
          throw asProblem(err);
        }
      },
    }),

    defineRoute<Record<string, never>>({
      method: 'GET',
      path: '/cisco/mappings',
      operationId: 'listCiscoMappingOverrides',
      summary: 'XML <-> TR-069 mapping overrides of every product class',
      tag: 'cisco',
      role: 'viewer',
      responses: { 200: { description: 'Overrides by product class.', schema: ref('cisco', 'MappingOverridesByProductClass') } },
      async handle() {
        return { body: await mappings.all() };
      },
    }),

    defineRoute<{ productClass: string }>({
      method: 'GET',
      path: '/cisco/mappings/{productClass}',
      operationId: 'getCiscoMappingOverrides',
      summary: "A product class's mapping overrides (empty: the catalogue's candidates apply)",
      tag: 'cisco',
      role: 'viewer',
      params: parameters({ productClass: productClassSchema }, ['productClass']),
      responses: { 200: { description: 'The overrides.', schema: ref('cisco', 'MappingOverrides') } },
      async handle({ params }) {
        return { body: await mappings.get(params.productClass) };
      },
    }),

    defineRoute<{ productClass: string }, Record<string, never>, Record<string, string | null>>({
      method: 'PUT',
      path: '/cisco/mappings/{productClass}',
      operationId: 'replaceCiscoMappingOverrides',
      summary: "Replace a product class's mapping overrides",
      description: 'Checked as a whole (known names, TR-069 path syntax, `{n}` use, no two parameters on one path); nothing is stored when one entry is wrong.',
      tag: 'cisco',
      role: 'admin',
      audit: 'cisco.mapping.replace',
      params: parameters({ productClass: productClassSchema }, ['productClass']),
      body: { schema: ref('cisco', 'MappingOverrides') },
      responses: { 200: { description: 'Stored.', schema: ref('cisco', 'MappingOverrides') } },
      async handle({ params, body, actor }) {
        try {
          await mappings.replace(params.productClass, body, actor.name);
        } catch (err) {
          throw asProblem(err);
        }
        return { body: await mappings.get(params.productClass), audit: { details: { entries: Object.keys(body).length } } };
      },
    }),

    defineRoute<{ productClass: string }>({
      method: 'DELETE',
      path: '/cisco/mappings/{productClass}',
      operationId: 'deleteCiscoMappingOverrides',
      summary: "Drop a product class's mapping overrides",
      tag: 'cisco',
      role: 'admin',
      audit: 'cisco.mapping.delete',
      params: parameters({ productClass: productClassSchema }, ['productClass']),
      responses: { 204: { description: 'Dropped.' }, 404: NOT_FOUND },
      async handle({ params }) {
        if (!(await mappings.remove(params.productClass))) throw notFound(`mapping overrides of ${params.productClass}`);
        return {};
      },
    }),
  ];
};

