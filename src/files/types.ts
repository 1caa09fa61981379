import type { ObjectId } from 'mongodb';

/** What a stored file is for; each kind has its Download flow. */
export type FileKind = 'firmware' | 'configuration' | 'ca';
export const FILE_KINDS: readonly FileKind[] = ['firmware', 'configuration', 'ca'];

/** The `metadata` of a GridFS file document in the `files` bucket. */
export interface StoredFileMetadata {
  kind: FileKind;
  /** product classes the file is for; empty: any device */
  productClasses: string[];
  /** firmware: the SoftwareVersion the image installs */
  version?: string;
  /** hex SHA-256 of the content, known once the upload has finished */
  sha256?: string;
  contentType: string;
  description?: string;
  uploadedBy?: string;
  /** `uploading` until the content and its checksum are complete; only `ready` files are served */
  state: 'uploading' | 'ready';
}

/** The GridFS files-collection document. */
export interface StoredFileDoc {
  _id: ObjectId;
  filename: string;
  length: number;
  chunkSize: number;
  uploadDate: Date;
  metadata: StoredFileMetadata;
}

/** A file as the rest of the ACS sees it. */
export interface FileInfo {
  id: string;
  filename: string;
  kind: FileKind;
  size: number;
  sha256: string;
  contentType: string;
  productClasses: string[];
  version?: string;
  description?: string;
  uploadedBy?: string;
  uploadedAt: Date;
}

/** What an operator states about a file when uploading it. */
export interface NewFile {
  filename: string;
  kind: FileKind;
  productClasses?: string[];
  version?: string;
  description?: string;
  contentType?: string;
  uploadedBy?: string;
  /** refuse the upload unless the content has exactly this SHA-256 (hex) */
  expectedSha256?: string;
  /** refuse the upload unless the content has exactly this many bytes (e.g. Content-Length) */
  expectedSize?: number;
}
