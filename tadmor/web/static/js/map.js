// #/ : every located event on a world map of country outlines (no tiles), coloured by event type,
// grouped on a pixel grid when dense, filtered by a date range and by type.
import { all } from './api.js';
import { h, slug, eventHash } from './dom.js';

const CELL = 44; // px: events closer than this on screen are drawn as one group
const DAY = 86400000;

function dayOf(iso) { return iso ? Math.round(Date.parse(iso + 'T00:00:00Z') / DAY) : null; }
function isoOf(day) { return new Date(day * DAY).toISOString().slice(0, 10); }

function dotIcon(ev) {
  const el = h('span', { class: `ev-dot type-${slug(ev.event_type)}` });
  return window.L.divIcon({ className: 'ev-marker', html: el, iconSize: [14, 14] });
}

function groupIcon(members) {
  const counts = {};
  for (const e of members) counts[e.event_type] = (counts[e.event_type] || 0) + 1;
  const top = Object.entries(counts).sort((a, b) => b[1] - a[1])[0][0];
  const size = members.length < 10 ? 28 : members.length < 100 ? 34 : 40;
  const el = h('span', { class: `ev-group type-${slug(top)}` }, String(members.length));
  return window.L.divIcon({ className: 'ev-group-marker', html: el, iconSize: [size, size] });
}

// Rings that cross the antimeridian (Russia, Fiji) jump from +180 to -180; keep their longitudes continuous
// so Leaflet does not draw a line across the world. Antarctica is left out: it is one such ring, and empty here.
function unwrapRing(ring) {
  const out = [];
  let prev = null;
  for (const [lon0, lat] of ring) {
    let lon = lon0;
    if (prev !== null) { while (lon - prev > 180) lon -= 360; while (lon - prev < -180) lon += 360; }
    out.push([lon, lat]);
    prev = lon;
  }
  return out;
}

function countries(world) {
  const fc = window.topojson.feature(world, world.objects.countries);
  fc.features = fc.features.filter((f) => f.properties.name !== 'Antarctica' && f.geometry);
  for (const f of fc.features) {
    const g = f.geometry;
    if (g.type === 'Polygon') g.coordinates = g.coordinates.map(unwrapRing);
    else if (g.type === 'MultiPolygon') g.coordinates = g.coordinates.map((poly) => poly.map(unwrapRing));
  }
  return fc;
}

function eventLabel(ev) {
  return `${ev.event_date || 'undated'} · ${ev.sub_event_type} · ${ev.location || '?'}${ev.outlet ? ' · ' + ev.outlet : ''}`;
}

function eventLink(ev) {
  return h('a', { href: eventHash(ev.doc_key, ev.event_id), class: 'event-link' },
    h('span', { class: `dot type-${slug(ev.event_type)}` }), eventLabel(ev));
}

