/**
 * Why the file service refuses something. `status` is the HTTP status the API and the fs role
 * answer with; the message names what is wrong and never carries a secret.
 */
export class FileError extends Error {
  override name = 'FileError';
  constructor(
    readonly status: 400 | 403 | 404 | 405 | 409 | 410 | 413 | 416 | 422,
    message: string,
    /** the upload's query parameter the refusal is about, when it is about one */
    readonly field?: string,
  ) {
    super(message);
  }
}
