export { AuditReader, type AuditQuery } from './audit-reader';