export async function renderMap(view) {
  const L = window.L;
  const mapEl = h('div', { id: 'map', class: 'map', 'data-testid': 'map' });
  const count = h('p', { class: 'muted small', 'data-testid': 'map-count' }, 'Loading events…');
  const fromIn = h('input', { type: 'range', id: 'from', 'aria-label': 'from date' });
  const toIn = h('input', { type: 'range', id: 'to', 'aria-label': 'to date' });
  const fromLabel = h('output', { for: 'from' });
  const toLabel = h('output', { for: 'to' });
  const undated = h('input', { type: 'checkbox', id: 'undated', checked: 'checked' });
  const types = h('div', { class: 'types' });
  const list = h('ol', { class: 'plain event-links', 'data-testid': 'visible-events' });
  const panel = h('aside', { class: 'map-panel' },
    h('h2', null, 'Events'), count,
    h('fieldset', { class: 'timeline' }, h('legend', null, 'Time'),
      h('label', null, 'From ', fromLabel, fromIn), h('label', null, 'To ', toLabel, toIn),
      h('label', { class: 'small' }, undated, ' include undated events')),
    h('fieldset', null, h('legend', null, 'Event types'), types),
    h('h3', null, 'Shown events'), list,
    h('p', { class: 'small muted' }, 'Country outlines: Natural Earth, via world-atlas.'));
  view.replaceChildren(h('div', { class: 'map-layout' }, mapEl, panel));

  const map = L.map(mapEl, { worldCopyJump: true, minZoom: 1, maxZoom: 12, attributionControl: false, zoomSnap: 0.5 });
  map.setView([20, 20], 2);
  const world = await fetch('/static/vendor/world-atlas/countries-110m.json').then((r) => r.json());
  L.geoJSON(countries(world), {
    interactive: false, style: { color: '#8a96a3', weight: 0.7, fillColor: '#f4f1ea', fillOpacity: 1 },
  }).addTo(map);
  const layer = L.layerGroup().addTo(map);

  const events = (await all('/api/events', {})).filter((e) => e.latitude !== null && e.longitude !== null);
  const days = events.map((e) => dayOf(e.event_date)).filter((d) => d !== null);
  const lo = days.length ? Math.min(...days) : 0;
  const hi = days.length ? Math.max(...days) : 0;
  for (const input of [fromIn, toIn]) { input.min = lo; input.max = hi; input.step = 1; }
  fromIn.value = lo; toIn.value = hi;
  const shownTypes = new Set(events.map((e) => e.event_type));
  for (const t of [...shownTypes].sort()) {
    const n = events.filter((e) => e.event_type === t).length;
    const box = h('input', { type: 'checkbox', checked: 'checked', value: t });
    box.addEventListener('change', () => { if (box.checked) shownTypes.add(t); else shownTypes.delete(t); draw(); });
    types.append(h('label', { class: 'type-toggle' }, box, h('span', { class: `dot type-${slug(t)}` }), `${t} (${n})`));
  }

  function visible() {
    const a = Math.min(+fromIn.value, +toIn.value);
    const b = Math.max(+fromIn.value, +toIn.value);
    fromLabel.textContent = days.length ? isoOf(a) : '—';
    toLabel.textContent = days.length ? isoOf(b) : '—';
    return events.filter((e) => {
      if (!shownTypes.has(e.event_type)) return false;
      const d = dayOf(e.event_date);
      return d === null ? undated.checked : d >= a && d <= b;
    });
  }

  function draw() {
    const shown = visible();
    layer.clearLayers();
    const zoom = map.getZoom();
    const cells = new Map();
    for (const e of shown) {
      const p = map.project([e.latitude, e.longitude], zoom);
      const key = `${Math.floor(p.x / CELL)}:${Math.floor(p.y / CELL)}`;
      if (!cells.has(key)) cells.set(key, []);
      cells.get(key).push(e);
    }
    for (const members of cells.values()) {
      if (members.length === 1) {
        const e = members[0];
        const m = L.marker([e.latitude, e.longitude], { icon: dotIcon(e), title: eventLabel(e), keyboard: true });
        m.on('click', () => { window.location.hash = eventHash(e.doc_key, e.event_id); });
        m.addTo(layer);
        m.getElement().dataset.eventId = e.event_id;
        continue;
      }
      const lat = members.reduce((s, e) => s + e.latitude, 0) / members.length;
      const lon = members.reduce((s, e) => s + e.longitude, 0) / members.length;
      const m = L.marker([lat, lon], { icon: groupIcon(members), title: `${members.length} events`, keyboard: true });
      const bounds = L.latLngBounds(members.map((e) => [e.latitude, e.longitude]));
      const samePlace = bounds.getNorthEast().equals(bounds.getSouthWest(), 1e-4);
      m.on('click', () => {
        if (!samePlace && map.getZoom() < map.getMaxZoom()) {
          map.fitBounds(bounds.pad(0.3), { maxZoom: Math.min(map.getMaxZoom(), map.getZoom() + 3) });
          return;
        }
        const box = h('div', { class: 'popup-list' }, h('strong', null, `${members.length} events here`),
          h('ol', { class: 'plain' }, members.slice(0, 50).map((e) => h('li', null, eventLink(e)))));
        L.popup({ maxWidth: 360, maxHeight: 280 }).setLatLng([lat, lon]).setContent(box).openOn(map);
      });
      m.addTo(layer);
    }
    count.textContent = `${shown.length} of ${events.length} located events shown`;
    list.replaceChildren(...shown.slice(0, 300).map((e) => h('li', null, eventLink(e))));
  }

  for (const input of [fromIn, toIn, undated]) input.addEventListener('input', draw);
  map.on('zoomend', draw);
  if (events.length) {
    map.fitBounds(L.latLngBounds(events.map((e) => [e.latitude, e.longitude])).pad(0.2), { maxZoom: 6 });
  }
  draw();
  return () => map.remove();
}
