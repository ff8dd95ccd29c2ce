// A stand-in for the `vscode` module, for measuring the extension's own load and activate() cost in plain Node.
// The values activate() reads are real (settings defaults, an empty SecretStorage, a storage folder); every other
// API, including ones added after this file was written, is an inert no-op, so the benchmark keeps running as
// the extension grows.
'use strict';

/**
 * Any property is another inert value (or what was assigned to it); calling or constructing one returns an inert
 * value too.
 */
function inert() {
  const assigned = new Map();
  return new Proxy(function () {}, {
    get(_target, key) {
      if (assigned.has(key)) return assigned.get(key);
      if (key === 'then') return undefined; // not a thenable: `await inert()` resolves to it
      if (key === Symbol.toPrimitive) return () => '';
      if (key === Symbol.iterator) return function* () {};
      if (key === 'dispose') return () => {};
      return inert();
    },
    set(_target, key, value) {
      assigned.set(key, value);
      return true;
    },
    apply: () => inert(),
    construct: () => inert(),
  });
}

/** `base` with every property it lacks answered by an inert value. */
function withFallback(base) {
  return new Proxy(base, {
    get(target, key, receiver) {
      if (key in target || typeof key === 'symbol' || key === 'then') return Reflect.get(target, key, receiver);
      return inert();
    },
  });
}

const disposable = { dispose() {} };
const event = () => disposable;
const memento = (values = new Map()) => ({
  get: (key, fallback) => (values.has(key) ? values.get(key) : fallback),
  update: async (key, value) => void values.set(key, value),
  keys: () => [...values.keys()],
  setKeysForSync() {},
});

const standIn = {
  EventEmitter: class {
    event = event;
    fire() {}
    dispose() {}
  },
  Disposable: class {
    static from() {
      return disposable;
    }
    dispose() {}
  },
  TreeItem: class {
    constructor(label) {
      this.label = label;
    }
  },
  ThemeIcon: class {
    constructor(id, color) {
      this.id = id;
      this.color = color;
    }
  },
  ThemeColor: class {
    constructor(id) {
      this.id = id;
    }
  },
  MarkdownString: class {
    appendText() {
      return this;
    }
    appendMarkdown() {
      return this;
    }
  },
  Uri: withFallback({ parse: (s) => ({ toString: () => s }), file: (p) => ({ fsPath: p }), joinPath: inert() }),
  l10n: { t: (message) => message },
  env: withFallback({ uiKind: 1, uriScheme: 'vscode', appName: 'Visual Studio Code', remoteName: undefined }),
  window: withFallback({ state: { focused: true }, onDidChangeWindowState: event }),
  workspace: withFallback({
    // BENCH_CHANNELS: the channels setting, as JSON (none by default, as on a first start).
    getConfiguration: () =>
      withFallback({
        get: (key, fallback) =>
          key === 'channels' && process.env.BENCH_CHANNELS ? JSON.parse(process.env.BENCH_CHANNELS) : fallback,
        inspect: () => undefined,
      }),
    onDidChangeConfiguration: event,
  }),
  context: withFallback({
    subscriptions: [],
    secrets: withFallback({
      get: async () => undefined,
      store: async () => {},
      delete: async () => {},
      onDidChange: event,
    }),
    globalState: memento(),
    workspaceState: memento(),
    globalStorageUri: { fsPath: require('node:path').join(require('node:os').tmpdir(), 'matrix-channels-bench') },
    extensionUri: { fsPath: process.cwd(), toString: () => `file://${process.cwd()}` },
    extension: {
      id: 'matrix-channels.matrix-channels',
      packageJSON: require('../../../package.json'),
    },
  }),
};

// Bundles copy the module's own properties (esbuild's ESM interop), so every export of the real API must exist as
// an own property: the names come from the API's type declarations.
const declarations = require('node:fs').readFileSync(require.resolve('@types/vscode/index.d.ts'), 'utf8');
for (const [, name] of declarations.matchAll(/^\texport (?:enum|class|namespace|const|let) (\w+)/gm)) {
  if (!(name in standIn)) standIn[name] = inert();
}
module.exports = withFallback(standIn);
