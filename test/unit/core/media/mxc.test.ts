/** mxc:// URIs come from other people's events: only a server name and a plain media ID get through. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mxcUri, parseMxc } from '../../../../src/core/media/mxc.ts';

describe('mxc URIs', () => {
  it('reads the server name (host, IPv4, [IPv6], with a port) and the media ID', () => {
    const good: Array<[string, string, string]> = [
      ['mxc://example.org/AbC123_-x', 'example.org', 'AbC123_-x'],
      ['mxc://matrix.example.org:8448/abc', 'matrix.example.org:8448', 'abc'],
      ['mxc://localhost/x', 'localhost', 'x'],
      ['mxc://127.0.0.1:8008/x', '127.0.0.1:8008', 'x'],
      ['mxc://[::1]:8448/x', '[::1]:8448', 'x'],
      ['mxc://[2001:db8::1]/x', '[2001:db8::1]', 'x'],
    ];
    for (const [uri, serverName, mediaId] of good) {
      assert.deepEqual(parseMxc(uri), { serverName, mediaId }, uri);
      assert.equal(mxcUri({ serverName, mediaId }), uri);
    }
  });

  it('refuses anything else', () => {
    const bad: unknown[] = [
      'mxc://a/../b',
      'mxc://a/..',
      'mxc://evil.com/x?y',
      'mxc://evil.com/x#y',
      'mxc://evil.com/x/y',
      'mxc://evil.com/x%2Fy',
      'mxc://evil .com/x',
      'mxc://evil.com/x y',
      ' mxc://evil.com/x',
      'mxc://evil.com/x\n',
      'mxc://evil.com/',
      'mxc:///x',
      'mxc://evil.com',
      'mxc://',
      'mxc://evil.com:/x',
      'mxc://evil.com:99999/x',
      'mxc://evil.com:80:80/x',
      'mxc://user@evil.com/x',
      'mxc://evil..com/x',
      'mxc://.evil.com/x',
      'mxc://[evil.com]/x',
      'mxc://évil.com/x',
      'MXC://evil.com/x',
      'https://evil.com/x',
      'mxc:/evil.com/x',
      '',
      undefined,
      null,
      42,
      { serverName: 'evil.com', mediaId: 'x' },
    ];
    for (const uri of bad) assert.equal(parseMxc(uri), undefined, JSON.stringify(uri));
  });
});
