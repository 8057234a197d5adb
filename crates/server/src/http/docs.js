// Renders /api/v1/openapi.json as a readable list of operations and schemas.
(async function () {
  const root = document.getElementById('root');
  const doc = await (await fetch('/api/v1/openapi.json')).json();
  const el = (tag, attrs, ...kids) => {
    const e = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => e.setAttribute(k, v));
    kids.flat().forEach((k) => e.append(k instanceof Node ? k : document.createTextNode(String(k))));
    return e;
  };
  const resolve = (s) => (s && s.$ref ? doc.components.schemas[s.$ref.split('/').pop()] : s);
  const name = (s) => (s && s.$ref ? s.$ref.split('/').pop() : s && s.type === 'array' ? name(s.items) + '[]' : (s && s.type) || 'object');
  const schemaBlock = (s) => el('pre', {}, JSON.stringify(resolve(s), null, 2));
  root.textContent = '';
  root.append(el('p', {}, doc.info.description || ''));
  const byTag = {};
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const tag = (op.tags && op.tags[0]) || 'other';
      (byTag[tag] = byTag[tag] || []).push({ path, method, op });
    }
  }
  const tagDesc = Object.fromEntries((doc.tags || []).map((t) => [t.name, t.description]));
  for (const [tag, ops] of Object.entries(byTag)) {
    const sec = el('section', { class: 'tag' }, el('h2', {}, `${tagDesc[tag] || tag}（${tag}）`));
    for (const { path, method, op } of ops) {
      const body = el('div', {});
      if (op.parameters && op.parameters.length) {
        body.append(el('table', {}, el('tr', {}, el('th', {}, '参数'), el('th', {}, '位置'), el('th', {}, '类型'), el('th', {}, '说明')),
          op.parameters.map((p) => el('tr', {}, el('td', {}, p.name), el('td', {}, p.in), el('td', {}, name(p.schema)), el('td', {}, p.description || '')))));
      }
      const rb = op.requestBody && op.requestBody.content && op.requestBody.content['application/json'];
      if (rb) body.append(el('p', {}, '请求体：' + name(rb.schema)), schemaBlock(rb.schema));
      for (const [code, r] of Object.entries(op.responses || {})) {
        const c = r.content && (r.content['application/json'] || Object.values(r.content)[0]);
        body.append(el('p', {}, `响应 ${code}：${r.description || ''} ${c ? name(c.schema) : ''}`));
      }
      sec.append(el('details', { class: 'op' },
        el('summary', {}, el('span', { class: 'm ' + method }, method.toUpperCase()), '/api/v1' + path, el('span', { class: 'sum' }, op.summary || op.description || '')), body));
    }
    root.append(sec);
  }
})().catch((e) => { document.getElementById('root').textContent = '文档加载失败：' + e; });
