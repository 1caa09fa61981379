import http from 'node:http';
import https from 'node:https';

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** every value of a header, unjoined (several WWW-Authenticate challenges, say) */
  all(name: string): string[];
  body: Buffer;
}

export interface RawRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
  /** TLS client options (cert, key, ca, rejectUnauthorized) for https base URLs */
  tls?: https.RequestOptions;
}

/**
 * One HTTP(S) exchange with the path sent exactly as written: fetch and undici normalise
 * `..` and percent-escapes, which tests of hostile paths must not have done for them.
 */
export function rawRequest(base: string, path: string, options: RawRequest = {}): Promise<RawResponse> {
  const url = new URL(base);
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(
      { host: url.hostname, port: url.port, path, method: options.method ?? 'GET', headers: options.headers, agent: false, ...options.tls },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (c: Buffer) => parts.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, all: headerValues(res.rawHeaders), body: Buffer.concat(parts) }));
        res.on('error', reject);
      },
    );
    req.setTimeout(10_000, () => req.destroy(new Error(`no answer to ${options.method ?? 'GET'} ${path} within 10 s`)));
    req.on('error', reject);
    req.end(options.body);
  });
}

function headerValues(raw: string[]): (name: string) => string[] {
  return (name) => {
    const out: string[] = [];
    for (let i = 0; i + 1 < raw.length; i += 2) if (raw[i].toLowerCase() === name.toLowerCase()) out.push(raw[i + 1]);
    return out;
  };
}

/**
 * Sends the start of a body that announces more (Content-Length) and closes the connection:
 * an upload cut off mid-way. Resolves once the socket is gone.
 */
export function truncatedUpload(base: string, path: string, method: string, part: Buffer | string, announced: number): Promise<void> {
  const url = new URL(base);
  return new Promise((resolve) => {
    const req = http.request({ host: url.hostname, port: url.port, path, method, agent: false, headers: { 'content-length': String(announced) } });
    req.on('error', () => resolve());
    req.on('close', () => resolve());
    req.write(part, () => setTimeout(() => req.destroy(), 50));
  });
}
