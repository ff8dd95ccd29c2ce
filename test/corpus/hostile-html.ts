/**
 * Formatted bodies a hostile or careless sender may send, for the sanitizer's tests: in Node (each input with
 * its exact output) and through a real homeserver (the same bodies sent, read back and sanitized as the room
 * view does).
 */
import assert from 'node:assert/strict';

const REL = 'rel="noreferrer noopener"';

/** Inputs and what the sanitizer makes of them. */
export const HOSTILE_ROWS: ReadonlyArray<[input: string, expected: string]> = [
  // scripts and other executable or foreign content go with their text
  ['<script>alert(1)</script>hi', 'hi'],
  ['<SCRIPT type="text/javascript">alert(1)</SCRIPT>hi', 'hi'],
  ['<svg><script>alert(1)</script><p>x</p></svg>after', 'after'],
  ['<svg onload=alert(1) />after', 'after'],
  ['<svg onload=alert(1)/>swallowed', ''], // the `/` belongs to the unquoted value, so svg stays open
  ['<style>body{}</style>text', 'text'],
  ['<iframe src="https://evil.example/"></iframe>x', 'x'],
  ['<iframe src="javascript:alert(1)">inner</iframe>x', 'x'],
  ['<math><mi xlink:href="javascript:alert(1)">m</mi></math>x', 'x'],
  ['<template><img src=x onerror=alert(1)></template>x', 'x'],
  ['<noscript><p title="</noscript><img src=x onerror=alert(1)>">x</p></noscript>y', 'y'],
  ['<object data="x"><embed src="x"></object>y', 'y'],
  ['<textarea><b>t</b></textarea><select><option>o</select>z', 'z'],
  [
    '<mx-reply><blockquote><a href="https://matrix.to/#/!r:x">In reply to</a> quoted</blockquote></mx-reply>real',
    'real',
  ],
  // images: mxc only, known attributes only
  ['<img src=x onerror=alert(1)>', ''],
  ['<img src="https://evil/x.png">', ''],
  ['<img src="mxc://example.org/abc" width="10" onload=x>', '<img src="mxc://example.org/abc" width="10">'],
  [
    '<img src="mxc://example.org:8448/a_b-C" height="5" width="10%" alt="a&quot;b" title="t" srcset="x 2x">',
    '<img src="mxc://example.org:8448/a_b-C" height="5" alt="a&quot;b" title="t">',
  ],
  ['<img src="mxc://example.org/../x">', ''],
  // links: safe schemes only, rel forced, target dropped
  ['<a href="javascript:alert(1)">x</a>', `<a ${REL}>x</a>`],
  ['<a href="jav&#x61;script:alert(1)">x</a>', `<a ${REL}>x</a>`],
  ['<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>', `<a ${REL}>x</a>`],
  ['<a href="java\tscript:alert(1)">x</a>', `<a ${REL}>x</a>`],
  ['<a href="java&#x09;script:alert(1)">x</a>', `<a ${REL}>x</a>`],
  ['<a href=" \x01JaVaScRiPt:alert(1)">x</a>', `<a ${REL}>x</a>`],
  ['<a href="data:text/html,<script>alert(1)</script>">x</a>', `<a ${REL}>x</a>`],
  ['<a href="vbscript:msgbox(1)">x</a>', `<a ${REL}>x</a>`],
  ['<a href="//evil.example/">x</a>', `<a ${REL}>x</a>`],
  ['<a href="/relative">x</a>', `<a ${REL}>x</a>`],
  ['<a href="https://example.org" onclick="x" target="_blank">ok</a>', `<a href="https://example.org" ${REL}>ok</a>`],
  ['<a href=" HTTPS://example.org/?a=1&amp;b=2 ">ok</a>', `<a href="HTTPS://example.org/?a=1&amp;b=2" ${REL}>ok</a>`],
  ['<a href="mailto:a@example.org">m</a>', `<a href="mailto:a@example.org" ${REL}>m</a>`],
  ['<a href="matrix:u/alice:example.org" name="n">u</a>', `<a href="matrix:u/alice:example.org" name="n" ${REL}>u</a>`],
  [
    '<a href="https://x.org/&quot;onmouseover=&quot;x">q</a>',
    `<a href="https://x.org/&quot;onmouseover=&quot;x" ${REL}>q</a>`,
  ],
  // attributes outside the allow-list
  ['<p style="color:red" class="x" id="y">p</p>', '<p>p</p>'],
  ['<div onmouseover="alert(1)" data-x="1">d</div>', '<div>d</div>'],
  ['<code class="language-ts other">x</code>', '<code class="language-ts">x</code>'],
  ['<code class="hljs language-c++">x</code>', '<code class="language-c++">x</code>'],
  ['<code class="evil">x</code>', '<code>x</code>'],
  ['<pre><code class="language-js">a &lt; b</code></pre>', '<pre><code class="language-js">a &lt; b</code></pre>'],
  ['<ol start="3" type="a"><li>x</li></ol>', '<ol start="3"><li>x</li></ol>'],
  ['<ol start="3;x"><li>x</li></ol>', '<ol><li>x</li></ol>'],
  ['<table><tr><td colspan="2" rowspan="x">c</td></tr></table>', '<table><tr><td colspan="2">c</td></tr></table>'],
  // colours and spoilers
  ['<font color="#ff0000">r</font>', '<font data-mx-color="#ff0000">r</font>'],
  ['<font color="red">r</font>', '<font>r</font>'],
  ['<span data-mx-color="red" data-mx-bg-color="#00FF00">s</span>', '<span data-mx-bg-color="#00FF00">s</span>'],
  ['<span data-mx-color="#123456;x">s</span>', '<span>s</span>'],
  ['<span data-mx-spoiler="a<b>&quot;">s</span>', '<span data-mx-spoiler="a&lt;b&gt;&quot;">s</span>'],
  ['<span data-mx-spoiler>s</span>', '<span data-mx-spoiler="">s</span>'],
  // structure
  ['<b><i>x</b>y', '<b><i>x</i></b>y'],
  ['<b>open', '<b>open</b>'],
  ['close</i></b>', 'close'],
  ['<p>a<p>b', '<p>a</p><p>b</p>'],
  ['<ul><li>a<li>b</ul>', '<ul><li>a</li><li>b</li></ul>'],
  ['a<br>b<br/>c</br>d<hr>', 'a<br>b<br>c<br>d<hr>'],
  ['<blink>x</blink><marquee>y</marquee>', 'xy'],
  ['<details><summary>s</summary>d</details>', '<details><summary>s</summary>d</details>'],
  // text stays text
  ['&lt;b&gt;', '&lt;b&gt;'],
  ['&lt;script&gt;alert(1)&lt;/script&gt;', '&lt;script&gt;alert(1)&lt;/script&gt;'],
  ['a < b > c & d "q"', 'a &lt; b &gt; c &amp; d "q"'],
  ['<!-- comment -->x', 'x'],
  ['<![CDATA[<script>x</script>]]>y', 'y'],
  ['<?xml version="1.0"?><!DOCTYPE html>z', 'z'],
  ['nul\0byte', 'nulbyte'],
  ['', ''],
];

