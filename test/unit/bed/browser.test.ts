import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseForms } from '../../bed/browser.ts';

describe('bed browser form parsing', () => {
  it('collects inputs inside a form and those attached with form=', () => {
    const html = `<form id="op.deviceConfirmForm" method="post" action="/link">
      <input type="hidden" name="xsrf" value="a&amp;b"/><input type="hidden" name="confirm" value="yes"/></form>
      <input name="extra" form="op.deviceConfirmForm" value='x'>
      <form action="/other"><input name="q"></form>`;
    const forms = parseForms(html);
    assert.equal(forms.length, 2);
    assert.deepEqual(forms[0], {
      id: 'op.deviceConfirmForm',
      action: '/link',
      method: 'POST',
      fields: [
        { name: 'xsrf', value: 'a&b' },
        { name: 'confirm', value: 'yes' },
        { name: 'extra', value: 'x' },
      ],
    });
    assert.deepEqual(forms[1], { action: '/other', method: 'GET', fields: [{ name: 'q', value: '' }] });
  });
});
