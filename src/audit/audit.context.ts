import type { Caller } from '../access/caller';
import type { AuditLog } from './audit-log';

/** What the audit log's resolver gets from a request. */
export interface AuditContext {
  caller: Caller;
  services: { audit: AuditLog };
}
