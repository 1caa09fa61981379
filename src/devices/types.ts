import type { DeviceIdStruct, EventStruct, ParamValue, XsdType } from '../cwmp/soap/types';

/**
 * A learned parameter. Short keys because a phone's model has a thousand of them and every
 * one is stored in the device document.
 */
export interface ParamLeaf {
  /** value as last reported or successfully set */
  _v?: ParamValue;
  /** xsd type of `_v` */
  _t?: XsdType;
  /** when `_v` was learned */
  _ts?: Date;
  /** writable, from GetParameterNames */
  _w?: boolean;
  /** notification (0-6) and access list, from GetParameterAttributes */
  _n?: number;
  _a?: string[];
  /** when the attributes were learned */
  _ats?: Date;
}

/** An object node (path ending in "."), learned from GetParameterNames or AddObject. */
export interface ParamObject {
  _o: true;
  _w?: boolean;
  _ts?: Date;
}

/**
 * The device's parameters nested by path segment: `Device.DeviceInfo.SoftwareVersion` is
 * `params.Device.DeviceInfo.SoftwareVersion`. Nesting lets MongoDB filter and project any
 * parameter by its dotted path, and a subtree be dropped in one `$unset`.
 */
export type ParamTree = { [segment: string]: ParamTree | ParamLeaf | ParamObject | boolean | unknown };

/**
 * Everything the ACS learned about a device's data model, in the `device_params` collection
 * under the device's id. Kept apart from the device document so that a periodic session reads
 * and writes a small document whatever the size of the device's data model.
 */
export interface DeviceParamsDoc {
  _id: string;
  params: ParamTree;
}

/** A device document with its learned parameters, as the API shows it. */
export type DeviceWithParams = DeviceDoc & { params: ParamTree };

/**
 * The device document (`devices`): identity, session bookkeeping and what filters need. The
 * learned parameter tree lives in `device_params` (DeviceParamsDoc), so that a session's read
 * and write stay small whatever the size of the device's data model.
 */
export interface DeviceDoc {
  /** `OUI-ProductClass-SerialNumber`, see deviceKey() */
  _id: string;
  deviceId: DeviceIdStruct;
  registeredAt: Date;
  lastInformAt: Date;
  lastBootAt?: Date;
  lastBootstrapAt?: Date;
  /** events of the last Inform, as sent */
  lastEvents: EventStruct[];
  /** last time each event code was seen, keyed by escapeKey(code) */
  eventTimes: Record<string, Date>;
  /** CWMP version and namespace of the last session */
  cwmpVersion: string;
  remoteAddress?: string;
  /** RetryCount of the last Inform: > 0 means earlier sessions failed */
  retryCount: number;
  /** denormalised from the Inform for filters, sorting and connection requests */
  softwareVersion?: string;
  hardwareVersion?: string;
  provisioningCode?: string;
  parameterKey?: string;
  connectionRequestUrl?: string;
  /** 12 lower-case hex digits; phones are found by it on the fs role (see mac-directory.ts) */
  mac?: string;
  /**
   * TR-111 gateway association: the gateway a LAN device (a phone) reports in
   * Device.GatewayInfo (learned from DHCP option 125), and the LAN devices a gateway reports in
   * ManagementServer.ManageableDevice.{i}.
   */
  gateway?: Tr111Identity;
  manageableDevices?: Tr111Identity[];
  /**
   * Digest of the parameter values the last Inform reported (learn.ts informDigest): a session
   * writes the parameter tree only when the new Inform's digest differs.
   */
  informDigest?: string;
  /** methods the device listed in GetRPCMethodsResponse, once asked */
  rpcMethods?: string[];
  tags: string[];
  /**
   * Ids of this device's tasks not yet finished, oldest first. The session learns from the
   * device document alone whether work is waiting, so an idle session never queries `tasks`.
   */
  taskQueue: string[];
  /**
   * Per-device CWMP credential (overrides the global one), kept only as Digest HA1 values for
   * the realm they were made for: enough to check Digest and Basic, useless as a password.
   */
  credentials?: DeviceCredentials;
  /** this device's entries in the search index (`device_search`), see search-index.ts */
  searchKeys?: string[];
  /** credential the ACS uses for connection requests to this device */
  connectionRequestAuth?: { username: string; password: string };
}

export interface DeviceCredentials {
  username: string;
  realm: string;
  ha1Md5: string;
  ha1Sha256: string;
}

/** A device as TR-111 names it: OUI, serial number and product class. */
export interface Tr111Identity {
  oui: string;
  serialNumber: string;
  productClass: string;
}
