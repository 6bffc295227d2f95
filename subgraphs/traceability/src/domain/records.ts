/** A lot owned by inventory, referenced by key. */
export interface LotRef {
  id: string;
}

export interface LotNode {
  lotId: string;
  code: string | null;
  materialId: string;
  createdAt: Date;
}
