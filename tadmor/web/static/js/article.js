// An article with one event's evidence and coded values highlighted through their spans.
import { h, fmt, slug } from './dom.js';

const MODALITY = {
  asserted: 'Stated as fact by the article',
  claimed: 'Claimed by a party to the events, not confirmed by the article',
  reported: 'Reported by others, attributed to a source',
  uncertain: 'Uncertain: the article says it could not be verified',
  hypothetical: 'Hypothetical: something that might happen, not an event',
  future: 'Announced or expected: it has not happened yet',
  negated: 'Denied: the article says it did not happen',
};
const PRECISION = { 1: 'the day', 2: 'within about a week', 3: 'the month or vaguer' };
const GEO_PRECISION = { 1: 'the town itself', 2: 'near the town / part of a region', 3: 'the region or province' };

// Python counts code points, JavaScript UTF-16 units: a map from one to the other.
function unitOffsets(text) {
  const out = [0];
  let u = 0;
  for (const ch of text) { u += ch.length; out.push(u); }
  return out;
}

// The marks of one event: [kind, label, span]; kinds are CSS classes m-<kind> and legend swatches.
export function marksOf(event, dateSpan) {
  const marks = [['evidence', 'evidence', event.evidence]];
  if (event.trigger) marks.push(['trigger', `trigger: ${event.sub_event_type}`, event.trigger]);
  if (event.actor1 && event.actor1.mention) marks.push(['actor1', `actor 1: ${event.actor1.name}`, event.actor1.mention]);
  if (event.actor2 && event.actor2.mention) marks.push(['actor2', `actor 2: ${event.actor2.name}`, event.actor2.mention]);
  if (event.location && event.location.mention) marks.push(['place', `place: ${event.location.name}`, event.location.mention]);
  if (dateSpan) marks.push(['date', `date: ${event.date}`, dateSpan]);
  if (event.fatalities && event.fatalities.span) {
    marks.push(['fatalities', `fatalities: ${fmt(event.fatalities.count, 'unknown')}`, event.fatalities.span]);
  }
  for (const q of event.quantities || []) {
    if (q.span && !(event.fatalities && event.fatalities.span && q.span.start === event.fatalities.span.start)) {
      marks.push(['quantity', `quantity: ${[q.qualifier, q.value, q.unit].filter(Boolean).join(' ')}`, q.span]);
    }
  }
  return marks;
}

// The text as text nodes and spans. Marks may overlap or nest in any way (an actor named at the start of the
// evidence, a place half inside it, a date inside a quantity), so the text is cut at every mark's start and end
// and each piece carries the classes of every mark covering it. The evidence is the one mark shown whole: its
// pieces sit inside a single #mark-evidence element, so it can be found, scrolled to and read as one (issue 8:
// when ids were handed to the first piece of each kind, a piece that began two marks kept only the last id, and
// an evidence that opened with an actor or a trigger had no #mark-evidence at all).
export function highlightedText(text, marks) {
  const units = unitOffsets(text);
  const n = units.length - 1;
  const valid = (s) => s && Number.isInteger(s.start) && Number.isInteger(s.end) && s.start >= 0 && s.end > s.start && s.end <= n;
  const ok = marks.filter(([, , s]) => valid(s));
  const evidence = ok.find(([k]) => k === 'evidence') || null;
  const others = ok.filter((m) => m !== evidence);
  const cuts = new Set([0, n]);
  for (const [, , s] of ok) { cuts.add(s.start); cuts.add(s.end); }
  const points = [...cuts].sort((a, b) => a - b);
  const box = h('div', { class: 'article-text', 'data-testid': 'article-text' });
  let wrapper = null;
  for (let i = 0; i + 1 < points.length; i++) {
    const [a, b] = [points[i], points[i + 1]];
    const piece = text.slice(units[a], units[b]);
    let parent = box;
    if (evidence && evidence[2].start <= a && b <= evidence[2].end) {
      if (!wrapper) {
        wrapper = h('span', { id: 'mark-evidence', class: 'm m-evidence', 'data-mark': 'evidence', title: evidence[1] });
        box.append(wrapper);
      }
      parent = wrapper;
    }
    const on = others.filter(([, , s]) => s.start <= a && b <= s.end);
    if (!on.length) { parent.append(document.createTextNode(piece)); continue; }
    const kinds = [...new Set(on.map(([k]) => k))];
    parent.append(h('span', { class: ['m', ...kinds.map((k) => `m-${k}`)].join(' '), title: on.map(([, l]) => l).join('\n') }, piece));
  }
  return box;
}

function row(kind, label, value, extra) {
  const swatch = kind ? h('button', { class: `swatch m-${kind}`, type: 'button', title: `Show in the text`,
    'aria-label': `show ${label} in the text`, onclick: (e) => scrollToMark(e.currentTarget, kind) }) : null;
  return [h('dt', null, swatch, label), h('dd', { 'data-field': slug(label) }, value, extra ? h('div', { class: 'muted small' }, extra) : null)];
}

// The first piece of a kind in this document's text (a kind's pieces may share an element with other kinds,
// so they are found by class, not by id).
function scrollToMark(button, kind) {
  const layout = button.closest('.doc-layout');
  const el = layout && layout.querySelector(`.article-text .m-${kind}`);
  if (el) { el.scrollIntoView({ block: 'center', behavior: 'smooth' }); el.classList.add('flash'); setTimeout(() => el.classList.remove('flash'), 900); }
}

function actorText(a) {
  return a ? `${a.name} (inter ${a.inter})` : '—';
}

