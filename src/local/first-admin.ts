import type { TokenRepository } from '../auth';

/**
 * On a deployment without any API token, creates the first admin token and returns it (the
 * only time it exists in clear); undefined when tokens exist already.
 */
export async function createFirstAdminToken(tokens: TokenRepository): Promise<{ id: string; token: string } | undefined> {
  if (await tokens.any()) return undefined;
  const created = await tokens.create({ name: 'first-admin', role: 'admin', createdBy: 'first-start' });
  return { id: created.doc._id, token: created.token };
}
