// The JSON API, same origin.

export class ApiError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

async function read(response) {
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    const msg = body && body.error ? body.error.message : response.statusText;
    throw new ApiError(response.status, `${response.status}: ${msg}`);
  }
  return body;
}

export async function get(path, params) {
  const url = new URL(path, window.location.origin);
  for (const [k, v] of Object.entries(params || {})) {
    if (v !== undefined && v !== null && v !== '') url.searchParams.set(k, v);
  }
  return read(await fetch(url, { headers: { Accept: 'application/json' } }));
}

export async function post(path, data) {
  return read(await fetch(new URL(path, window.location.origin), {
    method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify(data),
  }));
}

export function documentPath(key) {
  return '/api/documents/' + encodeURIComponent(key);
}

// Every page of a list endpoint, up to maxPages pages of 500.
export async function all(path, params, maxPages = 40) {
  const items = [];
  let offset = 0;
  for (let i = 0; i < maxPages && offset !== null; i++) {
    const page = await get(path, { ...params, limit: 500, offset });
    items.push(...page.items);
    offset = page.next_offset;
  }
  return items;
}
