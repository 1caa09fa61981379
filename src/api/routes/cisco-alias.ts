import { AliasDocumentError, aliasRules, checkAliasMap, previewAlias } from '../../cisco/profile';
import { dialectFor } from '../../cisco/rules';
import { aliasDocument, aliasMapOf, desiredValues, expandEntries, secretNames } from '../../provisioning';
import { invalidField, notFound } from '../problem';
import { defineRoute, type RouteModule } from '../route';
import { ref } from '../schemas';
import { NOT_FOUND } from './common';
import { deviceParams } from './cisco';

interface AliasPreviewBody {
  map: string;
  document: string;
}

/**
 * `--alias` maps (003 L1210-1255; S21): what a phone sets from a foreign document
 * (`<customer-account>...`) under an alias map, before the map goes into a profile.
 */
export const ciscoAliasRoutes: RouteModule = (s) => {
  const desired = s.effective;
  return [
    defineRoute<Record<string, never>, Record<string, never>, AliasPreviewBody>({
      method: 'POST',
      path: '/cisco/alias-preview',
      operationId: 'previewCiscoAlias',
      summary: 'Preview what a phone sets from a document under an alias map',
      description:
        'The map as a GPP register holds it (`/customer-account/SIP-number = /flat-profile/User_ID_1_ ;`, at most 30 entries, known parameters only); each element whose path ends with an alias gives its trimmed text to the parameter.',
      tag: 'cisco',
      role: 'viewer',
      body: { schema: ref('cisco', 'AliasPreviewRequest') },
      responses: { 200: { description: 'The values the phone would set.', schema: ref('cisco', 'AliasPreview') }, 422: { description: 'The map or the document is refused (the reason is named).' } },
      async handle({ body }) {
        const checked = checkAliasMap(body.map);
        if ('problem' in checked) throw invalidField('body', 'map', checked.problem, 422);
        try {
          return { body: previewAlias(checked.entries, body.document) };
        } catch (err) {
          if (err instanceof AliasDocumentError) throw invalidField('body', 'document', err.message, 422);
          throw err;
        }
      },
    }),

    defineRoute<{ id: string }>({
      method: 'GET',
      path: '/devices/{id}/cisco/alias-preview',
      operationId: 'previewDeviceCiscoAlias',
      summary: 'What the phone sets from each alias document the fs role serves it',
      description:
        "For each Profile_Rule* alternative with `--alias`, the document the fs role serves at its URL (`<customer-account>...`, built from the alias map among the device's desired parameters) read back as the phone does: the values it sets (secret ones flagged, never shown) and the aliases the document does not fill (their parameter has no desired value). A map the fs role cannot serve is named with its problem.",
      tag: 'cisco',
      role: 'viewer',
      params: deviceParams,
      responses: { 200: { description: 'One entry per --alias rule.', schema: ref('cisco', 'DeviceAliasPreview') }, 404: NOT_FOUND },
      async handle({ params }) {
        const [device, config] = await Promise.all([s.devices.get(params.id, { deviceId: 1, mac: 1, softwareVersion: 1, hardwareVersion: 1, remoteAddress: 1 }), desired.get(params.id)]);
        if (!device) throw notFound(`device ${params.id}`);
        if (!config) throw notFound(`desired configuration of device ${params.id}`);
        const values = desiredValues(config.entries);
        const entries = expandEntries(
          { deviceId: params.id, productClass: device.deviceId.productClass, serialNumber: device.deviceId.serialNumber, mac: device.mac, softwareVersion: device.softwareVersion, hardwareVersion: device.hardwareVersion, ip: device.remoteAddress },
          config.entries,
        );
        const secret = secretNames(config.entries);
        const documents = aliasRules(new Map(Object.entries(values)), dialectFor(device.deviceId.productClass ? [device.deviceId.productClass] : undefined)).map(({ rule, letter }) => {
          const map = aliasMapOf(rule, letter, values);
          if ('problem' in map) return { rule, register: map.register, problem: map.problem };
          const preview = previewAlias(map.entries, aliasDocument(map, entries));
          return { rule, register: map.register, values: preview.values.map((v) => (secret.has(v.parameter) ? { parameter: v.parameter, element: v.element, secret: true } : v)), unmatched: preview.unmatched };
        });
        return { body: { documents } };
      },
    }),
  ];
};
