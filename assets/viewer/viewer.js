// The newsgraph viewer: draws the embedded graph with Cytoscape.js and shows a
// node's mentions in the article text and its statements. All data goes into
// the page through textContent, never as markup.
(function () {
  'use strict';

  var payload = JSON.parse(document.getElementById('newsgraph-data').textContent);
  var data = payload.graph || { nodes: [], edges: [], graph: { documents: [] } };
  var texts = payload.texts || {};
  var docs = {};
  ((data.graph && data.graph.documents) || []).forEach(function (d) { docs[d.id] = d; });

  var TYPES = ['Person', 'Organization', 'Location', 'Other', 'Event', 'Time', 'Statement', 'Document'];
  var css = getComputedStyle(document.documentElement);
  var COLOR = {};
  TYPES.forEach(function (t) { COLOR[t] = css.getPropertyValue('--' + t).trim() || '#999'; });

  var byId = new Map();
  data.nodes.forEach(function (n) { byId.set(n.id, n); });

  function push(map, k, v) {
    var a = map.get(k);
    if (!a) map.set(k, a = []);
    if (a.indexOf(v) < 0) a.push(v);
  }
  // Statement indexes: who said it, what it is about, and the reverse.
  var saidBy = new Map(), speakerOf = new Map(), aboutNode = new Map(), topicsOf = new Map();
  var links = new Map(); // node id -> [{relation, other, out}] for the connections list
  data.edges.forEach(function (e) {
    if (e.relation === 'attributed_to') { push(saidBy, e.target, e.source); push(speakerOf, e.source, e.target); }
    if (e.relation === 'about') { push(aboutNode, e.target, e.source); push(topicsOf, e.source, e.target); }
    if (e.relation !== 'mentioned_in') {
      push(links, e.source, { relation: e.relation, other: e.target, out: true });
      push(links, e.target, { relation: e.relation, other: e.source, out: false });
    }
  });

  function shortLabel(n) {
    var s = String(n.label || n.id);
    var max = n.type === 'Statement' ? 32 : 40;
    var cps = Array.from(s);
    return cps.length > max ? cps.slice(0, max - 1).join('') + '…' : s;
  }

  // Deterministic start positions (a circle, grouped by type), so the
  // force layout draws the same picture on every load.
  var order = data.nodes.slice().sort(function (a, b) {
    return TYPES.indexOf(a.type) - TYPES.indexOf(b.type) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  });
  var radius = 40 * Math.sqrt(order.length + 1);
  var degree = {};
  data.edges.forEach(function (e) {
    degree[e.source] = (degree[e.source] || 0) + 1;
    degree[e.target] = (degree[e.target] || 0) + 1;
  });
  var elements = [];
  order.forEach(function (n, i) {
    var a = 2 * Math.PI * i / Math.max(1, order.length);
    elements.push({
      group: 'nodes',
      data: { id: n.id, label: shortLabel(n), type: n.type, color: COLOR[n.type] || '#999', deg: degree[n.id] || 0 },
      position: { x: radius * Math.cos(a), y: radius * Math.sin(a) }
    });
  });
  data.edges.forEach(function (e, i) {
    if (!byId.has(e.source) || !byId.has(e.target)) return;
    elements.push({ group: 'edges', data: { id: 'edge\u0001' + i, source: e.source, target: e.target, relation: e.relation } });
  });

  var cy = cytoscape({
    container: document.getElementById('cy'),
    elements: elements,
    minZoom: 0.05,
    maxZoom: 4,
    style: [
      { selector: 'node', style: {
        'background-color': 'data(color)', 'label': 'data(label)', 'font-size': 10, 'color': '#333',
        'text-valign': 'bottom', 'text-margin-y': 3, 'text-outline-color': '#fff', 'text-outline-width': 2,
        'width': 'mapData(deg, 0, 20, 14, 40)', 'height': 'mapData(deg, 0, 20, 14, 40)'
      } },
      { selector: 'node[type = "Statement"]', style: { 'shape': 'round-rectangle', 'font-size': 9, 'color': '#6b5a1e' } },
      { selector: 'node[type = "Event"]', style: { 'shape': 'diamond' } },
      { selector: 'node[type = "Time"]', style: { 'shape': 'hexagon' } },
      { selector: 'node[type = "Document"]', style: { 'shape': 'rectangle' } },
      { selector: 'edge', style: {
        'width': 1.2, 'line-color': '#c8c8c8', 'target-arrow-color': '#c8c8c8', 'target-arrow-shape': 'triangle',
        'arrow-scale': 0.7, 'curve-style': 'bezier'
      } },
      { selector: 'edge[relation = "attributed_to"]', style: { 'line-color': '#d4a72c', 'target-arrow-color': '#d4a72c', 'width': 2 } },
      { selector: 'edge[relation = "about"]', style: { 'line-style': 'dashed', 'line-color': '#e0c97a', 'target-arrow-color': '#e0c97a' } },
      { selector: '.hidden', style: { 'display': 'none' } },
      { selector: 'node.faded', style: { 'opacity': 0.3 } },
      { selector: 'edge.faded', style: { 'opacity': 0.15 } },
      { selector: 'node.match', style: { 'border-width': 3, 'border-color': '#1f6feb' } },
      { selector: 'node.selected', style: { 'border-width': 4, 'border-color': '#111', 'font-weight': 'bold', 'z-index': 10 } },
      { selector: 'edge.near', style: { 'width': 2.5, 'line-color': '#777', 'target-arrow-color': '#777', 'z-index': 9 } }
    ]
  });

  function layout() {
    var nodes = cy.nodes().not('.hidden');
    var visible = nodes.union(nodes.connectedEdges().filter(function (e) {
      return !e.source().hasClass('hidden') && !e.target().hasClass('hidden');
    }));
    // The force layout costs n² per iteration: fewer iterations as graphs
    // grow, and rings by degree past the point where it would take seconds.
    var n = nodes.length;
    var iter = Math.min(1000, Math.floor(1.2e8 / Math.max(1, n * n)));
    if (iter >= 25) {
      visible.layout({
        name: 'cose', animate: false, randomize: false, fit: false,
        nodeRepulsion: function () { return 6000; }, idealEdgeLength: function () { return 55; },
        gravity: 1, componentSpacing: 40, numIter: iter, nodeDimensionsIncludeLabels: false
      }).run();
    } else {
      visible.layout({
        name: 'concentric', animate: false, fit: false, minNodeSpacing: 6,
        concentric: function (node) { return node.data('deg'); }, levelWidth: function () { return 4; }
      }).run();
    }
    // Fit to the nodes only: a bounding box with edges to hidden nodes trips Cytoscape.
    cy.fit(nodes, 30);
  }

  // ---- type filters
  var shownEl = document.getElementById('shown');
  function applyFilters() {
    var on = {};
    document.querySelectorAll('#filters input').forEach(function (b) { on[b.value] = b.checked; });
    cy.batch(function () {
      cy.nodes().forEach(function (n) {
        if (on[n.data('type')] === false) n.addClass('hidden'); else n.removeClass('hidden');
      });
    });
    var shown = cy.nodes().not('.hidden').length;
    shownEl.textContent = shown === cy.nodes().length ? '' : ' (' + shown + ' shown)';
  }
  document.getElementById('filters').addEventListener('change', function () {
    applyFilters();
    layout();
  });

  // ---- search
  var search = document.getElementById('search');
  var searchResult = document.getElementById('search-result');
  function matches(q) {
    return cy.nodes().not('.hidden').filter(function (n) {
      var d = byId.get(n.id());
      if (!d) return false;
      if (String(d.label).toLowerCase().indexOf(q) >= 0) return true;
      return (d.aliases || []).some(function (a) { return String(a).toLowerCase().indexOf(q) >= 0; });
    });
  }
  function runSearch() {
    var q = search.value.trim().toLowerCase();
    cy.elements().removeClass('match faded near');
    cy.nodes().removeClass('selected');
    if (!q) { searchResult.textContent = ''; return null; }
    var m = matches(q);
    cy.elements().addClass('faded');
    m.removeClass('faded').addClass('match');
    searchResult.textContent = m.length === 1 ? '1 match' : m.length + ' matches';
    return m;
  }
  search.addEventListener('input', runSearch);
  search.addEventListener('keydown', function (ev) {
    if (ev.key !== 'Enter') return;
    var m = runSearch();
    if (m && m.length) { select(m[0].id()); cy.center(m[0]); }
  });

  // ---- details panel
  var details = document.getElementById('details');
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function nodeLink(id) {
    var n = byId.get(id);
    var a = el('a', 'node-link', n ? n.label : id);
    a.href = '#';
    a.addEventListener('click', function (ev) { ev.preventDefault(); select(id); });
    return a;
  }
  function statementItem(sid) {
    var s = byId.get(sid);
    var box = el('div', 'statement');
    box.setAttribute('role', 'button');
    // Direct quotes carry their own quotation marks; others get them here.
    var words = String(s && s.content ? s.content.text : (s ? s.label : sid)).trim();
    var quoted = /^["“‘'«]/.test(words);
    box.appendChild(el('q', quoted ? 'own' : null, words));
    var who = el('div', 'who');
    var sp = speakerOf.get(sid) || [];
    who.appendChild(document.createTextNode('— '));
    if (sp.length) {
      sp.forEach(function (p, i) {
        if (i) who.appendChild(document.createTextNode(', '));
        who.appendChild(document.createTextNode(byId.get(p) ? byId.get(p).label : p));
      });
    } else {
      who.appendChild(document.createTextNode(s && s.source && s.source.text ? s.source.text : 'unattributed'));
    }
    if (s && s.kind) who.appendChild(document.createTextNode(' · ' + s.kind));
    box.appendChild(who);
    box.addEventListener('click', function () { select(sid); });
    return box;
  }
  function byPosition(a, b) {
    var x = byId.get(a), y = byId.get(b);
    var sa = x && x.content ? x.content.start : 0, sb = y && y.content ? y.content.start : 0;
    return sa - sb;
  }

  var charCache = {};
  function chars(docId) {
    if (!(docId in charCache)) charCache[docId] = Array.from(texts[docId] || '');
    return charCache[docId];
  }

  // One article with spans marked; overlapping spans keep the first.
  function article(docId, spans) {
    var cps = chars(docId);
    var box = el('div', 'article');
    spans = spans.filter(function (s) { return s.start >= 0 && s.end <= cps.length && s.start < s.end; })
      .sort(function (a, b) { return a.start - b.start || b.end - a.end; });
    var at = 0;
    spans.forEach(function (s) {
      if (s.start < at) return;
      box.appendChild(document.createTextNode(cps.slice(at, s.start).join('')));
      var m = el('mark', s.cls, cps.slice(s.start, s.end).join(''));
      m.dataset.start = s.start;
      m.dataset.end = s.end;
      box.appendChild(m);
      at = s.end;
    });
    box.appendChild(document.createTextNode(cps.slice(at).join('')));
    return box;
  }

  var MAX_DOCS = 10;
  function mentionsSection(n) {
    var spans = {};
    // A span given twice (a Statement's mention is its content) is marked once, with the later class.
    function add(s, cls) {
      if (!s || typeof s.start !== 'number') return;
      var list = spans[s.doc] = spans[s.doc] || [];
      for (var i = 0; i < list.length; i++) {
        if (list[i].start === s.start && list[i].end === s.end) { list[i].cls = cls; return; }
      }
      list.push({ start: s.start, end: s.end, text: s.text, cls: cls });
    }
    (n.mentions || []).forEach(function (s) { add(s, 'hl'); });
    if (n.type === 'Statement') { add(n.content, 'hl hl-content'); add(n.cue, 'hl hl-cue'); add(n.source, 'hl hl-source'); }
    if (n.type === 'Event') add(n.trigger, 'hl');
    var ids = Object.keys(spans).sort();
    var sec = el('section', 'mentions');
    var count = (n.mentions || []).length;
    sec.appendChild(el('h3', null, count === 1 ? '1 mention' : count + ' mentions'));
    ids.slice(0, MAX_DOCS).forEach(function (d) {
      var info = docs[d] || {};
      sec.appendChild(el('div', 'doc-title', (info.title || d) + (info.date ? ' (' + info.date + ')' : '')));
      if (typeof texts[d] === 'string') {
        sec.appendChild(article(d, spans[d]));
      } else {
        var ul = el('ul');
        spans[d].forEach(function (s) { ul.appendChild(el('li', null, '“' + s.text + '” at ' + s.start)); });
        sec.appendChild(ul);
      }
    });
    if (ids.length > MAX_DOCS) sec.appendChild(el('p', 'hint', '… and ' + (ids.length - MAX_DOCS) + ' more articles'));
    return sec;
  }

  var FIELDS = ['subtype', 'event_type', 'modality', 'value', 'timex_type', 'kind', 'date'];
  function show(n) {
    details.textContent = '';
    var badge = el('span', 'kind', n.type);
    badge.style.background = COLOR[n.type] || '#999';
    details.appendChild(badge);
    details.appendChild(el('h2', null, n.label));
    var dl = el('dl', 'fields');
    function field(k, v) { if (v === undefined || v === null || v === '') return; dl.appendChild(el('dt', null, k)); dl.appendChild(el('dd', null, v)); }
    FIELDS.forEach(function (k) { field(k.replace('_', ' '), n[k]); });
    if (n.aliases && n.aliases.length) field('also', n.aliases.join('; '));
    if (n.type === 'Statement') {
      if (n.source && n.source.text) field('source', n.source.text);
      if (n.cue && n.cue.text) field('cue', n.cue.text);
    }
    field('id', n.id);
    details.appendChild(dl);

    if (n.type === 'Statement') {
      details.appendChild(el('h3', null, 'Statement'));
      details.appendChild(statementItem(n.id));
      var topics = topicsOf.get(n.id) || [];
      if (topics.length) {
        var p = el('p', null, 'About: ');
        topics.forEach(function (t, i) { if (i) p.appendChild(document.createTextNode(', ')); p.appendChild(nodeLink(t)); });
        details.appendChild(p);
      }
    }
    var said = (saidBy.get(n.id) || []).slice().sort(byPosition);
    var about = (aboutNode.get(n.id) || []).slice().sort(byPosition);
    if (said.length) {
      details.appendChild(el('h3', null, 'Statements by ' + shortLabel(n) + ' (' + said.length + ')'));
      said.forEach(function (s) { details.appendChild(statementItem(s)); });
    }
    if (about.length) {
      details.appendChild(el('h3', null, 'Statements about ' + shortLabel(n) + ' (' + about.length + ')'));
      about.forEach(function (s) { details.appendChild(statementItem(s)); });
    }
    var ls = (links.get(n.id) || []).filter(function (l) { return l.relation !== 'attributed_to' && l.relation !== 'about'; });
    if (ls.length) {
      details.appendChild(el('h3', null, 'Connections'));
      var ul = el('ul', 'links');
      ls.forEach(function (l) {
        var li = el('li');
        li.appendChild(document.createTextNode(l.out ? l.relation + ' → ' : '← ' + l.relation + ' '));
        li.appendChild(nodeLink(l.other));
        ul.appendChild(li);
      });
      details.appendChild(ul);
    }
    details.appendChild(mentionsSection(n));
    details.scrollTop = 0;
    // Bring the first highlighted mention of each article into view.
    details.querySelectorAll('.article').forEach(function (a) {
      var m = a.querySelector('mark');
      if (m) a.scrollTop = Math.max(0, m.offsetTop - a.offsetTop - 40);
    });
  }

  function clearSelection() {
    cy.elements().removeClass('faded selected near match');
    details.textContent = '';
    details.appendChild(el('p', 'hint', 'Click a node to see where the article mentions it and what was said by or about it.'));
  }

  function select(id) {
    var n = byId.get(id);
    var node = cy.getElementById(id);
    if (!n || node.empty()) return;
    cy.batch(function () {
      cy.elements().removeClass('selected near match').addClass('faded');
      node.closedNeighborhood().removeClass('faded');
      node.connectedEdges().addClass('near');
      node.addClass('selected');
    });
    show(n);
  }

  cy.on('tap', 'node', function (ev) { select(ev.target.id()); });
  cy.on('tap', function (ev) { if (ev.target === cy) clearSelection(); });

  applyFilters();
  layout();
  window.newsgraphViewer = { cy: cy, select: select };
  document.body.dataset.ready = '1';
})();
