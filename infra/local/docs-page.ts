// A readable API reference page rendered from the OpenAPI document, self-contained (no CDN), for /docs.
type Doc = { info: { title: string; description?: string; version: string }; paths?: Record<string, Record<string, Operation>> };
type Operation = {
  summary?: string;
  tags?: string[];
  security?: unknown[];
  parameters?: { name: string; in: string; required?: boolean; description?: string; schema?: unknown }[];
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses?: Record<string, { description: string; content?: Record<string, { schema: unknown }> }>;
};

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const json = (value: unknown) => `<pre>${escapeHtml(JSON.stringify(value, null, 2))}</pre>`;

export function renderDocsPage(doc: Doc): string {
  const byTag = new Map<string, string[]>();
  for (const [path, methods] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(methods)) {
      const tag = op.tags?.[0] ?? 'Overige';
      const isPublic = Array.isArray(op.security) && op.security.length === 0;
      const params = (op.parameters ?? [])
        .map(
          (p) =>
            `<tr><td><code>${escapeHtml(p.name)}</code></td><td>${p.in}</td><td>${p.required ? 'ja' : 'nee'}</td><td>${escapeHtml(p.description ?? '')} ${p.schema ? `<code>${escapeHtml(JSON.stringify(p.schema))}</code>` : ''}</td></tr>`,
        )
        .join('');
      const body = op.requestBody ? `<h4>Inhoud</h4>${json(op.requestBody.content['application/json']?.schema)}` : '';
      const responses = Object.entries(op.responses ?? {})
        .map(
          ([status, r]) =>
            `<details><summary><b>${status}</b> ${escapeHtml(r.description)}</summary>${r.content ? json(Object.values(r.content)[0]?.schema) : ''}</details>`,
        )
        .join('');
      const html = `<section id="${escapeHtml(method + path)}"><h3><span class="m ${method}">${method.toUpperCase()}</span> <code>${escapeHtml(path)}</code> ${isPublic ? '<span class="pub">publiek</span>' : '<span class="auth">JWT</span>'}</h3><p>${escapeHtml(op.summary ?? '')}</p>${params ? `<table><tr><th>naam</th><th>in</th><th>verplicht</th><th>schema</th></tr>${params}</table>` : ''}${body}<h4>Antwoorden</h4>${responses}</section>`;
      byTag.set(tag, [...(byTag.get(tag) ?? []), html]);
    }
  }
  const sections = [...byTag.entries()].map(([tag, ops]) => `<h2>${escapeHtml(tag)}</h2>${ops.join('')}`).join('');
  return `<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>${escapeHtml(doc.info.title)}</title><style>
body{font-family:system-ui,sans-serif;max-width:1100px;margin:2rem auto;padding:0 1rem;color:#222}
section{border:1px solid #ddd;border-radius:6px;padding:.5rem 1rem;margin:.75rem 0}
.m{display:inline-block;min-width:4rem;text-align:center;border-radius:4px;color:#fff;padding:0 .3rem}.get{background:#2b7a0b}.post{background:#0b5cad}.put{background:#a35d00}.patch{background:#6b3fa0}.delete{background:#b00020}
.pub{font-size:.7rem;background:#e7f5e1;padding:.1rem .4rem;border-radius:4px}.auth{font-size:.7rem;background:#fde9c8;padding:.1rem .4rem;border-radius:4px}
pre{background:#f6f8fa;padding:.5rem;overflow:auto;font-size:.8rem}table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:.2rem .5rem;text-align:left;font-size:.85rem}
</style></head><body><h1>${escapeHtml(doc.info.title)} <small>${escapeHtml(doc.info.version)}</small></h1><p>${escapeHtml(doc.info.description ?? '')}</p>
<p>Het volledige document: <a href="/openapi.json">/openapi.json</a>. Lokaal een token: <code>npm run token -- an.peeters</code>; kies de organisatie met de header <code>X-Organisation</code>.</p>${sections}</body></html>`;
}
