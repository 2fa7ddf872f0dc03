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
let latest = 0;

function parse() {
  const raw = window.location.hash.replace(/^#\/?/, '');
  const i = raw.indexOf('?');
  return { name: i < 0 ? raw : raw.slice(0, i), params: new URLSearchParams(i < 0 ? '' : raw.slice(i + 1)) };
}

// Each page renders into a fresh slot of #view. A page still loading when the hash changes again (the map
// fetching its events while an event was opened) is stale: its slot is already gone from the page, so what it
// draws later shows nowhere, its cleanup runs at once, and it neither shows an error nor marks the page ready
// (it used to finish last and set data-ready to its own name over the newer page's).
async function route() {
  const { name, params } = parse();
  const token = ++latest;
  const view = document.getElementById('view');
  if (cleanup) { try { cleanup(); } catch (e) { /* the old view is gone anyway */ } cleanup = null; }
  document.body.dataset.ready = '';
  const slot = h('div', { class: 'view-slot' });
  view.replaceChildren(slot);
  for (const a of document.querySelectorAll('[data-nav]')) a.classList.toggle('active', a.dataset.nav === NAV[name]);
  const render = ROUTES[name];
  try {
    if (!render) throw new Error(`no page ${name}`);
    const done = (await render(slot, params)) || null;
    if (token !== latest) { if (done) { try { done(); } catch (e) { /* stale */ } } return; }
    cleanup = done;
  } catch (err) {
    if (token !== latest) return;
    slot.replaceChildren(h('p', { class: 'error', role: 'alert' }, String(err.message || err)));
  }
  document.body.dataset.ready = name || 'map';
}

window.addEventListener('hashchange', route);
route();
