import Ajv2020 from 'ajv/dist/2020';
import schema from '../../schemas/config.schema.json';
import type { LogFormat } from '../log';
import { parseBlockedNetworks, type BlockedNetworks } from '../cwmp/connection-request/blocked-networks';
import { normaliseSerial } from '../certs/serial';
import { parseNetworks, type Networks } from '../http/networks';
import type { DeviceLimits } from '../devices/limits';
import { parseRedisUrl, redactRedisUrl, RedisUrlError } from '../stores/redis-url';

export type DeviceAuthMode = 'none' | 'basic' | 'digest' | 'digest-or-basic';
export type DigestAlgorithm = 'SHA-256' | 'MD5';

export interface Config {
  mongodbUrl: string;
  redisUrl: string;
  redisPrefix: string;
  bindAddress: string;
  cwmpPort: number;
  apiPort: number;
  fsPort: number;
  workerPort: number;
  /** internal Prometheus port of this process, whatever roles it runs */
  metricsPort: number;
  /** count MongoDB commands by name, through the driver's command monitoring */
  mongoCommandMetrics: boolean;
  syslog: {
    port: number;
    maxMessageBytes: number;
    ratePerSecond: number;
    perDevice: number;
    retentionSeconds: number;
  };
  /** the read-only TFTP role (src/tftp) */
  tftp: {
    port: number;
    maxTransfers: number;
    maxFileBytes: number;
    maxBlocks: number;
    maxBlksize: number;
    requestsPerMinute: number;
    retries: number;
    timeoutSeconds: number;
  };
  publicFsUrl: string;
  logLevel: string;
  logFormat: LogFormat;
  secret?: string;
  cwmp: {
    auth: DeviceAuthMode;
    credential?: { username: string; password: string };
    realm: string;
    digestAlgorithms: DigestAlgorithm[];
    nonceTtlSeconds: number;
    acceptUnknown: boolean;
    authFailLimit: number;
    authFailWindowSeconds: number;
    sessionTimeoutSeconds: number;
    maxBodyBytes: number;
    maxDepth: number;
    maxRpcsPerSession: number;
    holdRequests: boolean;
    maxConcurrent: number;
    limits: DeviceLimits;
    tls?: { certFile: string; keyFile: string; clientCaFile?: string };
    /** peers that may name the client's address (X-Forwarded-For, PROXY protocol) */
    trustedProxies: Networks;
    proxyProtocol: boolean;
    headersTimeoutMs: number;
    requestTimeoutMs: number;
  };
  api: {
    maxBodyBytes: number;
    /** where the CLI finds the API, and the token it sends */
    url: string;
    token?: string;
  };
  console: {
    /** folder of the console's built files; default dist/console of the installation */
    dir?: string;
    /** seconds a sign-in session may stay unused */
    sessionIdleSeconds: number;
    /** seconds a sign-in session lasts at most */
    sessionMaxSeconds: number;
    /** failed sign-ins per user name, then per source address, allowed within the window */
    loginFailLimit: number;
    loginFailIpLimit: number;
    loginFailWindowSeconds: number;
    /** seconds between heartbeats on live event streams */
    eventsHeartbeatSeconds: number;
    /** single sign-on through an OpenID Connect provider; undefined: local accounts only */
    oidc?: OidcConfig;
  };
  tasks: {
    /** default expiry of tasks queued through the API */
    expirySeconds: number;
  };
  connectionRequests: {
    timeoutMs: number;
    attempts: number;
    concurrency: number;
    /** used for devices without their own `connectionRequestAuth` */
    credential?: { username: string; password: string };
    allowBasic: boolean;
    /** networks connection requests may not reach, whatever URL a device reported */
    blockedNetworks: BlockedNetworks;
  };
  worker: {
    reconcileIntervalSeconds: number;
    /** software-version snapshots (firmware page's chart): how often, and kept how long */
    versionSnapshotSeconds: number;
    versionSnapshotRetentionDays: number;
  };
  trace: {
    /** sessions kept per device; 0: none */
    sessionsPerDevice: number;
    retentionDays: number;
    /** longest SOAP body kept per message while an operator traces the device */
    maxBodyChars: number;
    flushMs: number;
  };
  provisioning: {
    /** known values older than this are read again before a reconciliation compares them */
    valueMaxAgeSeconds: number;
    /** how often each process checks whether profiles or firmware policies changed */
    pollMs: number;
  };
  /** client-certificate and expiry policy of the TLS the cwmp and fs roles serve */
  tls: {
    /** normalised (certs/serial.ts) */
    revokedSerials: ReadonlySet<string>;
    crlFile?: string;
    expiryWarnDays: number;
  };
  fs: {
    urlWindowSeconds: number;
    maxFileBytes: number;
    maxReportBytes: number;
    caFileType: string;
    tls?: { certFile: string; keyFile: string; clientCaFile?: string };
    /** the phones' /cisco/ channel (see provisioning/phone/access.ts) */
    phones: {
      insecure: boolean;
      unproven: 'redact' | 'refuse';
      unprovenBudget: number;
      unprovenWindowSeconds: number;
      tokenTtlSeconds: number;
      basicOverHttp: boolean;
    };
  };
}

