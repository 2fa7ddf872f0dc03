// The single-page router: #/ map, #/event, #/clusters, #/compare, #/control, #/paste.
import { h } from './dom.js';
import { renderMap } from './map.js';
import { renderEvent } from './event.js';
import { renderClusters, renderCompare } from './compare.js';
import { renderControl } from './control.js';
import { renderPaste } from './paste.js';

const ROUTES = {
  '': renderMap, map: renderMap, event: renderEvent, clusters: renderClusters, compare: renderCompare,
  control: renderControl, paste: renderPaste,
};
const NAV = { '': 'map', map: 'map', event: 'map', clusters: 'clusters', compare: 'clusters', control: 'control', paste: 'paste' };

let cleanup = null;

function parse() {
  const raw = window.location.hash.replace(/^#\/?/, '');
  const i = raw.indexOf('?');
  return { name: i < 0 ? raw : raw.slice(0, i), params: new URLSearchParams(i < 0 ? '' : raw.slice(i + 1)) };
}

async function route() {
  const { name, params } = parse();
  const view = document.getElementById('view');
  if (cleanup) { try { cleanup(); } catch (e) { /* the old view is gone anyway */ } cleanup = null; }
  document.body.dataset.ready = '';
  view.replaceChildren();
  for (const a of document.querySelectorAll('[data-nav]')) a.classList.toggle('active', a.dataset.nav === NAV[name]);
  const render = ROUTES[name];
  try {
    if (!render) throw new Error(`no page ${name}`);
    cleanup = (await render(view, params)) || null;
  } catch (err) {
    view.replaceChildren(h('p', { class: 'error', role: 'alert' }, String(err.message || err)));
  }
  document.body.dataset.ready = name || 'map';
}

window.addEventListener('hashchange', route);
route();
