import { PageInfo } from './page-info.type';

/** Builds the Relay `pageInfo` for a forward page. */
export function pageInfo(items: readonly { cursor: string }[], hasNextPage: boolean, hasPreviousPage: boolean): PageInfo {
  return Object.assign(new PageInfo(), {
    hasNextPage,
    hasPreviousPage,
    startCursor: items[0]?.cursor ?? null,
    endCursor: items.at(-1)?.cursor ?? null,
  });
}