export function eventDetails(event, dateSpan) {
  const has = (span) => Boolean(span);
  const fat = event.fatalities;
  const loc = event.location;
  const claimed = event.modality === 'claimed' ? ` — claimed by ${event.claimed_by || 'an unnamed party'}` : '';
  const status = h('p', { class: `modality modality-${slug(event.modality)}`, 'data-testid': 'modality' },
    h('strong', null, event.modality.toUpperCase()), claimed, h('br'), h('span', { class: 'small' }, MODALITY[event.modality] || ''));
  const dl = h('dl', { class: 'fields' },
    row(null, 'Event', `${event.event_type} — ${event.sub_event_type}`),
    row(has(dateSpan) ? 'date' : null, 'Date', fmt(event.date, 'unknown'),
      `precision: ${PRECISION[event.time_precision] || event.time_precision}${event.historical ? ' · background (more than 30 days before publication)' : ''}`),
    row(has(event.actor1 && event.actor1.mention) ? 'actor1' : null, 'Actor 1', actorText(event.actor1)),
    row(has(event.actor2 && event.actor2.mention) ? 'actor2' : null, 'Actor 2', actorText(event.actor2)),
    (event.assoc_actors || []).length ? row(null, 'Associated', event.assoc_actors.map(actorText).join('; ')) : null,
    row(has(loc && loc.mention) ? 'place' : null, 'Place', loc ? [loc.name, loc.admin2, loc.admin1, loc.country].filter(Boolean).join(', ') : 'unknown',
      loc ? `geo precision ${loc.geo_precision}: ${GEO_PRECISION[loc.geo_precision] || ''}${loc.reason ? ' · ' + loc.reason : ''}` : null),
    row(has(fat && fat.span) ? 'fatalities' : null, 'Fatalities', fat ? fmt(fat.count, 'unknown') : 'none reported',
      fat ? `${fat.modality}${fat.claimed_by ? ', claimed by ' + fat.claimed_by : ''}` : null),
    (event.quantities || []).length ? row('quantity', 'Quantities', h('ul', { class: 'plain' },
      event.quantities.map((q) => h('li', null, `${[q.qualifier, q.value ?? '?', q.unit].filter((x) => x !== null && x !== '').join(' ')}` +
        `${q.about_actor ? ' (' + q.about_actor + ')' : ''} · ${q.modality}${q.claimed_by ? ' by ' + q.claimed_by : ''}`)))) : null,
    row('evidence', 'Evidence', h('span', { class: 'small' }, `characters ${event.evidence.start}–${event.evidence.end}`)),
    row(null, 'Section', event.section),
    row(null, 'Confidence', event.confidence.toFixed(2)),
  );
  const reasons = (event.reasons || []).length ? h('details', { class: 'reasons' }, h('summary', null, 'Why these values'),
    h('ul', null, event.reasons.map((r) => h('li', null, r)))) : null;
  return h('section', { class: 'event-details', 'data-testid': 'event-details' }, status, dl, reasons);
}

export function documentHeader(doc) {
  const meta = [doc.outlet, doc.author, doc.published].filter(Boolean).join(' · ');
  return h('header', { class: 'doc-header' },
    h('h1', { 'data-testid': 'doc-title' }, doc.title || doc.doc_id),
    h('p', { class: 'muted', 'data-testid': 'doc-meta' }, meta || 'no outlet or date given',
      doc.relays && doc.relays.length ? ` · relays ${doc.relays.join(', ')}` : '',
      doc.original_source && doc.original_source.outlet ? ` · first published by ${doc.original_source.outlet}` : ''),
    doc.url ? h('p', { class: 'small' }, h('a', { href: doc.url, rel: 'noopener noreferrer', target: '_blank' }, doc.url)) : null,
    (doc.errors || []).length ? h('ul', { class: 'error small' }, doc.errors.map((e) => h('li', null, `${e.code}: ${e.message}`))) : null);
}

// The whole document: header, its events to choose from, the chosen one's values, the highlighted text.
export function renderDocument(container, doc, dateSpans, selectedId, onSelect, scroll = true) {
  const events = doc.events || [];
  const chosen = events.find((e) => e.event_id === selectedId) || events[0] || null;
  const list = h('ol', { class: 'event-list', 'data-testid': 'event-list' }, events.map((e) =>
    h('li', { class: e === chosen ? 'selected' : '' },
      h('button', { type: 'button', class: `linklike type-${slug(e.event_type)}`, onclick: () => onSelect(e.event_id) },
        h('span', { class: `dot type-${slug(e.event_type)}` }),
        `${e.sub_event_type} · ${e.location ? e.location.name : '?'} · ${e.date || 'undated'} · ${e.modality}`))));
  const legend = h('p', { class: 'legend small' }, ['evidence', 'trigger', 'actor1', 'actor2', 'place', 'date', 'fatalities', 'quantity']
    .map((k) => h('span', { class: `m m-${k}` }, k.replace(/^actor/, 'actor '))));
  const marks = chosen ? marksOf(chosen, dateSpans ? dateSpans[chosen.event_id] : null) : [];
  container.replaceChildren(
    documentHeader(doc),
    h('div', { class: 'doc-layout' },
      h('aside', { class: 'doc-side' },
        h('h2', null, `${events.length} event${events.length === 1 ? '' : 's'}`),
        events.length ? list : h('p', { class: 'muted' }, 'No event found in this text.'),
        chosen ? eventDetails(chosen, dateSpans ? dateSpans[chosen.event_id] : null) : null),
      h('article', { class: 'doc-body' }, legend, highlightedText(doc.text || '', marks))));
  if (chosen && scroll) {
    const ev = container.querySelector('#mark-evidence');
    if (ev) ev.scrollIntoView({ block: 'center' });
  }
  return chosen;
}
