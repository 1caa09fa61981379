// TEMPORARY: the console-api routes until their branch is merged (then the generated types have them).
export {};
type Json<T> = { content: { 'application/json': T } };
type Count = { value: string; count: number };

declare module './generated/api' {
  interface paths {
    '/overview': {
      parameters: { query?: never; header?: never; path?: never; cookie?: never };
      get: {
        parameters: { query?: never; header?: never; path?: never; cookie?: never };
        requestBody?: never;
        responses: { 200: Json<{ at: string; devices: { total: number; seenLastHour: number; seenLastDay: number; neverSeenAfterBootstrap: number; byProductClass: Count[]; bySoftwareVersion: Count[] }; openFaults: number; jobsRunning: number; countersComplete: boolean }> };
      };
      put?: never; post?: never; delete?: never; options?: never; head?: never; patch?: never; trace?: never;
    };
  }
}
