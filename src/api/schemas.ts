import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import admin from '../../schemas/api/admin.schema.json';
import cisco from '../../schemas/api/cisco.schema.json';
import common from '../../schemas/api/common.schema.json';
import consoleSchemas from '../../schemas/api/console.schema.json';
import devices from '../../schemas/api/devices.schema.json';
import events from '../../schemas/api/events.schema.json';
import files from '../../schemas/api/files.schema.json';
import firmware from '../../schemas/api/firmware.schema.json';
import jobs from '../../schemas/api/jobs.schema.json';
import overview from '../../schemas/api/overview.schema.json';
import profiles from '../../schemas/api/profiles.schema.json';
import rpc from '../../schemas/api/rpc.schema.json';
import sessions from '../../schemas/api/sessions.schema.json';
import tasks from '../../schemas/api/tasks.schema.json';

/** A JSON Schema (draft 2020-12, which OpenAPI 3.1 uses as is). */
export type JsonSchema = Record<string, unknown>;

/**
 * Every schema file of the API. A file lives in `schemas/api/<name>.schema.json`, has the `$id`
 * `${SCHEMA_BASE}<name>.schema.json` and keeps its definitions under `$defs`; definition names
 * are unique across files, because the OpenAPI document lists them all in one namespace.
 * Add a new file here.
 */
export const API_SCHEMA_FILES: readonly JsonSchema[] = [common, rpc, devices, tasks, jobs, admin, files, cisco, profiles, firmware, sessions, consoleSchemas, overview, events];

export const SCHEMA_BASE = 'https://cwmp-acs.local/schemas/api/';

/** `{ $ref }` to definition `name` of schema file `file` (e.g. `ref('devices', 'Device')`). */
export function ref(file: string, name: string): JsonSchema {
  return { $ref: `${SCHEMA_BASE}${file}.schema.json#/$defs/${name}` };
}

function makeAjv(coerce: boolean): Ajv2020 {
  const ajv = new Ajv2020({
    schemas: API_SCHEMA_FILES as JsonSchema[],
    allErrors: true,
    useDefaults: true,
    discriminator: true,
    allowUnionTypes: true,
    // Query strings and path segments are text: "5" is read as 5, a repeated name as an array.
    coerceTypes: coerce ? 'array' : false,
    strict: true,
  });
  addFormats(ajv, ['date-time', 'uri']);
  return ajv;
}

const engines = {
  json: { ajv: makeAjv(false), compiled: new WeakMap<JsonSchema, ValidateFunction>() },
  text: { ajv: makeAjv(true), compiled: new WeakMap<JsonSchema, ValidateFunction>() },
};

/**
 * A validator for a request part. Validation fills in defaults (`useDefaults`), so a handler
 * sees every optional field the schema gives a default for.
 */
export function validatorFor(schema: JsonSchema, source: 'text' | 'json'): ValidateFunction {
  const engine = engines[source];
  let fn = engine.compiled.get(schema);
  if (!fn) {
    fn = engine.ajv.compile(schema);
    engine.compiled.set(schema, fn);
  }
  return fn;
}
