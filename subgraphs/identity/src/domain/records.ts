import type { Role } from "@lotgraph/kit";

/** A person as the domain sees it (never carries the password hash out of the store). */
export interface UserRecord {
  id: string;
  email: string;
  name: string;
  roles: Role[];
  createdAt: Date;
  /** Set once an administrator deactivated the person. */
  deactivatedAt: Date | null;
}

export interface ServiceAccountRecord {
  id: string;
  name: string;
  roles: Role[];
  createdAt: Date;
  createdById: string | null;
  /** When its current token stops working (null: a token from before tokens expired). */
  expiresAt: Date | null;
  /** Coarse: refreshed as processes report uses, every credential refresh (10 s by default). */
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  /** The gateway accepts only registered operations (trusted documents) from it. */
  trustedDocumentsOnly: boolean;
}
