// Kakikomi reader script. It runs in Qt WebEngine's ApplicationWorld, where the post's own
// scripts (which are disabled and blocked by the page's CSP anyway) cannot see it. It talks to
// Python only through the one bridge object `kakikomi` (app/ui/bridge.py).
//
// Offsets: the post's plain text is every text node of the article outside <rt>/<rp>, in document
// order (app/core/plain_text.py). Each top-level block carries data-kb; Python sends where each
// block starts, so an offset is blockStart + the characters before the point inside its block.
// Characters are code points, as in Python: a DOM offset counts UTF-16 units, so an emoji or a
// rare kanji outside the Basic Multilingual Plane is two of those and one character.
"use strict";

(function () {
  const state = { bridge: null, blockStarts: [], highlights: [], total: 0, selected: "" };

  function isReading(node) {
    for (let n = node; n && n.nodeType !== Node.DOCUMENT_NODE; n = n.parentNode) {
      if (n.nodeType === Node.ELEMENT_NODE && (n.tagName === "RT" || n.tagName === "RP")) return true;
      if (n.id === "kk-post") return false;
    }
    return false;
  }

  function textNodes(root) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
      acceptNode: (n) => (isReading(n) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
    });
    const nodes = [];
    for (let n = walker.nextNode(); n; n = walker.nextNode()) nodes.push(n);
    return nodes;
  }

  const PAIRS = /[\uD800-\uDBFF][\uDC00-\uDFFF]/g;
  const HAS_PAIR = /[\uD800-\uDBFF][\uDC00-\uDFFF]/;

  // Code points in s (UTF-16 units less one per surrogate pair).
  function cpLen(s) {
    const pairs = s.match(PAIRS);
    return s.length - (pairs ? pairs.length : 0);
  }

  // The UTF-16 index in s of its code point number cp.
  function unitIndex(s, cp) {
    if (!HAS_PAIR.test(s)) return Math.min(cp, s.length);
    let i = 0;
    for (let k = 0; k < cp && i < s.length; k++) {
      const c = s.charCodeAt(i);
      i += c >= 0xd800 && c <= 0xdbff && i + 1 < s.length ? 2 : 1;
    }
    return i;
  }

  function blockOf(node) {
    for (let n = node; n; n = n.parentNode) {
      if (n.nodeType === Node.ELEMENT_NODE && n.hasAttribute && n.hasAttribute("data-kb") && n.parentNode && n.parentNode.id === "kk-post") return n;
    }
    return null;
  }

  // The plain-text offset of a DOM point (container, offset).
  function offsetOf(container, offset) {
    let block = blockOf(container);
    if (!block) {
      // Between blocks: take the start of the next block (or the end of the text).
      const article = document.getElementById("kk-post");
      const range = document.createRange();
      range.setStart(container, offset);
      for (const el of article.querySelectorAll(":scope > [data-kb]")) {
        if (range.comparePoint(el, 0) >= 0) return state.blockStarts[+el.dataset.kb] || 0;
      }
      return state.total;
    }
    const start = state.blockStarts[+block.dataset.kb] || 0;
    const probe = document.createRange();
    probe.setStart(block, 0);
    probe.setEnd(container, offset);
    let count = 0;
    for (const n of textNodes(block)) {
      if (n === container) { count += cpLen(n.data.slice(0, offset)); break; }
      // A text node whose end lies inside [block start, point] is wholly before the point.
      if (probe.comparePoint(n, n.length) === 0) count += cpLen(n.data);
      else break;
    }
    return start + count;
  }

  // The DOM point for a plain-text offset.
  function pointAt(offset) {
    const blocks = document.querySelectorAll("#kk-post > [data-kb]");
    let chosen = null;
    for (const el of blocks) {
      const s = state.blockStarts[+el.dataset.kb];
      if (s !== undefined && s <= offset) chosen = el;
    }
    if (!chosen) return null;
    let rest = offset - state.blockStarts[+chosen.dataset.kb];
    const nodes = textNodes(chosen);
    for (const n of nodes) {
      const length = cpLen(n.data);
      if (rest <= length) return { node: n, offset: unitIndex(n.data, rest) };
      rest -= length;
    }
    const last = nodes[nodes.length - 1];
    return last ? { node: last, offset: last.length } : null;
  }

  function plainText(range) {
    let out = "";
    for (const n of textNodes(range.commonAncestorContainer.nodeType === Node.TEXT_NODE ? range.commonAncestorContainer.parentNode : range.commonAncestorContainer)) {
      if (!range.intersectsNode(n)) continue;
      const s = n === range.startContainer ? range.startOffset : 0;
      const e = n === range.endContainer ? range.endOffset : n.length;
      out += n.data.slice(s, e);
    }
    return out;
  }

  function selectionSpan() {
    const sel = window.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return null;
    const range = sel.getRangeAt(0);
    const start = offsetOf(range.startContainer, range.startOffset);
    const end = offsetOf(range.endContainer, range.endOffset);
    if (end <= start) return null;
    return { start, end, text: plainText(range) };
  }

  // Highlights: wrap the text nodes of each span in <mark class="kk-hl kk-hl-COLOR">.
  function clearHighlights() {
    for (const mark of document.querySelectorAll("mark.kk-hl")) {
      const parent = mark.parentNode;
      while (mark.firstChild) parent.insertBefore(mark.firstChild, mark);
      parent.removeChild(mark);
      parent.normalize();
    }
  }

  // A highlight's marks: one per text node it covers. A highlight with a note shows a small
  // marker after its last mark (CSS ::after) and the note, as plain text, when hovered (title).
  function paint(h) {
    const a = pointAt(h.start);
    const b = pointAt(h.end);
    if (!a || !b) return;
    let last = null;
    const range = document.createRange();
    range.setStart(a.node, a.offset);
    range.setEnd(b.node, b.offset);
    const root = range.commonAncestorContainer.nodeType === Node.TEXT_NODE ? range.commonAncestorContainer.parentNode : range.commonAncestorContainer;
    for (const n of textNodes(root)) {
      if (!range.intersectsNode(n)) continue;
      let node = n;
      const s = node === range.startContainer ? range.startOffset : 0;
      const e = node === range.endContainer ? range.endOffset : node.length;
      if (e <= s) continue;
      if (e < node.length) node.splitText(e);
      if (s > 0) node = node.splitText(s);
      const mark = document.createElement("mark");
      mark.className = "kk-hl kk-hl-" + (h.color || "yellow");
      if (h.id === state.selected) mark.classList.add("kk-hl-selected");
      mark.dataset.id = h.id;
      if (h.note) mark.title = h.note;
      node.parentNode.insertBefore(mark, node);
      mark.appendChild(node);
      last = mark;
    }
    if (last && h.note) last.classList.add("kk-hl-noted");
  }

  // The highlight chosen in the window (clicked, or its row in the panel): outlined in the page.
  function selectHighlight(id) {
    state.selected = id || "";
    for (const mark of document.querySelectorAll("mark.kk-hl")) {
      mark.classList.toggle("kk-hl-selected", mark.dataset.id === state.selected);
    }
  }

  function paintAll() {
    clearHighlights();
    for (const h of state.highlights) if (!h.orphan) paint(h);
  }

  function scrollToOffset(offset) {
    if (!offset) {
      // The very top, margin included; in vertical writing the start is the far right, where
      // the header is.
      if (!document.documentElement.classList.contains("kk-vertical")) { window.scrollTo(0, 0); return; }
      const header = document.querySelector(".kk-post-header");
      if (header) { header.scrollIntoView({ block: "start", inline: "start" }); return; }
    }
    const p = pointAt(offset);
    if (!p) return;
    const el = p.node.parentElement;
    if (el) el.scrollIntoView({ block: offset ? "center" : "start", inline: "start" });
  }

  function topOffset() {
    const el = firstVisibleBlock();
    return el ? state.blockStarts[+el.dataset.kb] || 0 : 0;
  }

  function appendBlocks(html) {
    const article = document.getElementById("kk-post");
    article.insertAdjacentHTML("beforeend", html);
  }

  // The first block on screen in reading order (in vertical writing the blocks read before it lie
  // off to the right, not above): where the reader is, and what must not move when blocks change.
  function firstVisibleBlock() {
    for (const el of document.querySelectorAll("#kk-post > [data-kb]")) {
      const r = el.getBoundingClientRect();
      if (r.bottom > 0 && r.top < window.innerHeight && r.right > 0 && r.left < window.innerWidth) return el;
    }
    return null;
  }

  function replaceBlocks(pairs) {
    const article = document.getElementById("kk-post");
    const anchor = firstVisibleBlock();
    const kb = anchor ? anchor.dataset.kb : null;
    const before = anchor ? anchor.getBoundingClientRect() : null;
    for (const [index, html] of pairs) {
      const el = article.querySelector(`:scope > [data-kb="${index}"]`);
      if (el) el.outerHTML = html;
    }
    paintAll();
    if (kb === null) return;
    const now = article.querySelector(`:scope > [data-kb="${kb}"]`);
    if (!now) return;
    const after = now.getBoundingClientRect();
    const vertical = document.documentElement.classList.contains("kk-vertical");
    const scroller = vertical ? document.querySelector(".kk-page") : window;
    if (scroller) scroller.scrollBy(after.left - before.left, after.top - before.top);
  }

  function send(name, payload) {
    if (state.bridge) state.bridge[name](JSON.stringify(payload));
  }

  // What Python calls (page.runJavaScript in this world).
  window.kk = {
    setHighlights(list) { state.highlights = list; paintAll(); },
    appendBlocks(html) { appendBlocks(html); paintAll(); },
    replaceBlocks,
    scrollToOffset,
    selectHighlight,
    selection: selectionSpan,
    setClasses(classes) {
      // Keep the reader's place when the theme or the writing direction changes.
      const at = topOffset();
      document.documentElement.className = classes;
      requestAnimationFrame(() => scrollToOffset(at));
    },
    clearSelection() { const s = window.getSelection(); if (s) s.removeAllRanges(); },
    textAt(start, end) {
      const a = pointAt(start), b = pointAt(end);
      if (!a || !b) return "";
      const r = document.createRange(); r.setStart(a.node, a.offset); r.setEnd(b.node, b.offset);
      return plainText(r);
    },
    plainText() { return textNodes(document.getElementById("kk-post")).map((n) => n.data).join(""); },
    selectRange(start, end) {
      const a = pointAt(start), b = pointAt(end);
      if (!a || !b) return false;
      const r = document.createRange(); r.setStart(a.node, a.offset); r.setEnd(b.node, b.offset);
      const s = window.getSelection(); s.removeAllRanges(); s.addRange(r);
      send("selectionChanged", selectionSpan());
      return true;
    },
  };

  document.addEventListener("mouseup", () => send("selectionChanged", selectionSpan()));
  document.addEventListener("keyup", (ev) => { if (ev.shiftKey || ev.key.startsWith("Arrow")) send("selectionChanged", selectionSpan()); });
  document.addEventListener("click", (ev) => {
    // A click on a highlight chooses it (for 1-5, T, N, Delete); a click elsewhere in the text
    // chooses none, so a key never acts on a highlight the reader has left.
    const mark = ev.target.closest && ev.target.closest("mark.kk-hl");
    if (mark) send("highlightClicked", { id: mark.dataset.id });
    else if (inPost(ev.target)) send("highlightClicked", { id: "" });
    const link = ev.target.closest && ev.target.closest("a[href]");
    if (link) {
      ev.preventDefault();
      send("linkClicked", { href: link.getAttribute("href") });
    }
    // A link to another post (a relative .md link, Jekyll's post_url): the app opens it if it is
    // in the library (prevented, so the click is not a word's click too).
    const post = ev.target.closest && ev.target.closest(".kk-post-link[data-post]");
    if (post && !link) {
      ev.preventDefault();
      openPostLink(post);
    }
  }, true);
  // Enter on a post link (it takes the focus: tabindex=0) opens it as a click does.
  document.addEventListener("keydown", (ev) => {
    if (ev.key !== "Enter" || ev.ctrlKey || ev.altKey || ev.metaKey || ev.shiftKey || ev.isComposing) return;
    const post = ev.target.closest && ev.target.closest(".kk-post-link[data-post]");
    if (!post) return;
    ev.preventDefault();
    openPostLink(post);
  });
  function openPostLink(post) {
    send("linkClicked", { href: "kakikomi-post:" + post.dataset.post });
  }
  document.addEventListener("copy", (ev) => {
    // Copy gives the text without readings.
    const span = selectionSpan();
    if (!span) return;
    ev.clipboardData.setData("text/plain", span.text);
    ev.preventDefault();
  });
  // Word lookup. A click on a word (or W with the caret or a selection in one) sends the
  // plain-text offset of the character under it, so Python can read the word in context.
  // A click on a reading counts as a click on the start of its base.
  const WORD_CLICK_DELAY_MS = 350; // wait out a double click, which selects a word instead

  function readingBase(node) {
    for (let n = node; n && n.id !== "kk-post"; n = n.parentNode) {
      if (n.nodeType === Node.ELEMENT_NODE && n.tagName === "RUBY") {
        const base = textNodes(n).find((t) => t.length > 0);
        return base ? { node: base, offset: 0 } : null;
      }
    }
    return null;
  }

  function inPost(node) {
    const article = document.getElementById("kk-post");
    return !!(node && article && article !== node && article.contains(node));
  }

  // Whether the character node.data[i] is drawn at (x, y): a caret position lies between two
  // characters, and a click past the end of a line puts the caret there without touching text.
  function charCovers(node, i, x, y) {
    if (i < 0 || i >= node.length) return false;
    const r = document.createRange();
    r.setStart(node, i);
    r.setEnd(node, i + 1);
    for (const rect of r.getClientRects()) {
      if (x >= rect.left - 1 && x <= rect.right + 1 && y >= rect.top - 1 && y <= rect.bottom + 1) return true;
    }
    return false;
  }

  // The DOM point of the post's character under (x, y), or null off the text.
  function wordPointAt(target, x, y) {
    const reading = target && target.closest && target.closest("#kk-post rt, #kk-post rp");
    if (reading) return readingBase(reading);
    const caret = document.caretRangeFromPoint ? document.caretRangeFromPoint(x, y) : null;
    if (!caret || caret.startContainer.nodeType !== Node.TEXT_NODE || !inPost(caret.startContainer)) return null;
    const node = caret.startContainer;
    const i = caret.startOffset;
    const at = charCovers(node, i, x, y) ? i : charCovers(node, i - 1, x, y) ? i - 1 : -1;
    if (at < 0) return null;
    return isReading(node) ? readingBase(node) : { node, offset: at };
  }

  // setTimeout never fires here: with the page's own JavaScript switched off, Chromium runs no
  // timers, not even in this world. Animation frames do run, so a delay counts them against the clock.
  function after(ms, fn) {
    const due = performance.now() + ms;
    const pending = { cancelled: false };
    const tick = () => {
      if (pending.cancelled) return;
      if (performance.now() >= due) fn();
      else requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    return pending;
  }

  let wordTimer = { cancelled: true };
  document.addEventListener("click", (ev) => {
    wordTimer.cancelled = true;
    // Links are handled above (and prevented); a second click belongs to a double click.
    if (ev.button !== 0 || ev.detail > 1 || ev.defaultPrevented) return;
    const sel = window.getSelection();
    if (sel && !sel.isCollapsed) return; // the end of a drag that selected text
    const point = wordPointAt(ev.target, ev.clientX, ev.clientY);
    if (!point) return;
    const payload = { offset: offsetOf(point.node, point.offset), x: ev.clientX, y: ev.clientY };
    wordTimer = after(WORD_CLICK_DELAY_MS, () => {
      const now = window.getSelection();
      if (!now || now.isCollapsed) send("wordClicked", payload);
    });
  });
  document.addEventListener("dblclick", () => { wordTimer.cancelled = true; });
  document.addEventListener("keydown", (ev) => {
    if ((ev.key !== "w" && ev.key !== "W") || ev.ctrlKey || ev.altKey || ev.metaKey) return;
    const sel = window.getSelection();
    if (!sel || sel.rangeCount === 0) return;
    const range = sel.getRangeAt(0);
    let point = { node: range.startContainer, offset: range.startOffset };
    if (!inPost(point.node)) return;
    if (point.node.nodeType === Node.TEXT_NODE && isReading(point.node)) point = readingBase(point.node);
    if (!point) return;
    const rects = range.getClientRects();
    const rect = rects.length ? rects[0] : range.getBoundingClientRect();
    ev.preventDefault();
    send("wordClicked", { offset: offsetOf(point.node, point.offset), x: rect.left, y: rect.bottom });
  });

  // The reading position, once scrolling has paused. Captured: in vertical writing it is the
  // page element that scrolls, and an element's scroll event does not bubble to the document.
  let scrollTimer = { cancelled: true };
  document.addEventListener("scroll", () => {
    scrollTimer.cancelled = true;
    scrollTimer = after(300, () => send("positionChanged", { offset: topOffset() }));
  }, { passive: true, capture: true });

  new QWebChannel(qt.webChannelTransport, (channel) => {
    state.bridge = channel.objects.kakikomi;
    state.bridge.pageInfo((info) => {
      const data = JSON.parse(info);
      state.blockStarts = data.blockStarts;
      state.total = data.total;
      state.highlights = data.highlights || [];
      paintAll();
      // Always scroll, to the start too: in vertical writing a page can open at its far end.
      scrollToOffset(data.offset || 0);
      // Paint first, then tell Python the page is ready (it waits for this, not loadFinished).
      requestAnimationFrame(() => requestAnimationFrame(() => send("ready", { page: data.page || "", blocks: document.querySelectorAll("#kk-post > [data-kb]").length })));
    });
  });
})();

