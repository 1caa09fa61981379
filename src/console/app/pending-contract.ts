// TEMPORARY: the console-api routes until their branch is merged (then the generated types have them).
import type { Role } from './lib/roles';

type Json<T> = { content: { 'application/json': T } };
type SessionAnswer = { user: { name: string; role: Role } | null; csrfToken: string };
type Count = { value: string; count: number };

declare module './generated/api' {
  interface paths {
    '/session': {
      parameters: { query?: never; header?: never; path?: never; cookie?: never };
      get: { parameters: { query?: never; header?: never; path?: never; cookie?: never }; requestBody?: never; responses: { 200: Json<SessionAnswer> } };
      post: { parameters: { query?: never; header?: never; path?: never; cookie?: never }; requestBody: Json<{ name: string; password: string }>; responses: { 200: Json<SessionAnswer> } };
      delete: { parameters: { query?: never; header?: never; path?: never; cookie?: never }; requestBody?: never; responses: { 204: { content?: never } } };
      put?: never; options?: never; head?: never; patch?: never; trace?: never;
    };
    '/overview': {
      parameters: { query?: never; header?: never; path?: never; cookie?: never };
      get: {
        parameters: { query?: never; header?: never; path?: never; cookie?: never };
        requestBody?: never;
        responses: { 200: Json<{ devices: { total: number; seenLastHour: number; seenLastDay: number; neverSeenAfterBootstrap: number }; byProductClass: Count[]; bySoftwareVersion: Count[]; openFaults: number; jobsRunning: number }> };
      };
      put?: never; post?: never; delete?: never; options?: never; head?: never; patch?: never; trace?: never;
    };
  }
}
