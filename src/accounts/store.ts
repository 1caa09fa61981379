import { randomBytes } from 'node:crypto';
import { MongoServerError, type Collection, type Db } from 'mongodb';
import type { ProfileEntry } from '../cisco/profile';
import { COLLECTIONS } from '../stores/collections';

/**
 * Retail accounts (001 L345-377; S18): the service account a customer signed up for, its line
 * settings (what its phone's profile carries), and the one phone bound to it. The only module
 * that reads or writes `cisco_accounts` and `cisco_account_bindings`.
 *
 * A phone is bound by resyncing once to `/cisco-init/<account>` with its client certificate;
 * the binding lives in two documents, each changed by `_id` (FerretDB pushes down only `_id`
 * filters, and has no transactions): the account names its phone's MAC, and the binding
 * (`_id` the MAC) names its account. One phone per account: once bound, the account code in
 * the URL is useless to anyone else (it stole nobody's SIP password by being guessed or
 * overheard). One account per phone: a second binding is refused until the first is undone.
 * The account's `mac` is the truth; a binding document whose account does not name the MAC
 * back (a bind interrupted half-way) counts as no binding and is replaced.
 */

export interface BoundPhone {
  /** 12 lower-case hex digits, from the certificate's `S=`/`ST=` field */
  mac: string;
  serial?: string;
  model?: string;
  boundAt: Date;
}

export interface AccountDoc {
  /** the account code, as the phone's resync URL carries it (`1234abcd`) */
  _id: string;
  parameters: ProfileEntry[];
  /** changes with every change of the parameters */
  revision: string;
  phone?: BoundPhone;
  createdAt: Date;
  updatedAt: Date;
  updatedBy: string;
}

interface BindingDoc {
  _id: string;
  account: string;
  at: Date;
}

export const ACCOUNTS_COLLECTION = COLLECTIONS.ciscoAccounts;
export const BINDINGS_COLLECTION = COLLECTIONS.ciscoAccountBindings;

/** Account codes: what fits one path segment of a resync URL without escaping. */
const ACCOUNT_CODE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Why an account code is refused, or undefined. */
export function accountCodeProblem(code: string): string | undefined {
  if (ACCOUNT_CODE.test(code) && !code.includes('..')) return undefined;
  return 'an account code is 1 to 64 letters, digits, ".", "_" or "-", starting with a letter or digit';
}

export type BindOutcome =
  | { bound: AccountDoc; created: boolean }
  | { refused: 'unknown-account' }
  | { refused: 'account-bound' }
  | { refused: 'phone-bound'; account: string };

export type UnbindOutcome = { unbound: BoundPhone } | { refused: 'unknown-account' | 'not-bound' };

export class AccountStore {
  private readonly accounts: Collection<AccountDoc>;
  private readonly bindings: Collection<BindingDoc>;

  constructor(db: Db) {
    this.accounts = db.collection<AccountDoc>(ACCOUNTS_COLLECTION);
    this.bindings = db.collection<BindingDoc>(BINDINGS_COLLECTION);
  }

  get(code: string): Promise<AccountDoc | null> {
    return this.accounts.findOne({ _id: code });
  }

  /** Creates the account or replaces its parameters (its binding stays). */
  async put(code: string, parameters: ProfileEntry[], by: string, now = new Date()): Promise<{ account: AccountDoc; created: boolean }> {
    const res = await this.accounts.updateOne(
      { _id: code },
      { $set: { parameters, revision: randomBytes(8).toString('hex'), updatedAt: now, updatedBy: by }, $setOnInsert: { createdAt: now } },
      { upsert: true },
    );
    const account = await this.get(code);
    if (!account) throw new Error(`account ${code} vanished while being written`);
    return { account, created: res.upsertedCount === 1 };
  }

  /** Deletes the account and its binding; false when there was none. */
  async delete(code: string): Promise<boolean> {
    const account = await this.get(code);
    if (!account) return false;
    await this.accounts.deleteOne({ _id: code });
    if (account.phone) await this.bindings.deleteOne({ _id: account.phone.mac, account: code });
    return true;
  }

