"use client";

import { useEffect } from "react";

/**
 * Names the browser tab once the page knows what it shows: a recall case's number, read in the
 * browser with the user's token, is not known to the server that renders the page's metadata. In
 * the layout's "… · Lotgraph" form, so tabs and bookmarks read alike across the app.
 */
export function useDocumentTitle(title: string | null | undefined): void {
  useEffect(() => {
    if (title) document.title = `${title} · Lotgraph`;
  }, [title]);
}
