import { MongoServerError, type Collection, type Db } from 'mongodb';
import type { ApiRole } from '../auth/roles';
import { decoyHash, hashPassword, verifyPassword } from './password';
import { COLLECTIONS } from '../stores/collections';

/** Names people sign in with: as for API tokens, letters, digits and `_ . @ -`. */
export const USER_NAME = /^[A-Za-z0-9_.@-]{1,64}$/;

/**
 * A person who signs in to the console. The name is the `_id`, so it is unique and every
 * request of a signed-in session costs one lookup by `_id`.
 */
export interface UserDoc {
  _id: string;
  role: ApiRole;
  /** `scrypt$N$r$p$salt$key` (see password.ts) */
  passwordHash: string;
  disabled: boolean;
  createdAt: Date;
  createdBy: string;
  updatedAt: Date;
  passwordChangedAt: Date;
  /** raised by each password reset: sessions signed in under an older epoch end */
  sessionEpoch: number;
}

export interface UserView {
  name: string;
  role: ApiRole;
  disabled: boolean;
  createdAt: Date;
  createdBy: string;
  updatedAt: Date;
  passwordChangedAt: Date;
}

export function userView(doc: UserDoc): UserView {
  return { name: doc._id, role: doc.role, disabled: doc.disabled, createdAt: doc.createdAt, createdBy: doc.createdBy, updatedAt: doc.updatedAt, passwordChangedAt: doc.passwordChangedAt };
}

export class UserExistsError extends Error {
  constructor(readonly userName: string) {
    super(`user ${JSON.stringify(userName)} exists already`);
  }
}

const DUPLICATE_KEY = 11000;

/** What a sign-in attempt found; `reason` is for the audit log only, never for the caller. */
export type SignInResult = { ok: true; user: UserDoc } | { ok: false; reason: 'unknown-user' | 'disabled' | 'wrong-password' };

export class UserStore {
  readonly collection: Collection<UserDoc>;

  constructor(db: Db) {
    this.collection = db.collection<UserDoc>(COLLECTIONS.users);
  }

  async create(input: { name: string; role: ApiRole; password: string; createdBy: string }, now = new Date()): Promise<UserDoc> {
    const doc: UserDoc = {
      _id: input.name,
      role: input.role,
      passwordHash: await hashPassword(input.password),
      disabled: false,
      createdAt: now,
      createdBy: input.createdBy,
      updatedAt: now,
      passwordChangedAt: now,
      sessionEpoch: 0,
    };
    try {
      await this.collection.insertOne(doc);
    } catch (err) {
      if (err instanceof MongoServerError && err.code === DUPLICATE_KEY) throw new UserExistsError(input.name);
      throw err;
    }
    return doc;
  }

  get(name: string): Promise<UserDoc | null> {
    return this.collection.findOne({ _id: name });
  }

  async list(): Promise<UserDoc[]> {
    return this.collection.find({}).sort({ _id: 1 }).limit(10_000).toArray();
  }

  /** True when no user exists at all (a fresh installation). */
  async none(): Promise<boolean> {
    return (await this.collection.findOne({}, { projection: { _id: 1 } })) === null;
  }

  /** Changes role and/or the disabled flag; null when there is no such user. */
  async update(name: string, change: { role?: ApiRole; disabled?: boolean }, now = new Date()): Promise<UserDoc | null> {
    const set: Partial<UserDoc> = { updatedAt: now };
    if (change.role !== undefined) set.role = change.role;
    if (change.disabled !== undefined) set.disabled = change.disabled;
    return this.collection.findOneAndUpdate({ _id: name }, { $set: set }, { returnDocument: 'after' });
  }

  /** Sets a new password and ends every session of the user; false when there is no such user. */
  async setPassword(name: string, password: string, now = new Date()): Promise<boolean> {
    const passwordHash = await hashPassword(password);
    const r = await this.collection.updateOne({ _id: name }, { $set: { passwordHash, passwordChangedAt: now, updatedAt: now }, $inc: { sessionEpoch: 1 } });
    return r.matchedCount === 1;
  }

  /**
   * Checks a name and password. A missing or disabled user costs one scrypt like a real one,
   * so neither the answer nor its timing tells a caller whether the name exists.
   */
  async signIn(name: string, password: string): Promise<SignInResult> {
    const user = USER_NAME.test(name) ? await this.get(name) : null;
    const matches = await verifyPassword(password, user?.passwordHash ?? (await decoyHash()));
    if (!user) return { ok: false, reason: 'unknown-user' };
    if (!matches) return { ok: false, reason: 'wrong-password' };
    if (user.disabled) return { ok: false, reason: 'disabled' };
    return { ok: true, user };
  }
}
