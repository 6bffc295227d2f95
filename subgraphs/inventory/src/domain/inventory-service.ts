import type { Database } from "@lotgraph/kit";
import type { InventoryClient, InventoryTx } from "../store/inventory-store.ts";
import { HoldService } from "./holds.ts";
import { InternalService } from "./internal.ts";
import { MasterDataService } from "./master-data.ts";
import { MasterDataChanges } from "./master-data-changes.ts";
import { QualityDecisionService } from "./quality-decisions.ts";
import { InventoryQueries, type QueryLoaders } from "./queries.ts";
import { ReceivingService } from "./receiving.ts";
import { ShippingService } from "./shipping.ts";
import { StockService } from "./stock.ts";

/**
 * Inventory's rules, one service per concern, built per request (see server.ts) so reads batch
 * through that request's loaders without any signature carrying them. Inventory is the only subgraph that writes lot
 * quantity and availability; every such write goes through the ledger (`ledger.ts`).
 */
export class InventoryService {
  readonly masterData: MasterDataService;
  readonly masterDataChanges: MasterDataChanges;
  readonly receiving: ReceivingService;
  readonly stock: StockService;
  readonly shipping: ShippingService;
  readonly internal: InternalService;
  readonly holds: HoldService;
  readonly qualityDecisions: QualityDecisionService;
  readonly queries: InventoryQueries;

  constructor(db: Database<InventoryClient, InventoryTx>, loaders: QueryLoaders) {
    this.masterData = new MasterDataService(db);
    this.masterDataChanges = new MasterDataChanges(db);
    this.receiving = new ReceivingService(db);
    this.stock = new StockService(db);
    this.shipping = new ShippingService(db);
    this.internal = new InternalService(db);
    this.holds = new HoldService(db);
    this.qualityDecisions = new QualityDecisionService(db);
    this.queries = new InventoryQueries(db, loaders);
  }
}
