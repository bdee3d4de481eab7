/** What one audit entry is. It never holds a passcode or a token. */
export type AuditAction =
  | 'search'
  | 'pick'
  | 'confirm'
  /** A reset waiting for a second person: requested, approved, denied or expired. */
  | 'approval'
  | 'cancel'
  | 'submit'
  | 'stateChange'
  | 'deliver'
  | 'hide'
  | 'passcodeView'
  | 'notify'
  | 'refused'
  | 'setupCheck'
  | 'configure';

export interface AuditEntry {
  at: string;
  action: AuditAction;
  /** AAD object id and UPN of who acted; 'system' for the tracker. */
  actorId: string;
  actorUpn?: string;
  /** The display name Teams gave for the actor (shown by `audit`; the ids stay beside it). */
  actorName?: string;
  /**
   * On entries about a reset job: the technician it belongs to (AAD object id and UPN),
   * so the tracker's own entries (actorId 'system') still say whose reset it was.
   */
  requesterId?: string;
  requesterUpn?: string;
  requesterName?: string;
  tenantId?: string;
  deviceId?: string;
  deviceName?: string;
  /** Whose device (display name, else UPN): tells two devices of the same name apart. */
  deviceOwner?: string;
  jobId?: string;
  outcome: string;
  ticketRef?: string;
  graphRequestId?: string;
  /** Free text with no secrets (e.g. the search query, the refusal reason code). */
  detail?: string;
}
