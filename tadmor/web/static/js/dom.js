// Building the page from data: always as text nodes and attributes, never as HTML.

export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'text') el.textContent = String(value);
    else if (key === 'href') el.setAttribute('href', safeHref(value));
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, String(value));
  }
  add(el, children);
  return el;
}

export function add(el, children) {
  for (const child of [children].flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

// Our own routes, and http(s) links to sources; anything else (javascript:, data:) becomes inert.
export function safeHref(value) {
  const s = String(value);
  if ((s.startsWith('#') || s.startsWith('/')) && !s.startsWith('//')) return s;
  if (/^https?:\/\//i.test(s)) return s;
  return '#';
}

export function slug(s) {
  return String(s || 'none').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

export function hashFor(name, params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) if (v !== undefined && v !== null && v !== '') q.set(k, v);
  const s = q.toString();
  return `#/${name}${s ? '?' + s : ''}`;
}

export function eventHash(docKey, eventId) {
  return hashFor('event', { doc: docKey, id: eventId });
}

export function fmt(value, fallback = '—') {
  if (value === null || value === undefined || value === '') return fallback;
  if (Array.isArray(value)) return value.length ? value.join(', ') : fallback;
  if (typeof value === 'object') return Object.entries(value).map(([k, v]) => `${k}: ${v}`).join('; ');
  return String(value);
}