// --- search marks ---
// A found match (a search result opened, Find in Post) is marked with the CSS Custom Highlight
// API: its range is painted through ::highlight(kk-search) (reader.css), and no element is added
// to the page, so the highlights' <mark>s, the selection and every offset stay as they are.
// Python gives each end as (block index, code points into that block's text), from the block
// starts it gave the page; a match in the title as code points into the title's text.
(function () {
  const NAME = "kk-search";
  let marked = []; // [{ root, start, end }] for a title mark, [{ kb, start, endKb, end }] for the text

  // The text nodes of `root` outside its readings (<rt>, <rp>); the word marks below use it too.
  function readingFree(root) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
      acceptNode: (n) => (n.parentElement && n.parentElement.closest("rt, rp") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
    });
    const nodes = [];
    for (let n = walker.nextNode(); n; n = walker.nextNode()) nodes.push(n);
    return nodes;
  }
  window.kkReadingFree = readingFree;

  // The DOM point `rest` code points into the text of `root` (readings left out).
  function pointIn(root, rest) {
    const nodes = readingFree(root);
    for (const n of nodes) {
      const chars = Array.from(n.data);
      if (rest <= chars.length) return { node: n, offset: chars.slice(0, rest).join("").length };
      rest -= chars.length;
    }
    const last = nodes[nodes.length - 1];
    return last ? { node: last, offset: last.length } : null;
  }

  function block(kb) {
    return document.querySelector(`#kk-post > [data-kb="${Number(kb)}"]`);
  }

  function rangeOf(span) {
    const startRoot = span.title ? document.querySelector(".kk-title") : block(span.kb);
    const endRoot = span.title ? startRoot : block(span.endKb);
    if (!startRoot || !endRoot) return null;
    const a = pointIn(startRoot, span.start);
    const b = pointIn(endRoot, span.end);
    if (!a || !b) return null;
    const range = document.createRange();
    range.setStart(a.node, a.offset);
    range.setEnd(b.node, b.offset);
    return range.collapsed ? null : range;
  }

  function paintMarks() {
    const ranges = marked.map(rangeOf).filter((r) => r);
    if (ranges.length) CSS.highlights.set(NAME, new Highlight(...ranges));
    else CSS.highlights.delete(NAME);
    return ranges;
  }

  function show(range) {
    const el = range.startContainer.parentElement;
    if (el) el.scrollIntoView({ block: "center", inline: "center" });
  }

  // Mark the text from (kb, start) to (endKb, end); the one mark on the page. True if marked.
  window.kkMarkRange = function (kb, start, endKb, end, scroll) {
    marked = [{ kb, start, endKb, end }];
    const ranges = paintMarks();
    if (ranges.length && scroll) show(ranges[0]);
    return ranges.length > 0;
  };
  // Mark characters start..end of the title.
  window.kkMarkTitle = function (start, end, scroll) {
    marked = [{ title: true, start, end }];
    const ranges = paintMarks();
    if (ranges.length && scroll) show(ranges[0]);
    return ranges.length > 0;
  };
  window.kkClearMarks = function () {
    marked = [];
    paintMarks();
  };
  // The marked text, readings left out (what a test or a screen reader would be told).
  window.kkMarkedText = function () {
    const found = CSS.highlights.get(NAME);
    if (!found) return "";
    return Array.from(found).map((r) => readingFree(r.commonAncestorContainer.nodeType === Node.TEXT_NODE
      ? r.commonAncestorContainer.parentNode : r.commonAncestorContainer).filter((n) => r.intersectsNode(n)).map((n) => {
      const s = n === r.startContainer ? r.startOffset : 0;
      const e = n === r.endContainer ? r.endOffset : n.length;
      return n.data.slice(s, e);
    }).join("")).join("\n");
  };
  // Blocks replaced by their readings (a long post) lose the ranges inside them: mark again.
  const replaceBlocks = window.kk.replaceBlocks;
  window.kk.replaceBlocks = function (pairs) {
    replaceBlocks(pairs);
    if (marked.length) paintMarks();
  };
})();

