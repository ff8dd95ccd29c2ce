/** The authorization server's HTML: plain forms a test can post like a browser and a person can use in a demo. */
const STYLE = `body{font-family:system-ui,sans-serif;max-width:26rem;margin:3rem auto;padding:0 1rem;color:#222}
label{display:block;margin:.6rem 0 .2rem}input{width:100%;padding:.4rem;box-sizing:border-box}
button{margin:.8rem .4rem 0 0;padding:.45rem 1rem}.error{color:#b00020}code{font-size:1.4rem}`;

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function page(title: string, body: string): string {
  return (
    `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>` +
    `<meta name="viewport" content="width=device-width,initial-scale=1"><style>${STYLE}</style></head>` +
    `<body><h1>${escapeHtml(title)}</h1>${body}</body></html>`
  );
}

function errorLine(error?: string): string {
  return error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : '';
}

export function loginPage(action: string, clientName: string, loginHint: string, error?: string): string {
  return page(
    'Sign in',
    `<p>to continue to <strong>${escapeHtml(clientName)}</strong></p>${errorLine(error)}
<form method="post" action="${escapeHtml(action)}" id="login">
<label for="username">Username</label><input id="username" name="username" autocomplete="username" value="${escapeHtml(loginHint)}" required>
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Continue</button></form>`,
  );
}

export function signupPage(action: string, clientName: string, error?: string): string {
  return page(
    'Create account',
    `<p>for <strong>${escapeHtml(clientName)}</strong></p>${errorLine(error)}
<form method="post" action="${escapeHtml(action)}" id="signup">
<label for="username">Username</label><input id="username" name="username" autocomplete="username" required>
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="new-password" required>
<button type="submit">Create account</button></form>`,
  );
}

export function consentPage(action: string, abortAction: string, clientName: string, scopes: string[]): string {
  const items = scopes.map((scope) => `<li><code>${escapeHtml(scope)}</code></li>`).join('');
  return page(
    'Allow access?',
    `<p><strong>${escapeHtml(clientName)}</strong> wants to access your account:</p><ul>${items}</ul>
<form method="post" action="${escapeHtml(action)}" id="consent"><button type="submit" name="decision" value="allow">Allow</button></form>
<form method="post" action="${escapeHtml(abortAction)}" id="deny"><button type="submit" name="decision" value="deny">Deny</button></form>`,
  );
}

/** oidc-provider hands us `form` (CSRF field and code input included); we add the submit buttons. */
export function deviceCodeInputPage(form: string, error?: string): string {
  return page(
    'Connect a device',
    `<p>Enter the code shown on your device.</p>${errorLine(error)}${form}
<button type="submit" form="op.deviceInputForm">Continue</button>`,
  );
}

/**
 * oidc-provider's form already carries `confirm=yes` (hidden): the Continue button must not add a second one
 * (a real browser would post both, and oidc-provider rejects duplicate parameters). Cancel adds `abort`, which
 * wins over `confirm`.
 */
export function deviceConfirmPage(form: string, clientName: string, userCode: string): string {
  return page(
    'Confirm device',
    `<p><strong>${escapeHtml(clientName)}</strong> shows this code:</p><p><code>${escapeHtml(userCode)}</code></p>${form}
<button type="submit" form="op.deviceConfirmForm">Continue</button>
<button type="submit" form="op.deviceConfirmForm" name="abort" value="yes">Cancel</button>`,
  );
}

export function messagePage(title: string, text: string): string {
  return page(title, `<p>${escapeHtml(text)}</p>`);
}
