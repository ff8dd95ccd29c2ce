/**
 * scripts/prerequisites.mjs decides, from what the machine has, what `npm test` and `npm start` install before
 * anything runs or what they say and stop with; and test/bed/dendrite-build.mjs knows what building Dendrite takes.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  DENDRITE_COMMANDS,
  dendriteBin,
  describeGoFound,
  goCandidates,
  goMinor,
  isDendriteBuilt,
  isGoNewEnough,
} from '../../bed/dendrite-build.mjs';
// @ts-expect-error: a plain ES module script, without types
import { decidePrerequisites } from '../../../scripts/prerequisites.mjs';

interface Facts {
  root: boolean;
  apt: boolean;
  missing: Array<{ what: string; pkg: string }>;
  go?: {
    env: string | undefined;
    found: Array<{ path: string; version: string | undefined }>;
    aptMinors: number[];
    bin: string;
  };
}
interface Decision {
  install: string[];
  what: string[];
  go?: string;
  stop?: string;
}
const decide = decidePrerequisites as (facts: Facts) => Decision;

const BIN = '/cache/dendrite-0.13.8/bin';
const chromium = { what: 'Chromium', pkg: 'chromium' };
const compiler = { what: 'a C compiler (Dendrite uses cgo)', pkg: 'build-essential' };
const root = { root: true, apt: true };
const user = { root: false, apt: true };
const noApt = { root: false, apt: false };
/** Go facts: `found` as [path, version] pairs; absent facts.go means Dendrite is already built (or not needed). */
const go = (found: Array<[string, string?]>, aptMinors: number[] = [], env?: string): Facts['go'] => ({
  env,
  found: found.map(([path, version]) => ({ path, version })),
  aptMinors,
  bin: BIN,
});
const noGo = go([['go']], [19]);

const GO_MISSING =
  `Missing: Go 1.21 or newer, to build Dendrite 0.13.8 (the test bed's second homeserver) once into ${BIN}; ` +
  'found no go on PATH.';
const GO_FROM_GO_DEV =
  'install Go 1.21 or newer from https://go.dev/doc/install (or set GO to a go binary of 1.21 or newer), ' +
  'then run this again.';

const cases: Array<{ name: string; facts: Facts; expected: Decision }> = [
  {
    name: 'everything present, Dendrite not needed or already built: nothing to do',
    facts: { ...user, missing: [] },
    expected: { install: [], what: [] },
  },
  {
    name: 'Dendrite already built: no Go wanted, even with none on the machine',
    facts: { ...noApt, missing: [] },
    expected: { install: [], what: [] },
  },
  {
    name: 'root with apt-get: a missing package is installed',
    facts: { ...root, missing: [chromium] },
    expected: { install: ['chromium'], what: ['Chromium'] },
  },
  {
    name: 'not root: stop with the exact command',
    facts: { ...user, missing: [chromium] },
    expected: {
      install: [],
      what: [],
      stop:
        'Missing: Chromium (chromium). Install them, then run this again:\n' +
        "  sudo sh -c 'apt-get update && apt-get install -y --no-install-recommends chromium'",
    },
  },
  {
    name: 'no apt-get: stop, naming the package',
    facts: { ...noApt, missing: [chromium] },
    expected: {
      install: [],
      what: [],
      stop: "Missing: Chromium (chromium). Install them with your system's package manager, then run this again.",
    },
  },
  {
    name: 'one package wanted by two needs is installed once',
    facts: { ...root, missing: [{ what: 'a C/C++ compiler and make', pkg: 'build-essential' }, compiler] },
    expected: {
      install: ['build-essential'],
      what: ['a C/C++ compiler and make', 'a C compiler (Dendrite uses cgo)'],
    },
  },
  {
    name: 'Go on PATH new enough: used as it is',
    facts: { ...user, missing: [], go: go([['go', 'go1.22.2']]) },
    expected: { install: [], what: [], go: 'go' },
  },
  {
    name: "Go on PATH too old, Debian's newer one installed: that one is used",
    facts: {
      ...user,
      missing: [],
      go: go([
        ['go', 'go1.19.8'],
        ['/usr/lib/go-1.22/bin/go', 'go1.22.2'],
      ]),
    },
    expected: { install: [], what: [], go: '/usr/lib/go-1.22/bin/go' },
  },
  {
    name: 'root, no Go, apt offers golang-1.22-go and golang-1.23-go: the newest is installed and used',
    facts: { ...root, missing: [], go: go([['go']], [19, 22, 23]) },
    expected: {
      install: ['golang-1.23-go'],
      what: ['Go 1.21 or newer, to build Dendrite'],
      go: '/usr/lib/go-1.23/bin/go',
    },
  },
  {
    name: 'root, no Go and no C compiler, apt offers Go: both installed',
    facts: { ...root, missing: [compiler], go: go([['go', 'go1.19.8']], [22]) },
    expected: {
      install: ['build-essential', 'golang-1.22-go'],
      what: ['a C compiler (Dendrite uses cgo)', 'Go 1.21 or newer, to build Dendrite'],
      go: '/usr/lib/go-1.22/bin/go',
    },
  },
  {
    name: 'not root, apt offers Go: the command installs it (found without GO on the next run)',
    facts: { ...user, missing: [], go: go([['go']], [22]) },
    expected: {
      install: [],
      what: [],
      stop:
        'Missing: Go 1.21 or newer, to build Dendrite (golang-1.22-go). Install them, then run this again:\n' +
        "  sudo sh -c 'apt-get update && apt-get install -y --no-install-recommends golang-1.22-go'",
    },
  },
  {
    name: 'root on Debian 12 without Go (apt offers only 1.19): stop, pointing at go.dev',
    facts: { ...root, missing: [], go: noGo },
    expected: {
      install: [],
      what: [],
      stop: `${GO_MISSING}\napt offers no golang-1.21-go or newer here (only golang-1.19-go): ${GO_FROM_GO_DEV}`,
    },
  },
  {
    name: 'root without Go, and Chromium missing: Chromium is installed, then the run stops on Go',
    facts: { ...root, missing: [chromium], go: noGo },
    expected: {
      install: ['chromium'],
      what: ['Chromium'],
      stop: `${GO_MISSING}\napt offers no golang-1.21-go or newer here (only golang-1.19-go): ${GO_FROM_GO_DEV}`,
    },
  },
  {
    name: 'not root, without Go, and Chromium missing: one message with the command and the Go instructions',
    facts: { ...user, missing: [chromium], go: go([['go']]) },
    expected: {
      install: [],
      what: [],
      stop:
        `Missing: Chromium (chromium); ${GO_MISSING.slice('Missing: '.length, -1)}. Install the packages:\n` +
        "  sudo sh -c 'apt-get update && apt-get install -y --no-install-recommends chromium'\n" +
        `apt offers no golang-1.21-go or newer here: ${GO_FROM_GO_DEV}`,
    },
  },
  {
    name: 'no apt-get, without Go: go.dev',
    facts: { ...noApt, missing: [], go: go([['go', 'go1.20.1']]) },
    expected: {
      install: [],
      what: [],
      stop: `${GO_MISSING.replace('no go on PATH', 'go1.20.1 (go)')}\nI${GO_FROM_GO_DEV.slice(1)}`,
    },
  },
  {
    name: 'GO set to a Go too old: stop and say so, even when apt offers a newer one',
    facts: { ...root, missing: [], go: go([['/opt/go/bin/go', 'go1.20.14']], [], '/opt/go/bin/go') },
    expected: {
      install: [],
      what: [],
      stop:
        GO_MISSING.replace('no go on PATH', 'go1.20.14 (/opt/go/bin/go)') +
        '\nSet GO to a go binary of 1.21 or newer (https://go.dev/doc/install), or unset it, then run this again.',
    },
  },
  {
    name: 'GO set to a Go new enough: used',
    facts: { ...root, missing: [], go: go([['/opt/go/bin/go', 'go1.21.0']], [], '/opt/go/bin/go') },
    expected: { install: [], what: [], go: '/opt/go/bin/go' },
  },
];

