import { loadConfig } from '../config';
import { createLogger } from '../log';
import { mongoStores, type MongoStores } from '../roles/compose';
import { connectMongo, resolveStores } from '../stores';

/**
 * Runs `fn` on the ACS's MongoDB stores (MONGODB_URL, or the local stores `npm start` runs),
 * built by the same root as a serving process's, for the commands that must work without
 * API access (the first token, the first users).
 */
export async function withStores<T>(fn: (stores: MongoStores) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const stores = await resolveStores({ local: false, config });
  const { client, db } = await connectMongo(stores.mongodbUrl);
  try {
    // These commands print their own lines; only the fs role's transfer log would log, and they write none.
    return await fn(mongoStores(db, config, createLogger('silent')));
  } finally {
    await client.close();
  }
}
