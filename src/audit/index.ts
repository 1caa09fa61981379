export { AuditLog, type AuditDoc, type AuditQuery } from './log';
