// #/event?doc=<doc_key>&id=<event_id>: a stored article with one event highlighted.
import { get, documentPath } from './api.js';
import { h, eventHash } from './dom.js';
import { renderDocument } from './article.js';

export async function renderEvent(view, params) {
  const key = params.get('doc');
  if (!key) throw new Error('no document given');
  const data = await get(documentPath(key));
  const box = h('div', { class: 'event-page' });
  view.replaceChildren(box);
  const select = (id) => {
    history.replaceState(null, '', eventHash(key, id));
    renderDocument(box, data.document, data.date_spans, id, select);
  };
  renderDocument(box, data.document, data.date_spans, params.get('id'), select);
}
