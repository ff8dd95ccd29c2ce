import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { safeFileName } from '../../../src/core/text/file-name.ts';

describe('a file name from another person, made safe to write', () => {
  const cases: [string, string][] = [
    ['report.pdf', 'report.pdf'],
    ['../../.ssh/authorized_keys', 'authorized_keys'],
    ['C:\\Windows\\system32\\evil.dll', 'evil.dll'],
    ['.bashrc', 'bashrc'],
    ['notes.txt.', 'notes.txt'],
    ['a\u0000b\nc.txt', 'a_b_c.txt'],
    ['what?<is>this|"*:.png', 'what__is_this____.png'],
    ['CON', '_CON'],
    ['nul.txt', '_nul.txt'],
    ['console.log', 'console.log'],
    ['', 'file'],
    ['...', 'file'],
    ['/', 'file'],
    ['x'.repeat(300), 'x'.repeat(120)],
    ['résumé 📎.docx', 'résumé 📎.docx'],
  ];
  for (const [given, safe] of cases)
    it(`${JSON.stringify(given.slice(0, 40))} → ${safe.slice(0, 40)}`, () => assert.equal(safeFileName(given), safe));
});
