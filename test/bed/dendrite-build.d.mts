// Types of dendrite-build.mjs, for test/bed/dendrite.ts and the unit tests.

/** A go binary tried, with its `go env GOVERSION` (undefined: it does not run). */
export interface GoFound {
  path: string;
  version: string | undefined;
}

type Env = Record<string, string | undefined>;

export const DENDRITE_VERSION: string;
export const DENDRITE_COMMANDS: readonly string[];
export const GO_MINOR_NEEDED: number;
export function dendriteBin(cache: string): string;
export function isDendriteBuilt(cache: string): boolean;
export function goMinor(version: string | undefined): number;
export function isGoNewEnough(version: string | undefined): boolean;
export function debianGoPath(minor: number): string;
export function goVersion(go: string): string | undefined;
export function goCandidates(env?: Env): string[];
export function probeGo(env?: Env): GoFound[];
export function usableGo(found: readonly GoFound[]): GoFound | undefined;
export function describeGoFound(found: readonly GoFound[], env?: Env): string;
