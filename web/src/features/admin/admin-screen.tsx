"use client";

import Link from "next/link";
import pageStyles from "@/components/page.module.css";
import { useMe } from "@/features/auth/use-me";
import { grants } from "@/lib/roles";
import { ServiceAccountsPanel } from "./service-accounts-panel";
import { UsersPanel } from "./users-panel";
import { WebhooksPanel } from "./webhooks-panel";

/** Administration (ADMIN): the people who sign in, the service accounts integrations and displays use, and webhooks. */
export function AdminScreen() {
  const { me, loading } = useMe();
  if (loading)
    return (
      <div className="page-status" role="status">
        Loading…
      </div>
    );
  if (!me || !grants(me.roles, ["ADMIN"]))
    return (
      <div className={pageStyles.statePanel}>
        <h1>Administration</h1>
        <p>Users and service accounts are managed by administrators.</p>
        <Link href="/" className="button">
          Go to the floor
        </Link>
      </div>
    );
  return (
    <>
      <div className={pageStyles.toolbar}>
        <div>
          <h1 className={pageStyles.title}>Administration</h1>
          <p className={pageStyles.lede}>
            Who may sign in and with which roles, the service accounts of integrations and floor displays, and the
            webhooks that push events to an ERP.
          </p>
        </div>
      </div>
      <UsersPanel />
      <ServiceAccountsPanel />
      <WebhooksPanel />
    </>
  );
}
