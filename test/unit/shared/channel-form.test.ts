import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CHANNEL_DEFAULTS, type ChannelConfig } from '../../../src/core/channel/config.ts';
import { applyChanges, diffChannel } from '../../../src/shared/channel-diff.ts';
import {
  allowlistEntryProblem,
  checkForm,
  configFromForm,
  emptyForm,
  formFromConfig,
} from '../../../src/shared/channel-form.ts';

const saved: ChannelConfig = {
  ...CHANNEL_DEFAULTS,
  roomAllowlist: ['#general:example.org'],
  userAllowlist: ['@bob:example.org'],
  id: 'ch-1',
  label: 'Work',
  homeserver: 'example.org',
  authMode: 'password',
  userId: '@alice:example.org',
};
const edit = { mode: 'edit' as const, id: 'ch-1', baseline: saved };

describe('channel form: conversion', () => {
  it('round-trips a saved configuration', () => {
    assert.deepEqual(configFromForm(formFromConfig(saved), 'ch-1'), { config: saved, errors: [] });
  });

  it('takes the method from the session when the settings never recorded one', () => {
    const { authMode: _none, ...unrecorded } = saved;
    assert.equal(formFromConfig({ ...unrecorded, id: 'x' }, 'oidc').authMode, 'oidc');
    assert.equal(formFromConfig(saved, 'oidc').authMode, 'password', 'a recorded method wins');
    assert.equal(formFromConfig({ ...unrecorded, id: 'x' }).authMode, '');
  });

  it('applies the model rules and keeps markup out of the name', () => {
    const { errors } = configFromForm({ ...emptyForm(), homeserver: 'not a server', label: 'Work <b>' }, 'x');
    assert.deepEqual(
      errors.map((e) => e.field),
      ['homeserver', 'label'],
    );
  });
});

describe('channel form: when saving means signing in', () => {
  it('adding always signs in, and needs a method', () => {
    const check = checkForm({ ...emptyForm(), homeserver: 'example.org' }, {}, { mode: 'add', id: 'new' });
    assert.equal(check.signInRequired, true);
    assert.deepEqual(check.errors, [{ field: 'authMode', message: 'Choose how to sign in.' }]);
    assert.equal(check.config, undefined);
  });

  it('adding with a password needs the user ID and the password; OAuth needs neither', () => {
    const form = { ...emptyForm(), homeserver: 'example.org', authMode: 'password' as const };
    assert.deepEqual(
      checkForm(form, {}, { mode: 'add', id: 'new' }).errors.map((e) => e.field),
      ['password', 'userId'],
    );
    assert.deepEqual(
      checkForm({ ...form, userId: '@a:example.org' }, { password: 'pw' }, { mode: 'add', id: 'new' }).errors,
      [],
    );
    assert.deepEqual(checkForm({ ...form, authMode: 'oidc' }, {}, { mode: 'add', id: 'new' }).errors, []);
  });

  it('editing policies needs no sign-in and no secret', () => {
    const check = checkForm({ ...formFromConfig(saved), dmPolicy: 'open', roomAllowlist: [] }, {}, edit);
    assert.deepEqual(check.errors, []);
    assert.equal(check.signInRequired, false);
    assert.deepEqual(check.diff.changed, ['dmPolicy', 'roomAllowlist']);
  });

  it('editing the homeserver, method, user or device needs a sign-in, and says why', () => {
    for (const [patch, reason] of [
      [{ homeserver: 'other.org' }, 'the homeserver changed'],
      [{ authMode: 'oidc' }, 'the sign-in method changed'],
      [{ userId: '@carol:example.org' }, 'the user ID changed'],
      [{ deviceId: 'NEWDEVICE' }, 'the device ID changed'],
    ] as const) {
      const check = checkForm({ ...formFromConfig(saved), ...patch }, {}, edit);
      assert.equal(check.signInRequired, true, reason);
      assert.deepEqual(check.signInReasons, [reason]);
    }
    // Changing to password still wants the password; to OAuth, nothing more.
    assert.deepEqual(
      checkForm({ ...formFromConfig(saved), homeserver: 'other.org' }, {}, edit).errors.map((e) => e.field),
      ['password'],
    );
    assert.deepEqual(checkForm({ ...formFromConfig(saved), authMode: 'oidc' }, {}, edit).errors, []);
  });

  it("a newly entered secret of the chosen method means signing in; another method's secret is ignored", () => {
    const withPassword = checkForm(formFromConfig(saved), { password: 'new', accessToken: 'tok' }, edit);
    assert.equal(withPassword.signInRequired, true);
    assert.deepEqual(withPassword.signInReasons, ['a new password was entered']);
    assert.deepEqual(withPassword.secrets, { password: 'new' });
    assert.equal(
      checkForm(formFromConfig(saved), { password: '   ' }, edit).signInRequired,
      false,
      'blank is not entered',
    );
  });

  it('an explicit sign-in request signs in even without changes', () => {
    const check = checkForm(
      { ...formFromConfig(saved), authMode: 'oidc' },
      {},
      { ...edit, baseline: { ...saved, authMode: 'oidc' }, signIn: true },
    );
    assert.equal(check.signInRequired, true);
    assert.deepEqual(check.errors, []);
  });
});

describe('channel diff', () => {
  it('lists changed fields in form order, lists compared by value', () => {
    assert.deepEqual(diffChannel(saved, { ...saved, roomAllowlist: ['#general:example.org'] }).changed, []);
    assert.deepEqual(diffChannel(saved, { ...saved, notifications: false, label: 'Home' }).changed, [
      'label',
      'notifications',
    ]);
  });

  it('applies only the changed fields over the current configuration; an emptied field is removed', () => {
    const current = { ...saved, mentionMode: 'always' as const };
    const after = { ...saved, dmPolicy: 'open' as const };
    delete after.label;
    const { label: _removed, ...withoutLabel } = current;
    assert.deepEqual(applyChanges(current, after, ['dmPolicy', 'label']), { ...withoutLabel, dmPolicy: 'open' });
    assert.deepEqual(applyChanges(current, after, []), current);
  });
});

describe('allowlist entries', () => {
  it('accepts IDs, aliases and globs by the model rules, and refuses the rest with a reason', () => {
    assert.equal(allowlistEntryProblem('roomAllowlist', '#general:example.org'), undefined);
    assert.equal(allowlistEntryProblem('roomAllowlist', '*:example.org'), undefined);
    assert.equal(allowlistEntryProblem('userAllowlist', '@*:example.org'), undefined);
    assert.equal(allowlistEntryProblem('userAllowlist', 'bob'), 'Not a user ID (@user:server) or * pattern.');
    assert.equal(
      allowlistEntryProblem('roomAllowlist', '@bob:example.org'),
      'Not a room ID (!id:server), alias (#alias:server) or * pattern.',
    );
    assert.equal(allowlistEntryProblem('roomAllowlist', ' '), 'Enter an entry first.');
    assert.match(
      allowlistEntryProblem('roomAllowlist', `#${'a'.repeat(300)}:example.org`)!,
      /longer than 255 characters/,
    );
  });

  it('refuses duplicates, user IDs without regard to case', () => {
    assert.equal(
      allowlistEntryProblem('userAllowlist', '@Bob:example.org', ['@bob:example.org']),
      'Already in the list.',
    );
    assert.equal(allowlistEntryProblem('roomAllowlist', '#General:example.org', ['#general:example.org']), undefined);
  });
});