function blockedNetworks(text: string): BlockedNetworks {
  return networks('ACS_CR_BLOCKED_NETWORKS', text, parseBlockedNetworks);
}

function networks(name: string, text: string, parse: (text: string) => Networks = parseNetworks): Networks {
  try {
    return parse(text);
  } catch (err) {
    throw new ConfigError([`${name}: ${(err as Error).message} (got ${JSON.stringify(text)})`]);
  }
}

export interface OidcConfig {
  issuer: string;
  clientId: string;
  /** undefined: a public client (PKCE only) */
  clientSecret?: string;
  redirectUrl: string;
  /** shown on the sign-in button */
  name: string;
  scopes: string;
  roleClaim: string;
  /** claim value -> role; undefined: the role names themselves */
  roleMap?: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

type Raw = Record<string, string | number | boolean | undefined>;

const ajv = new Ajv2020({ coerceTypes: true, useDefaults: true, allErrors: true });
const validate = ajv.compile<Raw>(schema);

/** Names of every variable the configuration schema defines, for documentation and checks. */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(schema.properties);

/**
 * Reads and validates the configuration once at start. Every problem names the variable and
 * the value it had, so an operator can fix all of them in one go.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const raw: Raw = {};
  for (const name of CONFIG_VARIABLES) {
    const value = env[name];
    if (value !== undefined && value !== '') raw[name] = value;
  }
  const given = { ...raw };
  if (!validate(raw)) {
    const problems = (validate.errors ?? []).map((e) => {
      const name = e.instancePath.replace(/^\//, '') || String(e.params.missingProperty ?? e.params.property ?? '');
      const shown = name in given ? ` (got ${JSON.stringify(isSecret(name) ? '***' : given[name])})` : '';
      return `${name || 'configuration'} ${e.message ?? 'is invalid'}${shown}`;
    });
    throw new ConfigError(problems);
  }
  const s = (k: string) => raw[k] as string;
  const n = (k: string) => raw[k] as number;
  const b = (k: string) => raw[k] as boolean;
  const problems: string[] = [];
  const trustedProxies = networks('ACS_TRUSTED_PROXIES', (raw.ACS_TRUSTED_PROXIES as string | undefined) ?? '');
  if (b('ACS_CWMP_PROXY_PROTOCOL') && trustedProxies.text.trim() === '') {
    problems.push('ACS_CWMP_PROXY_PROTOCOL needs ACS_TRUSTED_PROXIES: the networks of the load balancers whose PROXY headers are believed');
  }
  if (n('ACS_CWMP_REQUEST_TIMEOUT_MS') < n('ACS_CWMP_HEADERS_TIMEOUT_MS')) {
    problems.push(`ACS_CWMP_REQUEST_TIMEOUT_MS must be at least ACS_CWMP_HEADERS_TIMEOUT_MS (got ${n('ACS_CWMP_REQUEST_TIMEOUT_MS')} < ${n('ACS_CWMP_HEADERS_TIMEOUT_MS')})`);
  }
  try {
    parseRedisUrl(s('REDIS_URL'));
  } catch (err) {
    if (!(err instanceof RedisUrlError)) throw err;
    problems.push(`REDIS_URL ${err.message} (got ${JSON.stringify(redactRedisUrl(s('REDIS_URL')))})`);
  }
  if (problems.length) throw new ConfigError(problems);
  return {
    mongodbUrl: s('MONGODB_URL'),
    redisUrl: s('REDIS_URL'),
    redisPrefix: s('ACS_REDIS_PREFIX'),
    bindAddress: s('ACS_BIND_ADDRESS'),
    cwmpPort: n('ACS_CWMP_PORT'),
    apiPort: n('ACS_API_PORT'),
    fsPort: n('ACS_FS_PORT'),
    workerPort: n('ACS_WORKER_PORT'),
    metricsPort: n('ACS_METRICS_PORT'),
    mongoCommandMetrics: b('ACS_MONGO_COMMAND_METRICS'),
    syslog: {
      port: n('ACS_SYSLOG_PORT'),
      maxMessageBytes: n('ACS_SYSLOG_MAX_MESSAGE'),
      ratePerSecond: n('ACS_SYSLOG_RATE'),
      perDevice: n('ACS_SYSLOG_EVENTS_PER_DEVICE'),
      retentionSeconds: n('ACS_SYSLOG_RETENTION'),
    },
    tftp: {
      port: n('ACS_TFTP_PORT'),
      maxTransfers: n('ACS_TFTP_MAX_TRANSFERS'),
      maxFileBytes: n('ACS_TFTP_MAX_FILE'),
      maxBlocks: n('ACS_TFTP_MAX_BLOCKS'),
      maxBlksize: n('ACS_TFTP_MAX_BLKSIZE'),
      requestsPerMinute: n('ACS_TFTP_RATE'),
      retries: n('ACS_TFTP_RETRIES'),
      timeoutSeconds: n('ACS_TFTP_TIMEOUT'),
    },
    publicFsUrl: s('ACS_PUBLIC_FS_URL').replace(/\/+$/, ''),
    logLevel: s('LOG_LEVEL'),
    logFormat: s('LOG_FORMAT') as LogFormat,
    secret: raw.ACS_SECRET as string | undefined,
    cwmp: {
      auth: s('ACS_CWMP_AUTH') as DeviceAuthMode,
      credential:
        raw.ACS_CWMP_USERNAME !== undefined
          ? { username: s('ACS_CWMP_USERNAME'), password: s('ACS_CWMP_PASSWORD') }
          : undefined,
      realm: s('ACS_CWMP_REALM'),
      digestAlgorithms: s('ACS_CWMP_DIGEST_ALGORITHMS').split(',') as DigestAlgorithm[],
      nonceTtlSeconds: n('ACS_CWMP_NONCE_TTL'),
      acceptUnknown: b('ACS_CWMP_ACCEPT_UNKNOWN'),
      authFailLimit: n('ACS_CWMP_AUTH_FAIL_LIMIT'),
      authFailWindowSeconds: n('ACS_CWMP_AUTH_FAIL_WINDOW'),
      sessionTimeoutSeconds: n('ACS_CWMP_SESSION_TIMEOUT'),
      maxBodyBytes: n('ACS_CWMP_MAX_BODY'),
      maxDepth: n('ACS_CWMP_MAX_DEPTH'),
      maxRpcsPerSession: n('ACS_CWMP_MAX_RPCS'),
      holdRequests: b('ACS_CWMP_HOLD_REQUESTS'),
      maxConcurrent: n('ACS_CWMP_MAX_CONCURRENT'),
      limits: {
        maxSerialNumberLength: n('ACS_CWMP_MAX_SERIAL_NUMBER'),
        maxProductClassLength: n('ACS_CWMP_MAX_PRODUCT_CLASS'),
        maxParameters: n('ACS_CWMP_MAX_PARAMETERS'),
        maxValueLength: n('ACS_CWMP_MAX_VALUE_LENGTH'),
        maxFaultStringLength: n('ACS_CWMP_MAX_FAULT_STRING'),
        maxEventCodes: n('ACS_CWMP_MAX_EVENT_CODES'),
      },
      tls:
        raw.ACS_CWMP_TLS_CERT !== undefined
          ? {
              certFile: s('ACS_CWMP_TLS_CERT'),
              keyFile: s('ACS_CWMP_TLS_KEY'),
              clientCaFile: raw.ACS_CWMP_TLS_CLIENT_CA as string | undefined,
            }
          : undefined,
      trustedProxies,
      proxyProtocol: b('ACS_CWMP_PROXY_PROTOCOL'),
      headersTimeoutMs: n('ACS_CWMP_HEADERS_TIMEOUT_MS'),
      requestTimeoutMs: n('ACS_CWMP_REQUEST_TIMEOUT_MS'),
    },
    api: {
      maxBodyBytes: n('ACS_API_MAX_BODY'),
      url: s('ACS_API_URL').replace(/\/+$/, ''),
      token: raw.ACS_API_TOKEN as string | undefined,
    },
    console: {
      dir: raw.ACS_CONSOLE_DIR as string | undefined,
      sessionIdleSeconds: n('ACS_CONSOLE_SESSION_IDLE'),
      sessionMaxSeconds: n('ACS_CONSOLE_SESSION_MAX'),
      loginFailLimit: n('ACS_CONSOLE_LOGIN_FAIL_LIMIT'),
      loginFailIpLimit: n('ACS_CONSOLE_LOGIN_FAIL_IP_LIMIT'),
      loginFailWindowSeconds: n('ACS_CONSOLE_LOGIN_FAIL_WINDOW'),
      eventsHeartbeatSeconds: n('ACS_CONSOLE_EVENTS_HEARTBEAT'),
      oidc:
        raw.ACS_CONSOLE_OIDC_ISSUER !== undefined
          ? {
              issuer: s('ACS_CONSOLE_OIDC_ISSUER'),
              clientId: s('ACS_CONSOLE_OIDC_CLIENT_ID'),
              clientSecret: raw.ACS_CONSOLE_OIDC_CLIENT_SECRET as string | undefined,
              redirectUrl: s('ACS_CONSOLE_OIDC_REDIRECT_URL'),
              name: s('ACS_CONSOLE_OIDC_NAME'),
              scopes: s('ACS_CONSOLE_OIDC_SCOPES'),
              roleClaim: s('ACS_CONSOLE_OIDC_ROLE_CLAIM'),
              roleMap: raw.ACS_CONSOLE_OIDC_ROLE_MAP as string | undefined,
            }
          : undefined,
    },
    tasks: { expirySeconds: n('ACS_TASK_EXPIRY') },
    connectionRequests: {
      timeoutMs: n('ACS_CR_TIMEOUT_MS'),
      attempts: n('ACS_CR_ATTEMPTS'),
      concurrency: n('ACS_CR_CONCURRENCY'),
      credential: raw.ACS_CR_USERNAME !== undefined ? { username: s('ACS_CR_USERNAME'), password: s('ACS_CR_PASSWORD') } : undefined,
      allowBasic: b('ACS_CR_ALLOW_BASIC'),
      blockedNetworks: blockedNetworks(s('ACS_CR_BLOCKED_NETWORKS')),
    },
    worker: { reconcileIntervalSeconds: n('ACS_RECONCILE_INTERVAL'), versionSnapshotSeconds: n('ACS_VERSION_SNAPSHOT_INTERVAL'), versionSnapshotRetentionDays: n('ACS_VERSION_SNAPSHOT_RETENTION_DAYS') },
    trace: {
      sessionsPerDevice: n('ACS_TRACE_SESSIONS_PER_DEVICE'),
      retentionDays: n('ACS_TRACE_RETENTION_DAYS'),
      maxBodyChars: n('ACS_TRACE_MAX_BODY'),
      flushMs: n('ACS_TRACE_FLUSH_MS'),
    },
    provisioning: { valueMaxAgeSeconds: n('ACS_PROVISIONING_VALUE_MAX_AGE'), pollMs: n('ACS_PROVISIONING_POLL_MS') },
    tls: {
      revokedSerials: new Set(((raw.ACS_TLS_REVOKED_SERIALS as string | undefined) ?? '').split(',').map((x) => x.trim()).filter(Boolean).map(normaliseSerial)),
      crlFile: raw.ACS_TLS_CRL_FILE as string | undefined,
      expiryWarnDays: n('ACS_TLS_EXPIRY_WARN_DAYS'),
    },
    fs: {
      urlWindowSeconds: n('ACS_FS_URL_WINDOW'),
      maxFileBytes: n('ACS_FS_MAX_FILE'),
      maxReportBytes: n('ACS_FS_MAX_REPORT'),
      caFileType: s('ACS_CA_FILE_TYPE'),
      tls:
        raw.ACS_FS_TLS_CERT !== undefined
          ? { certFile: s('ACS_FS_TLS_CERT'), keyFile: s('ACS_FS_TLS_KEY'), clientCaFile: raw.ACS_FS_TLS_CLIENT_CA as string | undefined }
          : undefined,
      phones: {
        insecure: b('ACS_FS_INSECURE_PHONE_CHANNEL'),
        unproven: s('ACS_FS_UNPROVEN_PROFILE') as 'redact' | 'refuse',
        unprovenBudget: n('ACS_FS_UNPROVEN_BUDGET'),
        unprovenWindowSeconds: n('ACS_FS_UNPROVEN_WINDOW'),
        tokenTtlSeconds: n('ACS_FS_PHONE_TOKEN_TTL'),
        basicOverHttp: b('ACS_FS_PHONE_BASIC_OVER_HTTP'),
      },
    },
  };
}

function isSecret(name: string): boolean {
  return /PASSWORD|SECRET|KEY|TOKEN/.test(name);
}