describe('scripts/prerequisites.mjs decides', () => {
  for (const { name, facts, expected } of cases) {
    it(name, () => assert.deepEqual(decide(facts), expected));
  }
});

describe('test/bed/dendrite-build.mjs', () => {
  const cache = mkdtempSync(join(tmpdir(), 'dendrite-cache-'));
  after(() => rmSync(cache, { recursive: true, force: true }));

  it('reads the Go minor from `go env GOVERSION`', () => {
    assert.equal(goMinor('go1.22.3\n'), 22);
    assert.equal(goMinor('go1.21rc2'), 21);
    assert.equal(goMinor('devel go1.24-abc'), 0);
    assert.equal(goMinor(undefined), 0);
    assert.ok(isGoNewEnough('go1.21.0'));
    assert.ok(!isGoNewEnough('go1.19.8'));
  });

  it('counts Dendrite as built only when all its commands are in the cache', () => {
    assert.ok(!isDendriteBuilt(cache));
    mkdirSync(dendriteBin(cache), { recursive: true });
    for (const command of DENDRITE_COMMANDS.slice(1)) writeFileSync(join(dendriteBin(cache), command), '');
    assert.ok(!isDendriteBuilt(cache));
    writeFileSync(join(dendriteBin(cache), DENDRITE_COMMANDS[0]!), '');
    assert.ok(isDendriteBuilt(cache));
  });

  it('tries GO alone when it is set, otherwise `go` on PATH first', () => {
    assert.deepEqual(goCandidates({ GO: '/opt/go/bin/go' }), ['/opt/go/bin/go']);
    assert.equal(goCandidates({})[0], 'go');
  });

  it('says what it found', () => {
    assert.equal(describeGoFound([{ path: 'go', version: undefined }], {}), 'no go on PATH');
    assert.equal(
      describeGoFound([{ path: '/x/go', version: undefined }], { GO: '/x/go' }),
      'GO=/x/go, which does not run',
    );
    assert.equal(
      describeGoFound(
        [
          { path: 'go', version: 'go1.19.8' },
          { path: '/usr/lib/go-1.20/bin/go', version: undefined },
        ],
        {},
      ),
      'go1.19.8 (go)',
    );
  });
});
