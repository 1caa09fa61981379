import type { Db } from 'mongodb';
import { loadConfig } from '../config';
import { connectMongo, resolveStores } from '../stores';

/**
 * Runs `fn` on the ACS's MongoDB (MONGODB_URL, or the local stores `npm start` runs), for the
 * commands that must work without API access (the first token, the first users).
 */
export async function withDb<T>(fn: (db: Db) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const stores = await resolveStores({ local: false, config });
  const { client, db } = await connectMongo(stores.mongodbUrl);
  try {
    return await fn(db);
  } finally {
    await client.close();
  }
}
