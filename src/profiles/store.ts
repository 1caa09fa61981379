import type { Collection, Db } from 'mongodb';
import { potentialConflicts, type PotentialConflict } from './conflicts';
import type { ProfileEntry, RenamedParameter } from '../cisco/profile';
import { dialectFor } from '../cisco/rules';
import { keepSecrets, normaliseParameters, type ParameterInput, type ParameterProblem } from './parameters';
import { checkSelector } from './selector';
import { PARTITIONS, PROFILE_NAME, type Partition, type ProfileContent, type ProfileDoc, type ProfileRevisionDoc, type Selector } from './types';
import { COLLECTIONS } from '../stores/collections';

export const PROFILES_COLLECTION = COLLECTIONS.profiles;
export const PROFILE_REVISIONS_COLLECTION = COLLECTIONS.profileRevisions;

/** A profile refused or not found; `status` is the HTTP status the API answers with. */
export class ProfileError extends Error {
  override name = 'ProfileError';
  constructor(
    readonly status: 400 | 404 | 409 | 422,
    message: string,
    readonly problems: ParameterProblem[] = [],
  ) {
    super(message);
  }
}

/** A profile as operators send it (parameters by XML name or TR-069 path). */
export interface ProfileInput {
  description?: string;
  precedence: number;
  partition?: Partition;
  match: Selector;
  parameters: ParameterInput[];
}

export interface SavedProfile {
  profile: ProfileDoc;
  /** conflicts with other profiles this save created or left in place */
  conflicts: PotentialConflict[];
  /** parameters written as web-page labels or legacy names, and the XML names they were stored as */
  renamed: RenamedParameter[];
}

const MAX_DESCRIPTION = 1024;
// API paths under /profiles, and the console's page for a new profile (/profiles/new).
const RESERVED = new Set(['conflicts', 'import', 'validate', 'matches', 'new']);
const MAX_PRECEDENCE = 1_000_000;

/** Checks a profile and converts it to the stored (XML) model; throws ProfileError naming every problem. */
export function checkProfile(name: string, input: ProfileInput): { content: ProfileContent; renamed: RenamedParameter[] } {
  const badName = (message: string) => new ProfileError(400, message, [{ name: 'name', code: 'form', message }]);
  if (!PROFILE_NAME.test(name)) throw badName(`${JSON.stringify(name.slice(0, 70))} is not a profile name (letters, digits, _ . -, at most 64)`);
  if (RESERVED.has(name)) throw badName(`"${name}" is reserved (it names a path under /profiles)`);
  const problems: ParameterProblem[] = [];
  if (!Number.isInteger(input.precedence) || Math.abs(input.precedence) > MAX_PRECEDENCE) {
    problems.push({ name: 'precedence', code: 'form', message: `precedence must be an integer between -${MAX_PRECEDENCE} and ${MAX_PRECEDENCE}` });
  }
  if (input.partition !== undefined && !(PARTITIONS as readonly string[]).includes(input.partition)) {
    problems.push({ name: 'partition', code: 'form', message: `partition must be one of ${PARTITIONS.join(', ')} (Profile_Rule_B..D), or absent for Profile_Rule` });
  }
  if (input.description !== undefined && input.description.length > MAX_DESCRIPTION) problems.push({ name: 'description', code: 'form', message: `description longer than ${MAX_DESCRIPTION} characters` });
  const selector = checkSelector(input.match ?? {});
  problems.push(...selector.problems.map((message) => ({ name: 'match', code: 'form' as const, message })));
  // Values for Small Business devices only may use the legacy rule dialect (003 L1063-1096).
  const parameters = normaliseParameters(input.parameters ?? [], dialectFor(selector.selector.productClasses));
  problems.push(...parameters.problems);
  if (problems.length) {
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
    throw new ProfileError(422, `profile ${name} refused: ${problems[0].message}${more}`, problems);
  }
  return {
    content: { ...(input.description ? { description: input.description } : {}), precedence: input.precedence, ...(input.partition ? { partition: input.partition } : {}), match: selector.selector, parameters: parameters.entries },
    renamed: parameters.renamed,
  };
}

