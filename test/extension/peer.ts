/**
 * A peer client (test/integration/core/e2ee-peer.ts: a matrix-js-sdk client with the Rust crypto, as Element
 * would be) in the extension host, where the extension's engine holds its own copy of matrix-js-sdk: the SDK
 * refuses to load a second copy in one process (a guard against bundling it twice in an app), so its mark is
 * lifted while this test bundle's copy loads, and put back.
 */
import type { MatrixUser } from '../bed/matrix.ts';
import { startPeer, type Peer } from '../integration/core/e2ee-peer.ts';

export async function startPeerBesideTheExtension(user: MatrixUser): Promise<Peer> {
  const global = globalThis as { __js_sdk_entrypoint?: boolean };
  const mark = global.__js_sdk_entrypoint;
  delete global.__js_sdk_entrypoint;
  try {
    return await startPeer(user);
  } finally {
    global.__js_sdk_entrypoint = mark;
  }
}
