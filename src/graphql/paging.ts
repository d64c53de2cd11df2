import { GraphQLError } from 'graphql';

/** Page sizes and opaque cursors for Relay connections. */
export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

export function encodeCursor(value: string): string {
  return Buffer.from(value).toString('base64url');
}

export function decodeCursor(cursor: string): string {
  return Buffer.from(cursor, 'base64url').toString('utf8');
}

export interface Page<T> {
  items: { cursor: string; node: T }[];
  hasNextPage: boolean;
  totalCount: number;
}

/** `first` as asked, or the default; outside 1..MAX_PAGE_SIZE is the caller's error. */
export function pageSize(first: number | null | undefined): number {
  const size = first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
    throw new GraphQLError(`first must be between 1 and ${MAX_PAGE_SIZE}.`, { extensions: { code: 'BAD_USER_INPUT' } });
  }
  return size;
}

export function badCursor(): never {
  throw new GraphQLError('The cursor is not valid.', { extensions: { code: 'BAD_USER_INPUT' } });
}
