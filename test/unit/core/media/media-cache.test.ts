/**
 * The room view's media cache (src/core/media/media-cache.ts): bounded by bytes, least recently used out first,
 * one load for many requests of a key, and failures not kept.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MediaCache } from '../../../../src/core/media/media-cache.ts';
import type { Media } from '../../../../src/core/media/media-download.ts';

const sized = (bytes: number): Media => ({ bytes: new Uint8Array(bytes), mimetype: 'image/png' });

/** A load that resolves (or rejects) when told, counting its calls. */
function deferredLoad() {
  let settle: { resolve: (media: Media) => void; reject: (error: Error) => void } | undefined;
  let calls = 0;
  const load = () => {
    calls++;
    return new Promise<Media>((resolve, reject) => (settle = { resolve, reject }));
  };
  return { load, settle: () => settle!, calls: () => calls };
}

describe('the media cache', () => {
  it('holds at most its bytes, letting the least recently used go first', async () => {
    const cache = new MediaCache(100);
    for (const key of ['a', 'b', 'c']) await cache.get(key, async () => sized(30));
    assert.deepEqual([cache.keys(), cache.bytes], [['a', 'b', 'c'], 90]);
    assert.equal(cache.peek('a')?.bytes.byteLength, 30, 'a is now the most recent');
    await cache.get('d', async () => sized(30));
    assert.deepEqual([cache.keys(), cache.bytes], [['c', 'a', 'd'], 90]);
    await cache.get('e', async () => sized(70));
    assert.deepEqual([cache.keys(), cache.bytes], [['d', 'e'], 100]);
    await cache.get('huge', async () => sized(101));
    assert.deepEqual([cache.keys(), cache.bytes], [['d', 'e'], 100], 'one larger than the bound is not held');
    cache.set('d', sized(10));
    assert.deepEqual([cache.keys(), cache.bytes], [['e', 'd'], 80], 'a replaced value is counted once');
  });

  it('answers from what it holds without loading again', async () => {
    const cache = new MediaCache(100);
    let loads = 0;
    const load = async () => (loads++, sized(10));
    const first = await cache.get('a', load);
    assert.equal(await cache.get('a', load), first);
    assert.equal(loads, 1);
  });

  it('shares one load among the requests for a key', async () => {
    const cache = new MediaCache(100);
    const { load, settle, calls } = deferredLoad();
    const requests = [cache.get('avatar', load), cache.get('avatar', load), cache.get('avatar', load)];
    assert.equal(calls(), 1);
    const media = sized(5);
    settle().resolve(media);
    const answers = await Promise.all(requests);
    assert.ok(answers.every((answer) => answer === media));
    assert.deepEqual(cache.keys(), ['avatar']);
  });

  it('keeps no failure: everyone waiting gets it, and the next request loads again', async () => {
    const cache = new MediaCache(100);
    const { load, settle, calls } = deferredLoad();
    const requests = [cache.get('a', load), cache.get('a', load)];
    settle().reject(new Error('The image could not be loaded'));
    for (const request of requests) await assert.rejects(request, /could not be loaded/);
    assert.deepEqual(cache.keys(), []);
    const again = cache.get('a', load);
    assert.equal(calls(), 2);
    settle().resolve(sized(1));
    assert.equal((await again).bytes.byteLength, 1);
  });

  it('forgets on clear, even a load that was on its way', async () => {
    const cache = new MediaCache(100);
    await cache.get('a', async () => sized(10));
    const { load, settle } = deferredLoad();
    const pending = cache.get('b', load);
    cache.clear();
    settle().resolve(sized(10));
    await pending;
    assert.deepEqual([cache.keys(), cache.bytes], [[], 0]);
  });
});
