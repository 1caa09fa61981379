import { FileError } from '../errors';

/**
 * Splits a request path into decoded segments, refusing what could walk out of a directory or
 * smuggle a separator: `..` and `.` segments, encoded `/` or `\`, backslashes, NUL, and broken
 * percent-encoding. Nothing the fs role serves lives on a file system, but a path that tries
 * gets a clear 400 rather than a quiet 404.
 */
export function pathSegments(rawPath: string): string[] {
  if (!rawPath.startsWith('/')) throw new FileError(400, 'the path must start with "/"');
  if (rawPath.length > 2048) throw new FileError(400, 'path longer than 2048 characters');
  if (rawPath.includes('\\')) throw new FileError(400, 'path traversal refused: backslash in the path');
  const segments = rawPath.slice(1).split('/');
  return segments.map((raw) => {
    let seg: string;
    try {
      seg = decodeURIComponent(raw);
    } catch {
      throw new FileError(400, 'malformed percent-encoding in the path');
    }
    if (seg === '..' || seg === '.') throw new FileError(400, 'path traversal refused: "." or ".." segment');
    if (/[/\\\0]/.test(seg)) throw new FileError(400, 'path traversal refused: encoded separator or NUL in a path segment');
    return seg;
  });
}
