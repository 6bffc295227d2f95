"use client";

import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { useEffect } from "react";
import { useQuery } from "urql";
import { MeQuery } from "@/features/auth/operations";
import { useMe } from "@/features/auth/use-me";
import { clearToken } from "@/lib/auth-token";
import { grants, type Role } from "@/lib/roles";
import styles from "./app-shell.module.css";

/** The screens, each shown to the roles that may use it (the API enforces the same). */
const NAV: ReadonlyArray<{ href: string; label: string; roles: readonly Role[] }> = [
  { href: "/", label: "Floor", roles: ["VIEWER"] },
  { href: "/lots", label: "Lots", roles: ["VIEWER"] },
  { href: "/trace", label: "Trace", roles: ["VIEWER"] },
  { href: "/production", label: "Production", roles: ["OPERATOR"] },
  { href: "/quality", label: "Quality", roles: ["OPERATOR"] },
  { href: "/recall", label: "Recalls", roles: ["MANAGER", "AUDITOR"] },
  { href: "/import", label: "Import", roles: ["MANAGER"] },
  { href: "/audit", label: "Audit trail", roles: ["AUDITOR"] },
  { href: "/admin", label: "Admin", roles: ["ADMIN"] },
];

function SignedInUser() {
  const [{ data, fetching }] = useQuery({ query: MeQuery });
  const signedOut = data !== undefined && data.me === null;

  // `me` is null (not an error) when the gateway no longer accepts the token.
  useEffect(() => {
    if (signedOut) clearToken();
  }, [signedOut]);

  if (fetching && !data) return <span className={styles.userSkeleton} aria-label="Loading user" />;
  const me = data?.me;
  if (!me) return null;
  return (
    <Link
      href="/account"
      className={styles.user}
      title="Your account and password"
      aria-label={`Your account: ${me.name}`}
    >
      <span className={styles.avatar} aria-hidden="true" title={me.name}>
        {me.name.slice(0, 1).toUpperCase()}
      </span>
      <span className={styles.userText}>
        <strong data-testid="user-name">{me.name}</strong>
        <small>{me.roles.map((r) => r.toLowerCase()).join(" · ")}</small>
      </span>
    </Link>
  );
}

export function AppHeader() {
  const router = useRouter();
  const pathname = usePathname();
  const { me } = useMe();
  const items = NAV.filter((item) => me && grants(me.roles, item.roles));

  function signOut() {
    clearToken();
    router.replace("/login");
  }

  return (
    <header className={styles.header}>
      <Link href="/" className={styles.brand}>
        <span className={styles.logo} aria-hidden="true">
          LG
        </span>
        Lotgraph
      </Link>
      <nav className={styles.nav} aria-label="Main">
        {items.map((item) => (
          <Link
            key={item.href}
            href={item.href}
            className={styles.navLink}
            aria-current={(item.href === "/" ? pathname === "/" : pathname.startsWith(item.href)) ? "page" : undefined}
          >
            {item.label}
          </Link>
        ))}
      </nav>
      <div className={styles.account}>
        <SignedInUser />
        <button type="button" className="button button-on-dark" onClick={signOut}>
          Sign out
        </button>
      </div>
    </header>
  );
}
