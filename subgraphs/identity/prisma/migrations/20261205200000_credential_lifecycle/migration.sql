-- Credentials that can end: a person deactivated, a service account's token with an id and an
-- expiry (rotated or revoked by an administrator), and when an account was last seen calling.
ALTER TABLE "user_account" ADD COLUMN "deactivated_at" TIMESTAMPTZ(3);
ALTER TABLE "user_account" ADD COLUMN "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- token_id NULL: an account created before tokens had ids; its one id-less token stays valid
-- until the account is rotated or revoked.
ALTER TABLE "service_account" ADD COLUMN "token_id" UUID;
ALTER TABLE "service_account" ADD COLUMN "expires_at" TIMESTAMPTZ(3);
ALTER TABLE "service_account" ADD COLUMN "last_used_at" TIMESTAMPTZ(3);
ALTER TABLE "service_account" ADD COLUMN "revoked_at" TIMESTAMPTZ(3);
ALTER TABLE "service_account" ADD COLUMN "revoked_by_id" UUID;
