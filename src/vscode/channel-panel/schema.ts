/**
 * A small structural schema for untrusted JSON (what a webview posts): exact object shapes (no unknown
 * keys), types, lengths and character rules, each failure reported with its path. Meaning (is this a user
 * ID?) is not checked here; the channel model does that afterwards.
 */
export type Checked<T> = { ok: true; value: T } | { ok: false; reason: string };
export type Schema<T> = (value: unknown, path: string) => Checked<T>;

/** C0/C1 controls, line/paragraph separators and bidi overrides: never legitimate in a form field. */
const CONTROL = /[\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069]/u;

const ok = <T>(value: T): Checked<T> => ({ ok: true, value });
const fail = (path: string, problem: string): Checked<never> => ({ ok: false, reason: `${path}: ${problem}` });

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

export interface TextRules {
  max: number;
  /** A name shown to people (and maybe rendered by other clients): no `<` or `>`. */
  name?: boolean;
}

export function text(rules: TextRules): Schema<string> {
  return (value, path) => {
    if (typeof value !== 'string') return fail(path, `expected text, got ${describe(value)}`);
    if (value.length > rules.max) return fail(path, `text of ${value.length} characters is longer than ${rules.max}`);
    if (CONTROL.test(value)) return fail(path, 'contains control characters');
    if (rules.name && /[<>]/.test(value)) return fail(path, 'contains markup characters (< or >)');
    return ok(value);
  };
}

export function oneOf<const T extends string>(allowed: readonly T[]): Schema<T> {
  return (value, path) =>
    typeof value === 'string' && (allowed as readonly string[]).includes(value)
      ? ok(value as T)
      : fail(
          path,
          `expected one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}, got ${typeof value === 'string' ? 'another text' : describe(value)}`,
        );
}

export const boolean: Schema<boolean> = (value, path) =>
  typeof value === 'boolean' ? ok(value) : fail(path, `expected true or false, got ${describe(value)}`);

/** A positive safe integer (request ids). */
export const id: Schema<number> = (value, path) =>
  typeof value === 'number' && Number.isSafeInteger(value) && value > 0
    ? ok(value)
    : fail(path, `expected a positive integer, got ${describe(value)}`);

export function list<T>(item: Schema<T>, max: number): Schema<T[]> {
  return (value, path) => {
    if (!Array.isArray(value)) return fail(path, `expected a list, got ${describe(value)}`);
    if (value.length > max) return fail(path, `list of ${value.length} entries is longer than ${max}`);
    const items: T[] = [];
    for (const [index, entry] of value.entries()) {
      const checked = item(entry, `${path}[${index}]`);
      if (!checked.ok) return checked;
      items.push(checked.value);
    }
    return ok(items);
  };
}

type Shape = Record<string, Schema<unknown>>;
type Out<S extends Shape> = { [K in keyof S]: S[K] extends Schema<infer T> ? T : never };

/**
 * An object with exactly these keys; keys in `optional` may be absent. Unknown keys are refused: a message
 * carrying more than the protocol knows is not one we sent.
 */
type WithOptional<S extends Shape, O extends keyof S> = Omit<Out<S>, O> & Partial<Pick<Out<S>, O>>;

export function object<S extends Shape, O extends keyof S = never>(
  shape: S,
  optional: readonly O[] = [],
): Schema<WithOptional<S, NoInfer<O>>> {
  return (value, path) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      return fail(path, `expected an object, got ${describe(value)}`);
    const record = value as Record<string, unknown>;
    const unknown = Object.keys(record).find((key) => !Object.hasOwn(shape, key));
    if (unknown !== undefined) return fail(path, `unexpected field ${JSON.stringify(unknown.slice(0, 40))}`);
    const result: Record<string, unknown> = {};
    for (const [key, schema] of Object.entries(shape)) {
      if (!Object.hasOwn(record, key) || record[key] === undefined) {
        if ((optional as readonly string[]).includes(key)) continue;
        return fail(`${path}.${key}`, 'missing');
      }
      const checked = schema(record[key], `${path}.${key}`);
      if (!checked.ok) return checked;
      result[key] = checked.value;
    }
    return ok(result as WithOptional<S, O>);
  };
}