// --- word marks ---
// The learner's underlines: new and learning words (app.core.library.vocabulary.status_marks),
// painted with the CSS Custom Highlight API as ::highlight(kk-new) and ::highlight(kk-learning)
// (reader.css), so no element is added and every offset stays as it is. Python gives each word as
// [block index, code points into that block, end block index, code points into that one, status].
// A word's range is cut at each text node (one StaticRange per node): a range from a ruby's base
// to the kana after it would take the reading between them too. Static ranges do not follow the
// page's changes, so the words are painted again after each change the reader's script makes.
(function () {
  const NAMES = { new: "kk-new", learning: "kk-learning" };
  let words = [];

  const readingFree = window.kkReadingFree; // (the search marks' above)

  // Code points in s (UTF-16 units less one per surrogate pair).
  function cpLength(s) {
    const pairs = /[\uD800-\uDBFF]/.test(s) ? s.match(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g) : null;
    return s.length - (pairs ? pairs.length : 0);
  }

  // A block's text nodes with the code point each starts at, counted once per block.
  function layout(root) {
    const nodes = readingFree(root);
    const starts = [];
    const lengths = [];
    let at = 0;
    for (const n of nodes) {
      const chars = cpLength(n.data);
      starts.push(at);
      lengths.push(chars);
      at += chars;
    }
    return { nodes, starts, lengths };
  }

  // The UTF-16 index of code point `cp` in `s`.
  function unit(s, cp) {
    if (!/[\uD800-\uDBFF]/.test(s)) return Math.min(cp, s.length);
    return Array.from(s).slice(0, cp).join("").length;
  }

  // The static ranges of [start, end) code points into a block (`laid` from layout).
  function rangesIn(laid, start, end, out) {
    const { nodes, starts, lengths } = laid;
    // The first node that ends after `start` (binary search: a block may have thousands of nodes).
    let lo = 0, hi = nodes.length - 1, first = nodes.length;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid] + lengths[mid] > start) { first = mid; hi = mid - 1; } else lo = mid + 1;
    }
    for (let i = first; i < nodes.length && starts[i] < end; i++) {
      const s = Math.max(0, start - starts[i]);
      const e = Math.min(lengths[i], end - starts[i]);
      if (e <= s) continue;
      const data = nodes[i].data;
      out.push(new StaticRange({ startContainer: nodes[i], startOffset: unit(data, s), endContainer: nodes[i], endOffset: unit(data, e) }));
    }
  }

  function paintWords() {
    const found = { new: [], learning: [] };
    const blocks = new Map();
    for (const el of document.querySelectorAll("#kk-post > [data-kb]")) blocks.set(Number(el.dataset.kb), el);
    const layouts = new Map();
    const laidOut = (kb) => {
      if (!layouts.has(kb)) layouts.set(kb, blocks.has(kb) ? layout(blocks.get(kb)) : null);
      return layouts.get(kb);
    };
    for (const [kb, start, endKb, end, status] of words) {
      const out = found[status];
      if (!out) continue;
      if (kb === endKb) {
        const laid = laidOut(kb);
        if (laid) rangesIn(laid, start, end, out);
        continue;
      }
      // A word across blocks (rare: blocks are paragraphs): each block's part.
      for (let k = kb; k <= endKb; k++) {
        const laid = laidOut(k);
        if (!laid) continue;
        const total = laid.starts.length ? laid.starts[laid.starts.length - 1] + laid.lengths[laid.lengths.length - 1] : 0;
        rangesIn(laid, k === kb ? start : 0, k === endKb ? end : total, out);
      }
    }
    for (const [status, name] of Object.entries(NAMES)) {
      if (found[status].length) {
        const highlight = new Highlight();
        for (const range of found[status]) highlight.add(range);
        CSS.highlights.set(name, highlight);
      } else {
        CSS.highlights.delete(name);
      }
    }
    return found.new.length + found.learning.length;
  }

  // Underline these words (an empty list: none); returns how many ranges were painted.
  window.kkMarkWords = function (list) {
    words = Array.isArray(list) ? list : [];
    return paintWords();
  };
  // How many ranges each status has on the page (for tests).
  window.kkWordMarks = function () {
    const count = (name) => (CSS.highlights.has(name) ? CSS.highlights.get(name).size : 0);
    return { new: count(NAMES.new), learning: count(NAMES.learning) };
  };
  for (const name of ["setHighlights", "appendBlocks", "replaceBlocks"]) {
    const original = window.kk[name];
    window.kk[name] = function (...args) {
      const result = original.apply(this, args);
      if (words.length) paintWords();
      return result;
    };
  }
})();