/**
 * Profiles in two collections: the current state of each (`profiles`, what every process
 * caches) and every saved revision (`profile_revisions`, immutable). A save writes the revision
 * first, then moves the head with a compare-and-set on its revision, so concurrent saves of
 * one profile are serialised and the head never names a revision that does not exist.
 * `changed` runs after every successful write (it tells caches everywhere).
 */
export class ProfileStore {
  readonly heads: Collection<ProfileDoc>;
  readonly revisions: Collection<ProfileRevisionDoc>;

  constructor(
    db: Db,
    private readonly changed: () => Promise<void> = async () => undefined,
  ) {
    this.heads = db.collection<ProfileDoc>(PROFILES_COLLECTION);
    this.revisions = db.collection<ProfileRevisionDoc>(PROFILE_REVISIONS_COLLECTION);
  }

  /** Every live profile (a scan: profiles are few, and every process holds them all anyway). */
  async list(): Promise<ProfileDoc[]> {
    const docs = await this.heads.find({}).toArray();
    return docs.filter((d) => !d.deleted).sort((a, b) => a._id.localeCompare(b._id));
  }

  async get(name: string): Promise<ProfileDoc | undefined> {
    const doc = await this.heads.findOne({ _id: name });
    return doc && !doc.deleted ? doc : undefined;
  }

  async create(name: string, input: ProfileInput, by?: string): Promise<SavedProfile> {
    const { content, renamed } = checkProfile(name, withKeptSecrets(name, input, undefined));
    const head = await this.heads.findOne({ _id: name });
    if (head && !head.deleted) throw new ProfileError(409, `profile ${name} exists (revision ${head.revision}); replace it with PUT`);
    return { ...(await this.save(name, content, head ?? undefined, by)), renamed };
  }

  /** Replaces a live profile; with `ifRevision`, only if that is still its revision. */
  async replace(name: string, input: ProfileInput, by?: string, ifRevision?: number): Promise<SavedProfile> {
    const head = await this.get(name);
    if (!head) throw new ProfileError(404, `profile ${name} does not exist`);
    const { content, renamed } = checkProfile(name, withKeptSecrets(name, input, head));
    if (ifRevision !== undefined && head.revision !== ifRevision) throw new ProfileError(409, `profile ${name} is at revision ${head.revision}, not ${ifRevision}`);
    return { ...(await this.save(name, content, head, by)), renamed };
  }

  async delete(name: string, by?: string): Promise<ProfileDoc> {
    const head = await this.get(name);
    if (!head) throw new ProfileError(404, `profile ${name} does not exist`);
    const now = new Date();
    const revision = head.revision + 1;
    await this.revisions.insertOne({ ...revisionOf(name, revision, head, now, by), deleted: true });
    const moved = await this.heads.updateOne({ _id: name, revision: head.revision }, { $set: { revision, deleted: true, updatedAt: now, ...(by ? { updatedBy: by } : {}) } });
    if (moved.modifiedCount !== 1) {
      await this.revisions.deleteOne({ _id: revisionId(name, revision) });
      throw new ProfileError(409, `profile ${name} changed while it was being deleted; try again`);
    }
    await this.changed();
    return head;
  }

  /** Saved revisions of a profile, newest first (a scan of the revisions; an API read). */
  async history(name: string): Promise<ProfileRevisionDoc[]> {
    const docs = await this.revisions.find({ name }, { projection: { parameters: 0 } }).toArray();
    return docs.sort((a, b) => b.revision - a.revision);
  }

  async revision(name: string, revision: number): Promise<ProfileRevisionDoc | undefined> {
    return (await this.revisions.findOne({ _id: revisionId(name, revision) })) ?? undefined;
  }

  /** Conflicts among all live profiles, or those involving one. */
  async conflicts(subject?: string): Promise<PotentialConflict[]> {
    return potentialConflicts((await this.list()).map(likeOf), subject);
  }

