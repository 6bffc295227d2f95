-- A service account that may run only the operations registered with Lotgraph (trusted documents).
ALTER TABLE "service_account" ADD COLUMN "trusted_documents_only" BOOLEAN NOT NULL DEFAULT false;
