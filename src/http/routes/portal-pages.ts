import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A one-button page whose script (a file: the CSP allows no inline code) uses the token in the URL fragment. */
function tokenPage(page: { title: string; status: string; button: { id: string; label: string }; slug: string; script: string }): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${page.title}</title><link rel="stylesheet" href="/portal/portal.css"></head>
<body><main>
<h1>${page.title}</h1>
<p id="status" role="status">${page.status}</p>
<button id="${page.button.id}" type="button" data-slug="${page.slug}">${page.button.label}</button>
</main><script src="${page.script}"></script></body></html>`;
}

/**
 * The page a sign-in link opens. It signs in only when the person presses the button: the token
 * stays in the URL fragment (never sent to a server) and is POSTed by script, so a mail scanner
 * that fetches the link cannot use it up. The script is a file of its own: the CSP allows no inline code.
 */
export const portalPages: FastifyPluginAsyncZod = async (app) => {
  app.get('/portal/:slug/confirm', {
    schema: { tags: ['portal'], summary: 'The page a sign-in link opens (HTML)', security: [], params: z.strictObject({ slug: z.string().max(60) }) },
    handler: async (req, reply) => {
      const slug = escape(req.params.slug);
      reply.type('text/html; charset=utf-8').header('Cache-Control', 'no-store').header('Referrer-Policy', 'no-referrer');
      return tokenPage({
        title: 'Sign in to the customer portal',
        status: 'Press the button to finish signing in.',
        button: { id: 'confirm', label: 'Sign in' },
        slug,
        script: '/portal/confirm.js',
      });
    },
  });

  app.get('/portal/confirm.js', {
    schema: { tags: ['portal'], summary: 'Script of the sign-in page', security: [] },
    handler: async (_req, reply) => {
      reply.type('text/javascript; charset=utf-8').header('Cache-Control', 'public, max-age=300');
      return `(() => {
  const button = document.getElementById('confirm');
  const status = document.getElementById('status');
  const token = location.hash.slice(1);
  history.replaceState(null, '', location.pathname); // the token leaves the address bar and history
  if (!token) { status.textContent = 'This link has no sign-in code. Ask for a new link.'; button.hidden = true; return; }
  button.addEventListener('click', async () => {
    button.disabled = true;
    status.textContent = 'Signing in…';
    const slug = button.dataset.slug;
    const res = await fetch('/api/v1/portal/' + encodeURIComponent(slug) + '/sessions', {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }), credentials: 'same-origin',
    });
    if (res.ok) { status.textContent = 'You are signed in.'; location.assign('/portal/' + encodeURIComponent(slug)); }
    else { const p = await res.json().catch(() => ({})); status.textContent = p.detail || 'This link did not work. Ask for a new one.'; }
  });
})();
`;
    },
  });

  app.get('/portal/:slug/reverse-cancellation', {
    schema: {
      tags: ['portal'],
      summary: 'The page the reversal link of a logged-out cancellation opens (HTML)',
      security: [],
      params: z.strictObject({ slug: z.string().max(60) }),
    },
    handler: async (req, reply) => {
      const slug = escape(req.params.slug);
      reply.type('text/html; charset=utf-8').header('Cache-Control', 'no-store').header('Referrer-Policy', 'no-referrer');
      // Like the sign-in page: the token stays in the fragment, and only a button press uses it up.
      return tokenPage({
        title: 'Keep my subscription',
        status: 'If you did not ask to cancel, press the button and your subscription continues as before.',
        button: { id: 'reverse', label: 'Undo the cancellation' },
        slug,
        script: '/portal/reverse.js',
      });
    },
  });

  app.get('/portal/reverse.js', {
    schema: { tags: ['portal'], summary: 'Script of the reversal page', security: [] },
    handler: async (_req, reply) => {
      reply.type('text/javascript; charset=utf-8').header('Cache-Control', 'public, max-age=300');
      return `(() => {
  const button = document.getElementById('reverse');
  const status = document.getElementById('status');
  const token = location.hash.slice(1);
  history.replaceState(null, '', location.pathname); // the token leaves the address bar and history
  if (!token) { status.textContent = 'This link has no code. Please contact us.'; button.hidden = true; return; }
  button.addEventListener('click', async () => {
    button.disabled = true;
    status.textContent = 'Undoing the cancellation…';
    const slug = button.dataset.slug;
    const res = await fetch('/api/v1/public/' + encodeURIComponent(slug) + '/cancellations/reverse', {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }), credentials: 'omit',
    });
    const body = await res.json().catch(() => ({}));
    if (res.ok) { status.textContent = 'Done: cancellation ' + body.reference + ' is undone, and subscription ' + body.subscriptionReference + ' continues.'; button.hidden = true; }
    else { status.textContent = body.detail || 'This link did not work. Please contact us.'; }
  });
})();
`;
    },
  });

  app.get('/portal/portal.css', {
    schema: { tags: ['portal'], summary: 'Styles of the portal pages', security: [] },
    handler: async (_req, reply) => {
      reply.type('text/css; charset=utf-8').header('Cache-Control', 'public, max-age=300');
      return `body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#1a1a1a;background:#fafafa}
main{max-width:32rem;margin:10vh auto;padding:2rem;background:#fff;border:1px solid #ddd;border-radius:8px}
h1{font-size:1.4rem;margin-top:0}button{font:inherit;padding:.6rem 1.4rem;border-radius:6px;border:0;background:#0b57d0;color:#fff;cursor:pointer}
button:focus-visible{outline:3px solid #f9ab00;outline-offset:2px}button[disabled]{opacity:.6}`;
    },
  });
};