/** Inputs that must come out harmless, whatever else they become. */
export const HOSTILE_INPUTS: readonly string[] = [
  '<scr<script>ipt>alert(1)</script>',
  '<<script>script>alert(1)<</script>/script>',
  '<img src="mxc://a/b" onerror=alert(1)>',
  '<img/src="mxc://a/b"/onerror=alert(1)>',
  '<a href="javascript&colon;alert(1)">x</a>',
  '<a href="&#0000106avascript:alert(1)">x</a>',
  '<a href="javas\u0000cript:alert(1)">x</a>',
  '<a href="\u2028javascript:alert(1)">x</a>',
  '<a href=javascript:alert(1)>x</a>',
  "<a href='javascript:alert(1)'>x</a>",
  '<div style="background:url(javascript:alert(1))">x</div>',
  '<span style=color:red>x</span>',
  '<p onclick=alert(1)>x</p>',
  '<b ONCLICK="alert(1)">x</b>',
  '<svg><animate onbegin=alert(1) attributeName=x dur=1s>',
  '<math><maction actiontype="statusline" xlink:href="javascript:alert(1)">x</maction></math>',
  '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
  '<object data="javascript:alert(1)"></object>',
  '<embed src="javascript:alert(1)">',
  '<form action="javascript:alert(1)"><button>x</button></form>',
  '<input onfocus=alert(1) autofocus>',
  '<details open ontoggle=alert(1)>x</details>',
  '<body onload=alert(1)>x',
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '<link rel=stylesheet href="javascript:alert(1)">',
  '<base href="javascript:alert(1)//">',
  '<table background="javascript:alert(1)"><td>x</td></table>',
  '<xmp><script>alert(1)</script></xmp>',
  '<noembed><script>alert(1)</script></noembed>',
  '<title><script>alert(1)</script></title>',
  '<a href="https://ok" style="x" onmouseover="alert(1)">x</a>',
  '<font color="#ff0000" onmouseover=alert(1)>x</font>',
  '"><script>alert(1)</script>',
  '<code class="language-x onclick=alert(1)">c</code>',
];

/** Sanitized HTML that can run nothing and load nothing: no script, handler, javascript: link or style. */
export function assertHarmless(html: string, input: string): void {
  assert.doesNotMatch(html, /<script/i, input);
  assert.doesNotMatch(html, /\son\w+=/i, input);
  assert.doesNotMatch(html, /javascript:/i, input);
  assert.doesNotMatch(html, /style=/i, input);
  assert.doesNotMatch(html, /<(iframe|object|embed|form|input|meta|link|base|svg|math)\b/i, input);
}
