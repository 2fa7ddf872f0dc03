// #/clusters: reports of one real event told by several sources; #/compare?cluster=cN: one of them side by side.
import { get } from './api.js';
import { h, fmt, slug, hashFor, eventHash } from './dom.js';

const FIELDS = ['modality', 'fatalities', 'actors', 'quantities', 'date', 'location'];

export async function renderClusters(view, params) {
  const disputed = params.get('disputed') === '1';
  const page = await get('/api/clusters', { min_events: 2, disputed, limit: 500 });
  const toggle = h('a', { href: hashFor('clusters', disputed ? {} : { disputed: 1 }) },
    disputed ? 'Show all multi-source clusters' : 'Show only clusters whose sources disagree');
  const rows = page.items.map((c) => h('tr', null,
    h('td', null, h('a', { href: hashFor('compare', { cluster: c.cluster_id }), 'data-testid': 'cluster-link' }, c.cluster_id)),
    h('td', null, h('span', { class: `dot type-${slug(c.event_type)}` }), c.event_type),
    h('td', null, fmt(c.place)), h('td', null, fmt(c.date)),
    h('td', null, c.sources.join(' · ')),
    h('td', null, String(c.corroboration)),
    h('td', null, c.disagreements.length ? c.disagreements.map((d) => h('span', { class: 'badge disagree' }, d.field)) : h('span', { class: 'muted' }, 'none'))));
  view.replaceChildren(h('section', { class: 'page' },
    h('h1', null, 'Same event, several sources'),
    h('p', { class: 'muted' }, 'Reports from different documents that tell one real event, with the fields they disagree on. ', toggle),
    page.items.length ? h('table', { class: 'grid', 'data-testid': 'clusters' },
      h('thead', null, h('tr', null, ['cluster', 'type', 'place', 'date', 'sources', 'independent', 'disagree on'].map((t) => h('th', null, t)))),
      h('tbody', null, rows)) : h('p', null, 'No event is told by more than one stored document yet.')));
}

function valueText(value) {
  if (value === null || value === undefined) return '—';
  return fmt(value);
}

export async function renderCompare(view, params) {
  const id = params.get('cluster');
  if (!id) throw new Error('no cluster given');
  const { cluster, members } = await get(`/api/clusters/${encodeURIComponent(id)}`);
  const disputed = new Map(cluster.disagreements.map((d) => [d.field, d]));
  const head = h('tr', null, h('th', null, 'field'), members.map((m) => h('th', { class: 'source', 'data-testid': 'source' },
    h('div', { class: 'outlet' }, m.outlet || m.doc_id),
    h('div', { class: 'small muted' }, [m.title, m.published].filter(Boolean).join(' · ')),
    m.doc_key && m.event ? h('a', { class: 'small', href: eventHash(m.doc_key, m.event.event_id) }, 'open the article') : null)));
  const body = FIELDS.map((f) => {
    const d = disputed.get(f);
    return h('tr', { class: d ? 'disagree' : '', 'data-field': f },
      h('th', null, d ? h('span', { class: 'neq', title: 'the sources disagree' }, '≠ ') : null, f),
      members.map((m) => h('td', null, valueText(m.values[f]))));
  });
  body.push(h('tr', { class: 'evidence-row' }, h('th', null, 'evidence'),
    members.map((m) => h('td', null, h('blockquote', null, m.event ? m.event.evidence.text : '—')))));
  const summary = cluster.disagreements.length
    ? h('p', { class: 'disagree-summary', 'data-testid': 'disagreements' }, 'The sources disagree on: ',
      cluster.disagreements.map((d) => h('span', { class: 'badge disagree' }, d.field)))
    : h('p', { class: 'muted', 'data-testid': 'disagreements' }, 'The sources agree on every field they both state.');
  view.replaceChildren(h('section', { class: 'page' },
    h('p', { class: 'small' }, h('a', { href: '#/clusters' }, '← all clusters')),
    h('h1', null, `${cluster.event_type} · ${cluster.place || 'unknown place'} · ${cluster.date || 'undated'}`),
    h('p', { class: 'muted' }, `${members.length} reports from ${cluster.corroboration} independent source${cluster.corroboration === 1 ? '' : 's'}: ${cluster.sources.join(', ')}`),
    summary,
    h('table', { class: 'grid compare', 'data-testid': 'compare' }, h('thead', null, head), h('tbody', null, body)),
    cluster.agreements.length ? h('p', { class: 'small muted' }, 'Agreed: ',
      cluster.agreements.map((a) => `${a.field} = ${valueText(a.value)}`).join('; ')) : null));
}
