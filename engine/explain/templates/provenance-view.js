(function () {
  "use strict";
  var NS = "http://www.w3.org/2000/svg";
  var data = JSON.parse(document.getElementById("graph-data").textContent);
  var N = data.nodes, E = data.edges, T = data.types;
  var W = 170, H = 24, COLW = 200, ROW = 30;
  var out = N.map(function () { return []; }), inc = N.map(function () { return []; });
  E.forEach(function (e, i) { out[e[0]].push(i); inc[e[1]].push(i); });
  var visible = new Set(data.initial), selected = -1, pos = {};
  var tx = 16, ty = 16, k = 1;
  var svg = document.getElementById("canvas"), viewport = document.getElementById("viewport");
  var edgeLayer = document.getElementById("edges"), nodeLayer = document.getElementById("nodes");
  var panel = document.getElementById("panel");

  function el(name, attrs, text) {
    var node = document.createElementNS(NS, name);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function h(name, text, cls) {
    var node = document.createElement(name);
    if (text !== undefined) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  function typeName(t) { var s = T[t] || ["#fff", t, t]; return s[1] + " / " + s[2]; }
  function fitLabel(text, width) {
    var used = 0, i, ch, w;
    for (i = 0; i < text.length; i++) {
      ch = text.charCodeAt(i); w = ch > 0x2e80 ? 12 : 7;
      if (used + w > width) return text.slice(0, Math.max(0, i - 1)) + "…";
      used += w;
    }
    return text;
  }

  function layout() {
    var cols = [];
    visible.forEach(function (i) { var c = N[i].c; (cols[c] = cols[c] || []).push(i); });
    pos = {};
    cols.forEach(function (col, c) {
      var bary = {};
      col.forEach(function (i) {
        var sum = 0, n = 0;
        out[i].concat(inc[i]).forEach(function (ei) {
          var e = E[ei], j = e[0] === i ? e[1] : e[0];
          if (pos[j] && N[j].c < c) { sum += pos[j].y; n++; }
        });
        bary[i] = n ? sum / n : Infinity;
      });
      col.sort(function (a, b) { return (bary[a] - bary[b]) || (N[a].o - N[b].o) || (a - b); });
      var y = 0;
      col.forEach(function (i) {
        if (isFinite(bary[i])) y = Math.max(y, bary[i]);
        pos[i] = { x: c * COLW, y: y };
        y += ROW;
      });
    });
  }

  function hiddenOut(i) {
    var n = 0;
    out[i].forEach(function (ei) { if (!visible.has(E[ei][1])) n++; });
    return n;
  }

  function edgePath(a, b, forward) {
    var x1 = a.x + W, y1 = a.y + H / 2, x2 = forward ? b.x : b.x + W, y2 = b.y + H / 2;
    var c2 = forward ? x2 - 60 : x2 + 50;
    return "M" + x1 + "," + y1 + " C" + (x1 + 50) + "," + y1 + " " + c2 + "," + y2 + " " + x2 + "," + y2;
  }

  function draw() {
    clear(edgeLayer); clear(nodeLayer);
    var drawnEdges = 0;
    E.forEach(function (e) {
      if (!visible.has(e[0]) || !visible.has(e[1])) return;
      var a = pos[e[0]], b = pos[e[1]], forward = N[e[1]].c > N[e[0]].c;
      var lit = e[0] === selected || e[1] === selected;
      var faint = !lit && (N[e[1]].t === "assessment" || N[e[1]].t === "submission");
      var path = el("path", { d: edgePath(a, b, forward), "class": lit ? "edge hl" : (faint ? "edge faint" : "edge") });
      path.appendChild(el("title", {}, N[e[0]].l + " —" + e[2] + "→ " + N[e[1]].l));
      edgeLayer.appendChild(path);
      drawnEdges++;
      if (lit) {
        var mx = (a.x + W + (forward ? b.x : b.x + W)) / 2, my = (a.y + b.y + H) / 2 - 3;
        edgeLayer.appendChild(el("text", { x: mx, y: my, "class": "elabel", "text-anchor": "middle" }, e[2]));
      }
    });
    var drawn = 0;
    visible.forEach(function (i) {
      var n = N[i], p = pos[i], style = T[n.t] || ["#fff"];
      var g = el("g", { "class": "node t-" + n.t + (i === selected ? " sel" : ""), transform: "translate(" + p.x + "," + p.y + ")", "data-i": i });
      g.appendChild(el("rect", { width: W, height: H, rx: 4, fill: style[0] }));
      var more = hiddenOut(i);
      g.appendChild(el("text", { x: 6, y: 16 }, fitLabel(n.l, W - (more ? 34 : 12))));
      if (more) g.appendChild(el("text", { x: W - 4, y: 16, "class": "more", "text-anchor": "end" }, "+" + more));
      g.appendChild(el("title", {}, typeName(n.t) + ": " + n.l));
      g.addEventListener("click", function (ev) { ev.stopPropagation(); if (!moved) select(i, true); });
      nodeLayer.appendChild(g);
      drawn++;
    });
    document.getElementById("status").textContent = drawn + " / " + N.length + " nodes, " + drawnEdges + " edges";
    document.body.setAttribute("data-drawn-nodes", String(drawn));
  }

  function refresh() { layout(); draw(); }

  function select(i, expand) {
    selected = i;
    visible.add(i);
    if (expand) out[i].forEach(function (ei) { visible.add(E[ei][1]); });
    refresh(); showPanel(i);
  }
  function reveal(i) { select(i, false); center(i); }
  function walk(i) {
    var stack = [i];
    while (stack.length) {
      var j = stack.pop();
      out[j].forEach(function (ei) { var t = E[ei][1]; if (!visible.has(t)) { visible.add(t); stack.push(t); } });
    }
    refresh(); showPanel(i);
  }

  function edgeList(title, list, end) {
    panel.appendChild(h("h3", title + " (" + list.length + ")"));
    var ul = h("ul");
    list.slice(0, 300).forEach(function (ei) {
      var e = E[ei], other = e[end], li = h("li"), b = h("button");
      b.type = "button";
      b.textContent = (end === 1 ? e[2] + " → " : "← " + e[2] + " ") + "[" + typeName(N[other].t).split(" / ")[0] + "] " + N[other].l;
      b.addEventListener("click", function () { reveal(other); });
      li.appendChild(b); ul.appendChild(li);
    });
    if (list.length > 300) ul.appendChild(h("li", "… " + (list.length - 300)));
    panel.appendChild(ul);
  }

  function showPanel(i) {
    clear(panel);
    var n = N[i], a = n.a, head = h("h2");
    head.appendChild(h("span", typeName(n.t), "badge"));
    head.appendChild(document.createTextNode(n.l));
    panel.appendChild(head);
    if (n.t === "source") {
      var q = h("div", undefined, "quote");
      q.appendChild(h("span", a.prefix || "", "ctx"));
      q.appendChild(h("mark", a.text || ""));
      q.appendChild(h("span", a.suffix || "", "ctx"));
      panel.appendChild(q);
    } else if (a.text) {
      panel.appendChild(h("pre", a.text));
    }
    var dl = h("dl");
    Object.keys(a).forEach(function (key) {
      if (key === "text" || key === "prefix" || key === "suffix") return;
      dl.appendChild(h("dt", key)); dl.appendChild(h("dd", String(a[key])));
    });
    dl.appendChild(h("dt", "IRI")); dl.appendChild(h("dd", n.id));
    panel.appendChild(dl);
    if (out[i].length) {
      var b = h("button", "展开至原文出处 / walk to the sources");
      b.type = "button";
      b.addEventListener("click", function () { walk(i); });
      panel.appendChild(b);
    }
    edgeList("来自 / came from", out[i], 1);
    edgeList("用于 / used by", inc[i], 0);
  }

  function help() {
    clear(panel);
    panel.appendChild(h("h2", data.title));
    panel.appendChild(h("p", "点击节点：查看其内容并展开其来源。拖动平移，滚轮缩放。"));
    panel.appendChild(h("p", "Click a node to see its text and values and reveal what it came from. Drag to pan, wheel to zoom."));
    panel.appendChild(h("p", data.assessment));
  }

  function apply() { viewport.setAttribute("transform", "translate(" + tx + "," + ty + ") scale(" + k + ")"); }
  function bounds() {
    var minx = Infinity, miny = Infinity, maxx = -Infinity, maxy = -Infinity;
    Object.keys(pos).forEach(function (i) {
      var p = pos[i];
      minx = Math.min(minx, p.x); miny = Math.min(miny, p.y);
      maxx = Math.max(maxx, p.x + W); maxy = Math.max(maxy, p.y + H);
    });
    return isFinite(minx) ? { x: minx, y: miny, w: maxx - minx, h: maxy - miny } : { x: 0, y: 0, w: 1, h: 1 };
  }
  function fit(widthOnly) {
    var r = svg.getBoundingClientRect(), b = bounds();
    k = Math.min((r.width - 32) / b.w, widthOnly ? 1 : (r.height - 32) / b.h, 1.2);
    k = Math.max(k, widthOnly ? 0.4 : 0.05);
    tx = 16 - b.x * k;
    ty = 16 - b.y * k;
    apply();
  }
  function center(i) {
    var r = svg.getBoundingClientRect(), p = pos[i];
    tx = r.width / 2 - (p.x + W / 2) * k; ty = r.height / 2 - (p.y + H / 2) * k; apply();
  }

  var drag = null, moved = false;
  svg.addEventListener("mousedown", function (ev) { drag = { x: ev.clientX, y: ev.clientY, tx: tx, ty: ty }; moved = false; });
  window.addEventListener("mousemove", function (ev) {
    if (!drag) return;
    var dx = ev.clientX - drag.x, dy = ev.clientY - drag.y;
    if (Math.abs(dx) + Math.abs(dy) > 4) { moved = true; svg.classList.add("dragging"); }
    tx = drag.tx + dx; ty = drag.ty + dy; apply();
  });
  window.addEventListener("mouseup", function () { drag = null; svg.classList.remove("dragging"); setTimeout(function () { moved = false; }, 0); });
  svg.addEventListener("wheel", function (ev) {
    ev.preventDefault();
    var r = svg.getBoundingClientRect(), mx = ev.clientX - r.left, my = ev.clientY - r.top;
    var nk = Math.min(4, Math.max(0.05, k * Math.exp(-ev.deltaY * 0.0015)));
    tx = mx - (mx - tx) * nk / k; ty = my - (my - ty) * nk / k; k = nk; apply();
  }, { passive: false });

  document.getElementById("fit").addEventListener("click", function () { fit(); });
  document.getElementById("reset").addEventListener("click", function () {
    visible = new Set(data.initial); selected = -1; refresh(); help(); fit(true);
  });
  document.getElementById("all").addEventListener("click", function () {
    visible = new Set(N.map(function (_n, i) { return i; })); refresh(); fit();
  });
  document.getElementById("search").addEventListener("change", function (ev) {
    var q = ev.target.value.trim().toLowerCase();
    if (!q) return;
    clear(panel);
    panel.appendChild(h("h2", "查找 / find: " + ev.target.value));
    var ul = h("ul"), found = 0;
    N.forEach(function (n, i) {
      if (found >= 200) return;
      if ((n.l + " " + (n.a.text || "")).toLowerCase().indexOf(q) < 0) return;
      var li = h("li"), b = h("button", "[" + typeName(n.t).split(" / ")[0] + "] " + n.l);
      b.type = "button";
      b.addEventListener("click", function () { reveal(i); });
      li.appendChild(b); ul.appendChild(li); found++;
    });
    panel.appendChild(ul);
  });

  document.getElementById("title").textContent = data.title;
  var legend = document.getElementById("legend");
  Object.keys(T).forEach(function (t) {
    var s = h("span", T[t][1] + " " + T[t][2]);
    s.style.setProperty("--c", T[t][0]);
    legend.appendChild(s);
  });
  refresh(); help(); fit(true);
  // #node=IRI selects a node (and reveals what it came from), e.g. from a link in a report
  var wanted = decodeURIComponent((location.hash.match(/^#node=(.*)$/) || [])[1] || "");
  N.forEach(function (n, i) { if (wanted && n.id === wanted) { select(i, true); center(i); } });
})();
