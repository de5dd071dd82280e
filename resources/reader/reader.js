// Kakikomi reader script. It runs in Qt WebEngine's ApplicationWorld, where the post's own
// scripts (which are disabled and blocked by the page's CSP anyway) cannot see it. It talks to
// Python only through the one bridge object `kakikomi` (app/ui/bridge.py).
//
// Offsets: the post's plain text is every text node of the article outside <rt>/<rp>, in document
// order (app/core/plain_text.py). Each top-level block carries data-kb; Python sends where each
// block starts, so an offset is blockStart + the characters before the point inside its block.
"use strict";

(function () {
  const state = { bridge: null, blockStarts: [], highlights: [], total: 0 };

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
      if (n === container) { count += offset; break; }
      // A text node whose end lies inside [block start, point] is wholly before the point.
      if (probe.comparePoint(n, n.length) === 0) count += n.length;
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
      if (rest <= n.length) return { node: n, offset: rest };
      rest -= n.length;
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

  function paint(h) {
    const a = pointAt(h.start);
    const b = pointAt(h.end);
    if (!a || !b) return;
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
      mark.dataset.id = h.id;
      node.parentNode.insertBefore(mark, node);
      mark.appendChild(node);
    }
  }

  function paintAll() {
    clearHighlights();
    for (const h of state.highlights) if (!h.orphan) paint(h);
  }

  function scrollToOffset(offset) {
    if (!offset) {
      const header = document.querySelector(".kk-post-header");
      if (header) { header.scrollIntoView({ block: "start", inline: "start" }); return; }
    }
    const p = pointAt(offset);
    if (!p) return;
    const el = p.node.parentElement;
    if (el) el.scrollIntoView({ block: offset ? "center" : "start", inline: "start" });
  }

  function topOffset() {
    for (const el of document.querySelectorAll("#kk-post > [data-kb]")) {
      const r = el.getBoundingClientRect();
      if (r.bottom > 0 && r.right > 0) return state.blockStarts[+el.dataset.kb] || 0;
    }
    return 0;
  }

  function appendBlocks(html) {
    const article = document.getElementById("kk-post");
    article.insertAdjacentHTML("beforeend", html);
  }

  function send(name, payload) {
    if (state.bridge) state.bridge[name](JSON.stringify(payload));
  }

  // What Python calls (page.runJavaScript in this world).
  window.kk = {
    setHighlights(list) { state.highlights = list; paintAll(); },
    appendBlocks(html) { appendBlocks(html); paintAll(); },
    scrollToOffset,
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
    const mark = ev.target.closest && ev.target.closest("mark.kk-hl");
    if (mark) send("highlightClicked", { id: mark.dataset.id });
    const link = ev.target.closest && ev.target.closest("a[href]");
    if (link) {
      ev.preventDefault();
      send("linkClicked", { href: link.getAttribute("href") });
    }
  }, true);
  document.addEventListener("copy", (ev) => {
    // Copy gives the text without readings.
    const span = selectionSpan();
    if (!span) return;
    ev.clipboardData.setData("text/plain", span.text);
    ev.preventDefault();
  });
  let scrollTimer = null;
  document.addEventListener("scroll", () => {
    clearTimeout(scrollTimer);
    scrollTimer = setTimeout(() => send("positionChanged", { offset: topOffset() }), 300);
  }, { passive: true });

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
      requestAnimationFrame(() => requestAnimationFrame(() => send("ready", { blocks: document.querySelectorAll("#kk-post > [data-kb]").length })));
    });
  });
})();
