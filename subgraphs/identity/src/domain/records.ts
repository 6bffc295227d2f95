import type { Role } from "@lotgraph/kit";

/** A person as the domain sees it (never carries the password hash out of the store). */
export interface UserRecord {
  id: string;
  email: string;
  name: string;
  roles: Role[];
  createdAt: Date;
}

export interface ServiceAccountRecord {
  id: string;
  name: string;
  roles: Role[];
  createdAt: Date;
  createdById: string | null;
}