  /** The account the phone with this MAC is bound to. */
  async boundTo(mac: string): Promise<AccountDoc | undefined> {
    const binding = await this.bindings.findOne({ _id: mac });
    if (!binding) return undefined;
    const account = await this.get(binding.account);
    return account?.phone?.mac === mac ? account : undefined;
  }

  /** Binds the phone to the account (see the module comment); binding it again to the same account changes nothing. */
  async bind(code: string, phone: Omit<BoundPhone, 'boundAt'>, now = new Date()): Promise<BindOutcome> {
    const account = await this.get(code);
    if (!account) return { refused: 'unknown-account' };
    const other = await this.boundTo(phone.mac);
    if (other && other._id !== code) return { refused: 'phone-bound', account: other._id };
    if (account.phone?.mac === phone.mac) {
      await this.claimBinding(phone.mac, code, now);
      return { bound: account, created: false };
    }
    if (account.phone) return { refused: 'account-bound' };
    if (!(await this.claimBinding(phone.mac, code, now))) return this.phoneBound(phone.mac);
    const boundPhone: BoundPhone = { mac: phone.mac, ...(phone.serial ? { serial: phone.serial } : {}), ...(phone.model ? { model: phone.model } : {}), boundAt: now };
    const claimed = await this.accounts.findOneAndUpdate({ _id: code, phone: { $exists: false } }, { $set: { phone: boundPhone } }, { returnDocument: 'after' });
    if (!claimed) {
      // Another phone took the account between the read and the claim.
      await this.bindings.deleteOne({ _id: phone.mac, account: code });
      return { refused: 'account-bound' };
    }
    // The same phone binding to two accounts at once: the binding document decides which won.
    if ((await this.bindings.findOne({ _id: phone.mac }))?.account !== code) {
      await this.accounts.updateOne({ _id: code, 'phone.mac': phone.mac }, { $unset: { phone: '' } });
      return this.phoneBound(phone.mac);
    }
    return { bound: claimed, created: true };
  }

  /** Undoes the account's binding: its phone may then bind to another account, another phone to this one. */
  async unbind(code: string): Promise<UnbindOutcome> {
    const account = await this.get(code);
    if (!account) return { refused: 'unknown-account' };
    if (!account.phone) return { refused: 'not-bound' };
    const res = await this.accounts.updateOne({ _id: code, 'phone.mac': account.phone.mac }, { $unset: { phone: '' } });
    if (res.modifiedCount === 0) return { refused: 'not-bound' };
    await this.bindings.deleteOne({ _id: account.phone.mac, account: code });
    return { unbound: account.phone };
  }

  private async phoneBound(mac: string): Promise<BindOutcome> {
    const binding = await this.bindings.findOne({ _id: mac });
    return { refused: 'phone-bound', account: binding?.account ?? '' };
  }

  /**
   * Makes the MAC's binding document name this account: inserted, or taken over from a stale
   * one (compare-and-set on the account it named). False when a live binding holds it.
   */
  private async claimBinding(mac: string, code: string, now: Date): Promise<boolean> {
    try {
      await this.bindings.insertOne({ _id: mac, account: code, at: now });
      return true;
    } catch (err) {
      if (!(err instanceof MongoServerError && err.code === 11000)) throw err;
    }
    const existing = await this.bindings.findOne({ _id: mac });
    if (!existing || existing.account === code) return true;
    if ((await this.get(existing.account))?.phone?.mac === mac) return false;
    const res = await this.bindings.updateOne({ _id: mac, account: existing.account }, { $set: { account: code, at: now } });
    if (res.modifiedCount !== 1) return false;
    // The bind that wrote it may have claimed its account since we judged it stale: give it back.
    if ((await this.get(existing.account))?.phone?.mac === mac) {
      await this.bindings.updateOne({ _id: mac, account: code }, { $set: { account: existing.account } });
      return false;
    }
    return true;
  }
}
