import { ref, type JsonSchema } from '../schemas';

/** Schemas of parameters several route modules share. */
export const deviceIdSchema = ref('common', 'DeviceId');
export const objectIdSchema = ref('common', 'ObjectIdHex');
export const limitSchema: JsonSchema = { ...ref('common', 'Limit'), default: 50 };
export const cursorSchema = ref('common', 'Cursor');

export const NOT_FOUND = { description: 'No such resource.' };
export const CONFLICT = { description: 'The resource is not in a state that allows this.' };
