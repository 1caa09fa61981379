/** The files page's logic: the upload's query, checksums as text, transfer outcomes. Pure. */
import { topField } from './forms';

export type FileKind = 'firmware' | 'configuration' | 'ca';

export interface UploadForm {
  kind: FileKind;
  /** comma- or space-separated; empty: any device */
  productClasses: string;
  version: string;
  description: string;
}

export const UPLOAD_INPUTS = ['file', 'kind', 'productClass', 'version', 'description'] as const;

/** The query of `POST /files` for a file of this name: what it is, and the checksum it must have. */
export function uploadQuery(filename: string, form: UploadForm, sha256: string): URLSearchParams {
  const q = new URLSearchParams({ filename, kind: form.kind });
  for (const pc of form.productClasses.split(/[\s,]+/).filter(Boolean)) q.append('productClass', pc);
  if (form.version.trim()) q.set('version', form.version.trim());
  if (form.description.trim()) q.set('description', form.description.trim());
  q.set('sha256', sha256);
  return q;
}

/** The upload form's input an API field names (the file name and the checksum belong to the file chosen). */
export function uploadInputOf(field: string): string | undefined {
  const top = topField(field);
  if (top === 'filename' || top === 'sha256') return 'file';
  return (UPLOAD_INPUTS as readonly string[]).includes(top) ? top : undefined;
}

/** Lower-case hex of a digest. */
export function hex(digest: ArrayBuffer): string {
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** What the browser computed against what the server stored. */
export function checksumVerdict(local: string, server: string): 'match' | 'mismatch' {
  return local.toLowerCase() === server.toLowerCase() ? 'match' : 'mismatch';
}

/** 0..100, for a progress bar; an unknown total shows nothing done. */
export function progressPercent(loaded: number, total: number): number {
  return total > 0 ? Math.min(100, Math.round((loaded / total) * 100)) : 0;
}

/** A file name the API accepts, from the name of the file chosen (spaces and the like become "_"). */
export function storedName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9._+-]/g, '_').replace(/^[^A-Za-z0-9]+/, '');
  return cleaned.slice(0, 128);
}

export interface TransferLike {
  status: number;
  complete: boolean;
  bytes: number;
  range?: string;
  reason?: string;
}

/** How one download ended, in words. */
export function transferOutcome(t: TransferLike): string {
  if (t.status >= 400) return `refused (HTTP ${t.status}${t.reason ? `: ${t.reason}` : ''})`;
  if (!t.complete) return `cut off after ${t.bytes} bytes`;
  return t.range ? `complete (range ${t.range})` : 'complete';
}
