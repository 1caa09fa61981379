import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { GridFSBucket, ObjectId, type Collection, type Db, type GridFSBucketWriteStream } from 'mongodb';
import { FileError } from './errors';
import { versionOfLoadName } from './firmware';
import { FILE_KINDS, type FileInfo, type FileKind, type NewFile, type StoredFileDoc, type StoredFileMetadata } from './types';
import { FILES_BUCKET } from '../stores/collections';

export const BUCKET = FILES_BUCKET;

const FILENAME = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,127}$/;
const PRODUCT_CLASS = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const SHA256 = /^[0-9a-f]{64}$/;
const CONTENT_TYPE = /^[a-z]+\/[A-Za-z0-9.+-]+$/;

const DEFAULT_TYPES: Record<FileKind, string> = {
  firmware: 'application/octet-stream',
  configuration: 'application/xml',
  ca: 'application/x-pem-file',
};

export interface FileFilter {
  kind?: FileKind;
  /** files for this product class, and those for any */
  productClass?: string;
}

/**
 * Firmware images, configuration and CA files in GridFS (bucket `files`). An upload is
 * checksummed as it streams; it becomes visible (`ready`) only once complete, so a failed or
 * truncated upload leaves nothing behind.
 */
export class FileStore {
  readonly bucket: GridFSBucket;
  readonly documents: Collection<StoredFileDoc>;

  constructor(
    db: Db,
    private readonly maxBytes: number,
  ) {
    this.bucket = new GridFSBucket(db, { bucketName: BUCKET });
    this.documents = db.collection<StoredFileDoc>(`${BUCKET}.files`);
  }

  async upload(source: AsyncIterable<Uint8Array>, file: NewFile): Promise<FileInfo> {
    const metadata = checkNewFile(file);
    if (file.expectedSize !== undefined && file.expectedSize > this.maxBytes) {
      throw new FileError(413, `file of ${file.expectedSize} bytes is larger than the limit of ${this.maxBytes} bytes`);
    }
    const stream = this.bucket.openUploadStream(file.filename, { metadata });
    // A failed chunk write is emitted as 'error' whether or not anyone waits on the stream:
    // keep it and raise it at the next step, rather than crash on an unhandled event.
    let failure: Error | undefined;
    stream.on('error', (err) => (failure ??= err));
    const hash = createHash('sha256');
    let size = 0;
    try {
      for await (const chunk of source) {
        size += chunk.byteLength;
        if (size > this.maxBytes) throw new FileError(413, `file larger than the limit of ${this.maxBytes} bytes`);
        hash.update(chunk);
        if (!stream.write(chunk)) await drained(stream);
        if (failure) throw failure;
      }
      if (file.expectedSize !== undefined && size !== file.expectedSize) {
        throw new FileError(400, `upload truncated: received ${size} of ${file.expectedSize} bytes`);
      }
      if (size === 0) throw new FileError(400, 'the file is empty');
      const sha256 = hash.digest('hex');
      if (file.expectedSha256 !== undefined && sha256 !== file.expectedSha256.toLowerCase()) {
        throw new FileError(400, `content SHA-256 ${sha256} does not match the expected ${file.expectedSha256.toLowerCase()}`, 'sha256');
      }
      await new Promise<void>((resolve, reject) => stream.end((err?: Error | null) => (err ? reject(err) : resolve())));
      await this.documents.updateOne({ _id: stream.id }, { $set: { 'metadata.sha256': sha256, 'metadata.state': 'ready' } });
    } catch (err) {
      await discard(stream);
      if (err instanceof FileError) throw err;
      const reason = (err as NodeJS.ErrnoException).code === 'ECONNRESET' || /aborted/i.test(String((err as Error).message)) ? 'upload truncated: the connection closed before the end of the file' : undefined;
      if (reason) throw new FileError(400, reason);
      throw err;
    }
    const info = await this.get(stream.id.toHexString());
    if (!info) throw new Error(`file ${stream.id.toHexString()} vanished right after its upload`);
    return info;
  }

  /** A ready file, or undefined (unknown id, malformed id, upload not finished). */
  async get(id: string): Promise<FileInfo | undefined> {
    if (!ObjectId.isValid(id) || !/^[0-9a-f]{24}$/i.test(id)) return undefined;
    const doc = await this.documents.findOne({ _id: new ObjectId(id) });
    return doc && doc.metadata?.state === 'ready' ? toInfo(doc) : undefined;
  }

  /** Ready files, newest first. The collection is small (one document per file): filtered here. */
  async list(filter: FileFilter = {}): Promise<FileInfo[]> {
    const docs = await this.documents.find(filter.kind ? { 'metadata.kind': filter.kind } : {}).toArray();
    return docs
      .filter((d) => d.metadata?.state === 'ready')
      .filter((d) => !filter.productClass || d.metadata.productClasses.length === 0 || d.metadata.productClasses.includes(filter.productClass))
      .sort((a, b) => b.uploadDate.getTime() - a.uploadDate.getTime())
      .map(toInfo);
  }

