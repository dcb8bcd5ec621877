// Opens the viewer page in headless Chromium and uses it as a reader would:
//   node check.js GRAPH.html GRAPH.json HOSTILE.html SCREENSHOT.png
// Checks: no console errors and no network requests; the node count on the
// page is the graph's; search and type filters count right; clicking a node
// (a real mouse click on the canvas) shows its mentions highlighted in the
// article text and its statements.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { chromium } = require('playwright-core');

const [htmlPath, jsonPath, hostilePath, shotPath] = process.argv.slice(2);
const graph = JSON.parse(fs.readFileSync(jsonPath, 'utf8'));
let passed = 0;
const failures = [];
function check(ok, what) {
  if (ok) passed++;
  else failures.push(what);
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
}

async function open(context, file) {
  const page = await context.newPage();
  const errors = [];
  const requests = [];
  const url = 'file://' + path.resolve(file);
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('request', (r) => { if (r.url() !== url) requests.push(r.url()); });
  await page.goto(url);
  await page.waitForSelector('body[data-ready="1"]', { timeout: 15000 });
  return { page, errors, requests };
}

(async () => {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'ng-viewer-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1400, height: 860 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const { page, errors, requests } = await open(context, htmlPath);

    // The count on screen is the graph's, and every node is drawn.
    const shown = await page.textContent('#node-count');
    check(Number(shown) === graph.nodes.length, `node count on screen ${shown} = graph's ${graph.nodes.length}`);
    const drawn = await page.evaluate(() => window.newsgraphViewer.cy.nodes().length);
    check(drawn === graph.nodes.length, `nodes in the drawing ${drawn} = ${graph.nodes.length}`);

    // Type filter: Document starts hidden; hiding Events hides exactly them too.
    const byType = (t) => graph.nodes.filter((n) => n.type === t).length;
    // After one frame, as Cytoscape applies style changes lazily.
    const visible = () => page.evaluate(() => new Promise((done) => requestAnimationFrame(() => done(window.newsgraphViewer.cy.nodes(':visible').length))));
    check(await visible() === graph.nodes.length - byType('Document'), 'Document nodes start hidden, all others shown');
    await page.click('#filters input[value="Event"]');
    check(await visible() === graph.nodes.length - byType('Document') - byType('Event'), 'unticking Event hides the Event nodes');
    check((await page.textContent('#shown')).includes(String(graph.nodes.length - byType('Document') - byType('Event'))), 'the header says how many are shown');
    await page.click('#filters input[value="Event"]');

    // Search: counts the visible nodes whose name or alias contains the words.
    const person = graph.nodes.find((n) => n.type === 'Person');
    const q = person.label.split(' ').pop().toLowerCase();
    const expected = graph.nodes.filter((n) => n.type !== 'Document' &&
      [n.label, ...(n.aliases || [])].some((s) => s.toLowerCase().includes(q))).length;
    await page.fill('#search', q);
    const said = await page.textContent('#search-result');
    check(said === `${expected} ${expected === 1 ? 'match' : 'matches'}`, `search "${q}": "${said}", expected ${expected}`);
    await page.fill('#search', '');

    // The entity with the most statements (then mentions): click it on the canvas.
    const statementsOf = (id) => graph.edges.filter((e) => (e.relation === 'attributed_to' || e.relation === 'about') && e.target === id).map((e) => e.source);
    const target = graph.nodes
      .filter((n) => ['Person', 'Organization', 'Location'].includes(n.type) && n.mentions.length)
      .sort((a, b) => statementsOf(b.id).length - statementsOf(a.id).length || b.mentions.length - a.mentions.length)[0];
    const at = await page.evaluate((id) => {
      const node = window.newsgraphViewer.cy.getElementById(id);
      const p = node.renderedPosition();
      const box = document.getElementById('cy').getBoundingClientRect();
      return { x: box.left + p.x, y: box.top + p.y };
    }, target.id);
    await page.mouse.click(at.x, at.y);
    await page.waitForSelector('#details h2');
    check(await page.textContent('#details h2') === target.label, `clicking "${target.label}" shows its details`);

    const marks = await page.$$eval('#details .article mark.hl', (ms) => ms.map((m) => ({ start: Number(m.dataset.start), end: Number(m.dataset.end), text: m.textContent })));
    const want = target.mentions.map((m) => ({ start: m.start, end: m.end, text: m.text }));
    check(JSON.stringify(marks) === JSON.stringify(want), `its ${want.length} mentions are highlighted in the text: ${JSON.stringify(marks.map((m) => m.text))}`);
    // The highlight sits at the right place in the article: the text before it is the article's.
    const article = fs.readFileSync(path.join(__dirname, '../../examples/article.txt'), 'utf8');
    const before = await page.$eval('#details .article', (a) => { const m = a.querySelector('mark'); const r = document.createRange(); r.setStart(a, 0); r.setEndBefore(m); return r.toString(); });
    check(before === Array.from(article).slice(0, want[0].start).join(''), 'the article text around the highlight is the article');

    const statements = new Set(statementsOf(target.id));
    const items = await page.$$eval('#details .statement q', (qs) => qs.map((q) => q.textContent));
    const contents = [...statements].map((id) => graph.nodes.find((n) => n.id === id).content.text);
    check(items.length === contents.length && contents.every((c) => items.includes(c)), `its ${contents.length} statements are listed with their quotes`);

    if (shotPath) {
      fs.mkdirSync(path.dirname(path.resolve(shotPath)), { recursive: true });
      await page.screenshot({ path: shotPath });
    }

    // Clicking a statement in the list selects that Statement node.
    if (items.length) {
      await page.click('#details .statement');
      check(await page.textContent('#details .kind') === 'Statement', 'clicking a listed statement opens it');
      check(await page.$$eval('#details mark.hl-content', (ms) => ms.length) === 1, 'the statement\'s content is highlighted');
    }

    check(errors.length === 0, `no console errors or warnings ${JSON.stringify(errors)}`);
    check(requests.length === 0, `no network requests ${JSON.stringify(requests)}`);

    // Markup in the article stays text.
    const h = await open(context, hostilePath);
    check(await h.page.evaluate(() => window.pwned) === undefined, 'markup in the article does not run');
    check(h.errors.length === 0 && h.requests.length === 0, `hostile page: no errors, no requests ${JSON.stringify([h.errors, h.requests])}`);
    check((await h.page.title()).includes('</script>'), 'the title shows the markup as text');
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  console.log(`viewer: ${passed} passed, ${failures.length} failed`);
  process.exit(failures.length ? 1 : 0);
})().catch((e) => {
  console.error(`viewer: ${e.stack || e}`);
  process.exit(1);
});