  /**
   * What saving would do, storing nothing: the same checks as create and replace (throws the
   * same ProfileError), the stored form of the parameters and the conflicts it would have.
   */
  async dryRun(name: string, input: ProfileInput): Promise<{ content: ProfileContent; renamed: RenamedParameter[]; conflicts: PotentialConflict[] }> {
    const live = await this.list();
    const { content, renamed } = checkProfile(name, withKeptSecrets(name, input, live.find((p) => p._id === name)));
    const others = live.filter((p) => p._id !== name).map(likeOf);
    return { content, renamed, conflicts: potentialConflicts([...others, { name, ...content }], name) };
  }

  /**
   * Saves an earlier revision's content as a new revision (checked again: the catalogue may
   * have changed since); a deleted profile comes back. `ifRevision` as for replace.
   */
  async restore(name: string, revision: number, by?: string, ifRevision?: number): Promise<SavedProfile> {
    const old = await this.revision(name, revision);
    if (!old) throw new ProfileError(404, `profile ${name} has no revision ${revision}`);
    if (old.deleted) throw new ProfileError(422, `revision ${revision} of profile ${name} is its deletion; restore revision ${revision - 1}`);
    const input: ProfileInput = {
      ...(old.description ? { description: old.description } : {}),
      precedence: old.precedence,
      match: old.match,
      parameters: old.parameters.map(inputOf),
    };
    return (await this.get(name)) ? this.replace(name, input, by, ifRevision) : this.create(name, input, by);
  }

  private async save(name: string, content: ProfileContent, head: ProfileDoc | undefined, by: string | undefined): Promise<Omit<SavedProfile, 'renamed'>> {
    const now = new Date();
    const revision = (head?.revision ?? 0) + 1;
    await this.revisions.insertOne(revisionOf(name, revision, content, now, by)).catch((err: { code?: number }) => {
      if (err.code === 11000) throw new ProfileError(409, `profile ${name} is being saved by someone else; try again`);
      throw err;
    });
    const doc: ProfileDoc = {
      _id: name,
      revision,
      ...(content.description ? { description: content.description } : {}),
      precedence: content.precedence,
      ...(content.partition ? { partition: content.partition } : {}),
      match: content.match,
      parameters: content.parameters,
      createdAt: head && !head.deleted ? head.createdAt : now,
      updatedAt: now,
      ...(by ? { updatedBy: by } : {}),
    };
    const moved = head
      ? (await this.heads.replaceOne({ _id: name, revision: head.revision }, doc)).modifiedCount === 1
      : await this.heads.insertOne(doc).then(
          () => true,
          (err: { code?: number }) => {
            if (err.code === 11000) return false;
            throw err;
          },
        );
    if (!moved) {
      await this.revisions.deleteOne({ _id: revisionId(name, revision) });
      throw new ProfileError(409, `profile ${name} changed while it was being saved; try again`);
    }
    await this.changed();
    return { profile: doc, conflicts: await this.conflicts(name) };
  }
}

/** The input with kept secrets filled in from the profile it replaces (ProfileError when one has none). */
function withKeptSecrets(name: string, input: ProfileInput, head: ProfileDoc | undefined): ProfileInput {
  const { parameters, problems } = keepSecrets(input.parameters ?? [], head?.parameters);
  if (problems.length) throw new ProfileError(422, `profile ${name} refused: ${problems[0].message}`, problems);
  return { ...input, parameters };
}

const likeOf = (p: ProfileDoc) => ({ name: p._id, precedence: p.precedence, ...(p.partition ? { partition: p.partition } : {}), match: p.match, parameters: p.parameters });

/** A stored entry as operators would write it. */
function inputOf(e: ProfileEntry): ParameterInput {
  return { name: e.name, value: e.selfClosing ? '' : e.value, ...(e.ua ? { ua: e.ua } : {}), ...(e.selfClosing ? { keep: true } : {}) };
}

export function revisionId(name: string, revision: number): string {
  return `${name}@${revision}`;
}

function revisionOf(name: string, revision: number, content: ProfileContent, at: Date, by: string | undefined): ProfileRevisionDoc {
  return {
    _id: revisionId(name, revision),
    name,
    revision,
    ...(content.description ? { description: content.description } : {}),
    precedence: content.precedence,
    ...(content.partition ? { partition: content.partition } : {}),
    match: content.match,
    parameters: content.parameters,
    savedAt: at,
    ...(by ? { savedBy: by } : {}),
  };
}