  /** The newest ready file of this name and kind (what a TFTP client asks for by name). */
  async byName(filename: string, kind: FileKind): Promise<FileInfo | undefined> {
    const docs = await this.documents.find({ filename, 'metadata.kind': kind }).sort({ uploadDate: -1 }).toArray();
    const doc = docs.find((d) => d.metadata?.state === 'ready');
    return doc ? toInfo(doc) : undefined;
  }

  /** Removes a file and its content; false when there was none. */
  async delete(id: string): Promise<boolean> {
    if (!(await this.get(id))) return false;
    try {
      await this.bucket.delete(new ObjectId(id));
      return true;
    } catch (err) {
      if (/not found/i.test(String((err as Error).message))) return false;
      throw err;
    }
  }

  /** The content, or the bytes `start`..`end` (inclusive) of it. */
  open(file: FileInfo, range?: { start: number; end: number }): Readable {
    return this.bucket.openDownloadStream(new ObjectId(file.id), range ? { start: range.start, end: range.end + 1 } : {});
  }
}

/** Checks what the operator said about a file; returns the metadata to store with it. */
export function checkNewFile(file: NewFile): StoredFileMetadata {
  if (!FILENAME.test(file.filename)) {
    throw new FileError(400, `file name ${JSON.stringify(file.filename.slice(0, 140))} must be 1-128 letters, digits, ".", "_", "+" or "-", starting with a letter or digit`, 'filename');
  }
  if (!FILE_KINDS.includes(file.kind)) throw new FileError(400, `file kind ${JSON.stringify(file.kind)} must be one of ${FILE_KINDS.join(', ')}`, 'kind');
  const productClasses = [...new Set(file.productClasses ?? [])];
  const bad = productClasses.find((p) => !PRODUCT_CLASS.test(p));
  if (bad !== undefined) throw new FileError(400, `product class ${JSON.stringify(bad.slice(0, 70))} is not a product class name`, 'productClass');
  if (file.expectedSha256 !== undefined && !SHA256.test(file.expectedSha256.toLowerCase())) {
    throw new FileError(400, 'expected SHA-256 must be 64 hexadecimal digits', 'sha256');
  }
  if (file.contentType !== undefined && !CONTENT_TYPE.test(file.contentType)) {
    throw new FileError(400, `content type ${JSON.stringify(file.contentType.slice(0, 80))} is not a media type`);
  }
  let version = file.version?.trim() || undefined;
  if (file.kind === 'firmware') {
    version ??= versionOfLoadName(file.filename);
    if (!version) throw new FileError(400, `firmware ${file.filename} needs a version: the SoftwareVersion the image installs (not readable from the file name)`, 'version');
  } else if (version !== undefined) {
    throw new FileError(400, `only firmware has a version, not a ${file.kind} file`, 'version');
  }
  if (version !== undefined && !/^[\x21-\x7e]{1,64}$/.test(version)) throw new FileError(400, 'version must be 1-64 printable ASCII characters without spaces', 'version');
  if (file.description !== undefined && file.description.length > 1024) throw new FileError(400, 'description longer than 1024 characters', 'description');
  return {
    kind: file.kind,
    productClasses,
    ...(version !== undefined ? { version } : {}),
    contentType: file.contentType ?? DEFAULT_TYPES[file.kind],
    ...(file.description !== undefined ? { description: file.description } : {}),
    ...(file.uploadedBy !== undefined ? { uploadedBy: file.uploadedBy } : {}),
    state: 'uploading',
  };
}

function toInfo(doc: StoredFileDoc): FileInfo {
  const m = doc.metadata;
  return {
    id: doc._id.toHexString(),
    filename: doc.filename,
    kind: m.kind,
    size: doc.length,
    sha256: m.sha256 ?? '',
    contentType: m.contentType,
    productClasses: m.productClasses,
    ...(m.version !== undefined ? { version: m.version } : {}),
    ...(m.description !== undefined ? { description: m.description } : {}),
    ...(m.uploadedBy !== undefined ? { uploadedBy: m.uploadedBy } : {}),
    uploadedAt: doc.uploadDate,
  };
}

function drained(stream: GridFSBucketWriteStream): Promise<void> {
  return new Promise((resolve, reject) => {
    const onDrain = () => {
      stream.off('error', onError);
      resolve();
    };
    const onError = (err: Error) => {
      stream.off('drain', onDrain);
      reject(err);
    };
    stream.once('drain', onDrain);
    stream.once('error', onError);
  });
}

/** Drops what an unfinished upload wrote (chunks, and the file document if it got that far). */
async function discard(stream: GridFSBucketWriteStream): Promise<void> {
  try {
    await stream.abort();
  } catch {
    // already ended: the file document exists, remove it with its chunks below
  }
  await Promise.allSettled([stream.files.deleteOne({ _id: stream.id }), stream.chunks.deleteMany({ files_id: stream.id })]);
}
