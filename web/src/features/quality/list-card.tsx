"use client";

import { Fragment, type ReactNode } from "react";
import { ListFooter, ListState } from "@/components/list-footer";
import type { PagedList } from "@/lib/use-paged";
import styles from "./quality.module.css";

interface ListCardProps<Item> {
  /** The heading's id: the card is labelled by it. */
  titleId: string;
  title: string;
  /** Beside the heading (a filter). */
  control?: ReactNode;
  /** Between the heading and the list (a hint, a notice). */
  intro?: ReactNode;
  list: PagedList<Item>;
  /** What is read, for the loading and failed states ("the holds"). */
  what: string;
  /** What shows when there is no row. */
  empty: string;
  /** What the footer counts ("holds"). */
  noun: string;
  /** The table's caption for screen readers ("Lots on hold, newest first"). */
  caption: string;
  /** The column headings before the actions column. */
  columns: readonly string[];
  /** One item's `<tr>`; its cells carry the column headings as `data-label`. */
  row(item: Item): ReactNode;
  children?: ReactNode;
}

/**
 * A card showing one paged list as a table: its heading (with a control beside it, such as a
 * filter), what it says before the rows, the reading/failed/empty state, the table with a hidden
 * caption and a last column for each row's actions, and the "n of m" footer with "Load more".
 * Rows are the caller's (`<tr>`s); dialogs the rows open go in `children`, after the list.
 */
export function ListCard<Item extends { id: string }>({
  titleId,
  title,
  control,
  intro,
  list,
  what,
  empty,
  noun,
  caption,
  columns,
  row,
  children,
}: ListCardProps<Item>) {
  return (
    <section className={styles.card} aria-labelledby={titleId}>
      <div className={styles.cardHead}>
        <h2 id={titleId} className={styles.cardTitle}>
          {title}
        </h2>
        {control}
      </div>
      {intro}
      <ListState list={list} what={what} empty={empty} />
      {list.items.length > 0 && (
        <>
          <div className={styles.tableWrap}>
            <table className={styles.table}>
              <caption className="visually-hidden">{caption}</caption>
              <thead>
                <tr>
                  {columns.map((column) => (
                    <th key={column} scope="col">
                      {column}
                    </th>
                  ))}
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.items.map((item) => (
                  <Fragment key={item.id}>{row(item)}</Fragment>
                ))}
              </tbody>
            </table>
          </div>
          <ListFooter list={list} noun={noun} />
        </>
      )}
      {children}
    </section>
  );
}
