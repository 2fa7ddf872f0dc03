// #/paste: run extraction on a pasted article and show the result (optionally storing it).
import { post } from './api.js';
import { h } from './dom.js';
import { renderDocument } from './article.js';

export async function renderPaste(view) {
  const text = h('textarea', { name: 'text', rows: 14, required: 'required', 'aria-label': 'article text',
    placeholder: 'Paste a news article (plain text, Markdown or a whole HTML page)…' });
  const title = h('input', { name: 'title', placeholder: 'title (optional)', 'aria-label': 'title' });
  const outlet = h('input', { name: 'outlet', placeholder: 'outlet (optional)', 'aria-label': 'outlet' });
  const published = h('input', { name: 'published', type: 'date', 'aria-label': 'published' });
  const isHtml = h('input', { type: 'checkbox', name: 'html' });
  const store = h('input', { type: 'checkbox', name: 'store' });
  const status = h('p', { class: 'muted', role: 'status', 'data-testid': 'paste-status' });
  const result = h('div', { class: 'paste-result', 'data-testid': 'paste-result' });
  const button = h('button', { type: 'submit' }, 'Extract events');
  const form = h('form', { class: 'paste-form', 'data-testid': 'paste-form' },
    text, h('div', { class: 'row' }, title, outlet, published),
    h('div', { class: 'row' }, h('label', null, isHtml, ' it is HTML'), h('label', null, store, ' save it to the store'), button),
    status);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    button.disabled = true;
    status.textContent = 'Extracting… (the first article of a session also loads the models)';
    result.replaceChildren();
    try {
      const body = { [isHtml.checked ? 'html' : 'text']: text.value, store: store.checked };
      if (title.value.trim()) body.title = title.value.trim();
      if (outlet.value.trim()) body.outlet = outlet.value.trim();
      if (published.value) body.published = published.value;
      const out = await post('/api/documents', body);
      const n = out.document.events.length;
      status.textContent = `${n} event${n === 1 ? '' : 's'} found${out.stored ? ' · stored as ' + out.doc_key : ''}.`;
      const select = (id, scroll = true) => renderDocument(result, out.document, out.date_spans, id, select, scroll);
      select(null, false);
    } catch (err) {
      status.textContent = String(err.message || err);
      status.className = 'error';
    } finally {
      button.disabled = false;
    }
  });
  view.replaceChildren(h('section', { class: 'page' }, h('h1', null, 'Paste an article'), form, result));
}
