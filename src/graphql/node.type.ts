import { Field, ID, InterfaceType } from 'type-graphql';

@InterfaceType({ description: 'An object with a global id, fetchable with Query.node.' })
export abstract class Node {
  @Field(() => ID)
  id!: string;
}

export type NodeKind = 'Payment' | 'Agreement' | 'Charge';

/** Global ids: base64url of `Kind:part:part…`, opaque to clients. */
export function globalId(kind: NodeKind, ...parts: string[]): string {
  return Buffer.from([kind, ...parts].join(':')).toString('base64url');
}

export function parseGlobalId(id: string): { kind: NodeKind; parts: string[] } | null {
  const [kind, ...parts] = Buffer.from(id, 'base64url').toString('utf8').split(':');
  if (kind !== 'Payment' && kind !== 'Agreement' && kind !== 'Charge') return null;
  if (parts.length === 0 || parts.some((p) => p.length === 0)) return null;
  return { kind, parts };
}
