/**
 * Generations of a session's token pairs: "<lineage>.<n>", a random lineage per sign-in and a count that grows
 * with each renewal. Not secrets: windows publish them to tell whose refresh token is the current one. A pair is
 * current when it is of the published lineage and not older than the published count (the owner may have saved
 * a renewal it had not yet published when it closed).
 */
import { randomUUID } from 'node:crypto';

export function firstGeneration(): string {
  return `${randomUUID()}.0`;
}

/** The generation of the pair that renews `previous` (a new lineage when it had none). */
export function nextGeneration(previous: string | undefined): string {
  const parsed = parse(previous);
  return parsed ? `${parsed.lineage}.${parsed.count + 1}` : firstGeneration();
}

/** Whether a window holding `mine` may use its refresh token, given the generation last `published`. */
export function isCurrentGeneration(mine: string | undefined, published: string | undefined): boolean {
  if (published === undefined) return true;
  const [a, b] = [parse(mine), parse(published)];
  return !!a && !!b && a.lineage === b.lineage && a.count >= b.count;
}

function parse(generation: string | undefined): { lineage: string; count: number } | undefined {
  const match = generation ? /^(.+)\.(\d+)$/.exec(generation) : null;
  return match ? { lineage: match[1]!, count: Number(match[2]) } : undefined;
}
