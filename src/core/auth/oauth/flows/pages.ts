/** The small pages the loopback listener answers the browser with. */
const escape = (value: string) => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function callbackPage(title: string, message: string, next?: string): string {
  const redirect = next ? `<meta http-equiv="refresh" content="1;url=${escape(next)}">` : '';
  return (
    `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>${redirect}` +
    '<meta name="viewport" content="width=device-width,initial-scale=1">' +
    '<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#222}</style>' +
    `</head><body><h1>${escape(title)}</h1><p>${escape(message)}</p></body></html>`
  );
}
