/** The core's words: English as written until the host sets a translator, then the translator's, in every copy. */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { bundleKey, formatMessage, l10n, setTranslator } from '../../../src/core/l10n.ts';

describe('core l10n', () => {
  afterEach(() => setTranslator(undefined));

  it('formats the arguments into the English message when no translator is set', () => {
    assert.equal(l10n.t('{0} mentioned you in {1}: {2}', 'Bob', '#dev', 'hi'), 'Bob mentioned you in #dev: hi');
    assert.equal(formatMessage('{0} and {3}', ['a']), 'a and {3}', 'a placeholder without an argument stays');
  });

  it("uses the host's translator, which every copy of the module finds (the engine bundle has its own)", () => {
    const seen: Array<[string, unknown[]]> = [];
    setTranslator((message, args) => {
      seen.push([message, args]);
      return `[${formatMessage(message, args)}]`;
    });
    assert.equal(l10n.t('Sign in to {0}', 'example.org'), '[Sign in to example.org]');
    assert.deepEqual(seen, [['Sign in to {0}', ['example.org']]]);
    const shared = (globalThis as Record<symbol, unknown>)[Symbol.for('matrix-channels.translate')];
    assert.equal(typeof shared, 'function', 'kept on globalThis under the registered symbol');
  });

  it('passes a note for translators along, keyed as VS Code keys it', () => {
    const seen: unknown[] = [];
    setTranslator((message, args, comment) => {
      seen.push({ message, args, comment });
      return formatMessage(message, args);
    });
    assert.equal(l10n.t({ message: 'in {0} s', args: [5], comment: ['{0} is a number of seconds'] }), 'in 5 s');
    assert.deepEqual(seen, [{ message: 'in {0} s', args: [5], comment: ['{0} is a number of seconds'] }]);
    assert.equal(bundleKey('in {0} s', ['{0} is a number', ' of seconds']), 'in {0} s/{0} is a number of seconds');
    assert.equal(bundleKey('Save'), 'Save');
  });
});
