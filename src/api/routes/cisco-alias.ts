import { AliasDocumentError, checkAliasMap, previewAlias } from '../../cisco/profile';
import { invalidField } from '../problem';
import { defineRoute, type RouteModule } from '../route';
import { ref } from '../schemas';

interface AliasPreviewBody {
  map: string;
  document: string;
}

/**
 * `--alias` maps (003 L1210-1255; S21): what a phone sets from a foreign document
 * (`<customer-account>...`) under an alias map, before the map goes into a profile.
 */
export const ciscoAliasRoutes: RouteModule = () => [
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
];
