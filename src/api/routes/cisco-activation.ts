import { activationEntries, ActivationError } from '../../provisioning/render/activation';
import { invalidField, notFound } from '../problem';
import { defineRoute, type RouteModule } from '../route';
import { ref } from '../schemas';
import { NOT_FOUND } from './common';
import { desiredResponse, desiredView, deviceParams } from './cisco';
import { asProblem } from './files';

interface ActivationBody {
  upgradeRule?: string;
  upgradeErrorRetryDelay?: number;
  userPassword?: string;
}

/**
 * Activation-code onboarding (001 L477-508; S25): the guide's `gds://` profile set among the
 * device's own desired parameters, which then reach it like any (its resync, BOOTSTRAP).
 */
export const ciscoActivationRoutes: RouteModule = (s) => {
  const { desired } = s;
  return [
    defineRoute<{ id: string }, Record<string, never>, ActivationBody>({
      method: 'POST',
      path: '/devices/{id}/cisco/activation',
      operationId: 'setCiscoActivation',
      summary: 'Onboard the phone with an activation code (gds:// profile rule)',
      description:
        "Sets `Profile_Rule` to `gds://` (the phone then shows the activation-code screen), with `Upgrade_Enable`, `Upgrade_Error_Retry_Delay` and `Upgrade_Rule` when `upgradeRule` names a load that has the feature, and `User_Password` (4 to 127 characters, empty for none) to skip the Set password screen, among the device's own desired parameters. Refused (422) for models without the feature (CP-6861).",
      tag: 'cisco',
      role: 'operator',
      audit: 'cisco.activation',
      params: deviceParams,
      body: { schema: ref('cisco', 'ActivationRequest') },
      responses: { 200: desiredResponse, 404: NOT_FOUND, 422: { description: 'The model does not support activation codes, or a value is refused (named).' } },
      async handle({ params, body, actor }) {
        const device = await s.devices.get(params.id, { deviceId: 1 });
        if (!device) throw notFound(`device ${params.id}`);
        let entries;
        try {
          entries = activationEntries({ productClass: device.deviceId.productClass, ...body });
        } catch (err) {
          if (err instanceof ActivationError) throw invalidField('body', err.field, err.message, 422);
          throw err;
        }
        try {
          const config = await desired.change(params.id, { set: entries }, actor.name);
          return { body: desiredView(config), audit: { details: { revision: config.revision, userPassword: body.userPassword !== undefined } } };
        } catch (err) {
          throw asProblem(err);
        }
      },
    }),
  ];
};
