/**
 * A tiny HTTP "browser" for tests: a cookie jar, manual redirects, and form submission parsed from HTML.
 * It drives the authorization server's real pages the way a person's browser would.
 */
export interface BrowserResponse {
  url: string;
  status: number;
  location?: string;
  body: string;
}

interface FormField {
  name: string;
  value: string;
}

export interface ParsedForm {
  id?: string;
  action: string;
  method: string;
  fields: FormField[];
}

export class Browser {
  private readonly cookies = new Map<string, Map<string, string>>();

  /**
   * GET (or POST) and follow redirects until a response that is not a redirect, or until a redirect
   * whose target `stopAt` accepts (that target is then returned as `location`, unvisited).
   */
  async navigate(
    url: string,
    init: { method?: string; form?: Record<string, string> } = {},
    stopAt: (target: URL) => boolean = () => false,
  ): Promise<BrowserResponse> {
    let current = new URL(url);
    let method = init.method ?? 'GET';
    let body: string | undefined = init.form ? new URLSearchParams(init.form).toString() : undefined;
    for (let hop = 0; hop < 20; hop++) {
      const response = await fetch(current, {
        method,
        redirect: 'manual',
        headers: {
          ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
          ...this.cookieHeader(current),
        },
        ...(body ? { body } : {}),
      });
      this.storeCookies(current, response);
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        await response.arrayBuffer();
        const target = new URL(location, current);
        if (stopAt(target)) return { url: current.href, status: response.status, location: target.href, body: '' };
        current = target;
        method = 'GET';
        body = undefined;
        continue;
      }
      return { url: current.href, status: response.status, body: await response.text() };
    }
    throw new Error(`too many redirects from ${url}`);
  }

  /** Submits a form found in `page` (by id, or the first one), with field overrides. */
  async submit(
    page: BrowserResponse,
    values: Record<string, string> = {},
    options: { formId?: string; stopAt?: (target: URL) => boolean } = {},
  ): Promise<BrowserResponse> {
    const forms = parseForms(page.body);
    const form = options.formId ? forms.find((f) => f.id === options.formId) : forms[0];
    if (!form) {
      throw new Error(
        `no form${options.formId ? ` #${options.formId}` : ''} on ${page.url} (status ${page.status}): ${page.body.slice(0, 300)}`,
      );
    }
    const data: Record<string, string> = {};
    for (const field of form.fields) data[field.name] = field.value;
    Object.assign(data, values);
    const action = new URL(form.action || page.url, page.url).href;
    return this.navigate(action, { method: form.method, form: data }, options.stopAt);
  }

  private cookieHeader(url: URL): Record<string, string> {
    const jar = this.cookies.get(url.host);
    if (!jar?.size) return {};
    return { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') };
  }

  private storeCookies(url: URL, response: Response): void {
    const jar = this.cookies.get(url.host) ?? new Map<string, string>();
    for (const header of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = header.split(';');
      const eq = pair.indexOf('=');
      if (eq < 1) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => /^\s*expires=thu, 01 jan 1970/i.test(a) || /^\s*max-age=0\s*$/i.test(a));
      if (expired || value === '') jar.delete(name);
      else jar.set(name, value);
    }
    this.cookies.set(url.host, jar);
  }
}

const attr = (tag: string, name: string): string | undefined => {
  const match = new RegExp(`\\s${name}\\s*=\\s*("([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
  return match ? decodeEntities(match[2] ?? match[3] ?? match[4] ?? '') : undefined;
};

/** Forms with their named inputs (inside the form or attached with `form="id"`); buttons are not included. */
export function parseForms(html: string): ParsedForm[] {
  const forms: ParsedForm[] = [];
  const formPattern = /<form\b([^>]*)>([\s\S]*?)<\/form>/gi;
  for (const match of html.matchAll(formPattern)) {
    const tag = `<form ${match[1] ?? ''}>`;
    const id = attr(tag, 'id');
    const fields = inputsIn(match[2] ?? '');
    if (id) {
      for (const input of html.matchAll(/<input\b[^>]*>/gi)) {
        if (attr(input[0], 'form') === id) fields.push(...inputsIn(input[0]));
      }
    }
    forms.push({
      ...(id ? { id } : {}),
      action: attr(tag, 'action') ?? '',
      method: (attr(tag, 'method') ?? 'GET').toUpperCase(),
      fields,
    });
  }
  return forms;
}

function inputsIn(html: string): FormField[] {
  const fields: FormField[] = [];
  for (const input of html.matchAll(/<input\b[^>]*>/gi)) {
    const name = attr(input[0], 'name');
    if (name) fields.push({ name, value: attr(input[0], 'value') ?? '' });
  }
  return fields;
}

function decodeEntities(value: string): string {
  return value
    .replace(/&#(\d+);/g, (_m, code: string) => String.fromCharCode(Number(code)))
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
