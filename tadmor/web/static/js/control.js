// #/control?place=Palmyra: who held a place, from when to when, on whose word, and who disputes it.
import { get } from './api.js';
import { h, hashFor } from './dom.js';

const DAY = 86400000;
function day(iso) { return Date.parse(iso + 'T00:00:00Z') / DAY; }

function timeline(periods) {
  const starts = periods.map((p) => day(p.from));
  const known = periods.filter((p) => p.to).map((p) => day(p.to));
  const lo = Math.min(...starts);
  const last = Math.max(...starts, ...known);
  const hi = last + Math.max(30, Math.round((last - lo) * 0.15)) + 1; // room to show "still holding"
  const pct = (d) => ((d - lo) / (hi - lo)) * 100;
  const rows = periods.map((p) => {
    const a = pct(day(p.from));
    const b = p.to ? pct(day(p.to) + 1) : 100;
    const bar = h('div', { class: `bar${p.disputed_by.length ? ' disputed' : ''}${p.to ? '' : ' open'}`,
      title: `${p.holder}: ${p.from} → ${p.to || 'no end reported'}${p.disputed_by.length ? ' (disputed)' : ''}` },
    `${p.holder} · ${p.from} → ${p.to || '…'}`);
    // CSSOM, not a style attribute: allowed by style-src 'self'
    bar.style.marginLeft = `${Math.min(a, 97)}%`;
    bar.style.width = `${Math.max(3, Math.min(b, 100) - Math.min(a, 97))}%`;
    return h('div', { class: 'track' }, bar);
  });
  const axis = h('div', { class: 'axis small muted' }, h('span', null, new Date(lo * DAY).toISOString().slice(0, 10)),
    h('span', null, new Date((hi - 1) * DAY).toISOString().slice(0, 10)));
  return h('div', { class: 'timeline-bars', 'data-testid': 'timeline' }, rows, axis);
}

export async function renderControl(view, params) {
  const place = params.get('place') || '';
  const input = h('input', { type: 'search', name: 'place', value: place, placeholder: 'a place, e.g. Palmyra', 'aria-label': 'place' });
  const form = h('form', { class: 'inline', onsubmit: (ev) => { ev.preventDefault(); window.location.hash = hashFor('control', { place: input.value.trim() }); } },
    input, h('button', { type: 'submit' }, 'Show'));
  const places = await get('/api/places', { with_control: true, limit: 200 });
  const chooser = h('p', { class: 'small' }, 'Places with a control timeline: ',
    places.items.map((p, i) => [i ? ' · ' : '', h('a', { href: hashFor('control', { place: p.name }) }, p.name)]));
  const section = h('section', { class: 'page' }, h('h1', null, 'Control timeline'), form, chooser);
  view.replaceChildren(section);
  if (!place) return;
  const data = await get('/api/control', { place });
  if (!data.periods.length) {
    section.append(h('p', { 'data-testid': 'no-control' }, `No stored report says who took or held “${place}”.`));
    return;
  }
  section.append(
    h('h2', null, data.matched.join(', ')),
    timeline(data.periods),
    h('table', { class: 'grid', 'data-testid': 'control' },
      h('thead', null, h('tr', null, ['place', 'holder', 'from', 'to', 'source', 'evidence', 'disputed by'].map((t) => h('th', null, t)))),
      h('tbody', null, data.periods.map((p) => h('tr', { class: p.disputed_by.length ? 'disagree' : '' },
        h('td', null, p.place), h('td', null, p.holder), h('td', null, p.from), h('td', null, p.to || '—'),
        h('td', null, p.source_key ? h('a', { href: hashFor('event', { doc: p.source_key }) }, p.source_doc) : p.source_doc),
        h('td', null, h('blockquote', null, p.evidence.text)),
        h('td', null, p.disputed_by.join(', ') || '—'))))));
}
