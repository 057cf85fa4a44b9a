// The audit room's provenance graph: loads the JSON of GET /api/assessments/{id}/graph
// (the element's data-src), draws it with the vendored Cytoscape.js, and shows a clicked node's
// details. Texts go in with textContent only: labels and quoted passages stay verbatim and inert.
// The graph is kept as window.cy, and data-elements holds how many elements were drawn.
(function () {
  "use strict";

  var COLOURS = {
    assessment: "#d9d9d9", submission: "#eeeeee", score: "#8ecae6", firing: "#ffb703",
    rule: "#fcd5a5", "case": "#ffe8a3", fact: "#b7e4c7", evidence: "#74c69d",
    assessor: "#c8b6ff", indicator: "#f4a3a8", clause: "#f7c6c9", source: "#fff3b0"
  };
  var SHAPES = {
    score: "round-rectangle", fact: "ellipse", evidence: "barrel", assessor: "hexagon",
    source: "rectangle", rule: "cut-rectangle", firing: "diamond"
  };
  var FIRST = ["type", "label", "text", "value", "number", "kind", "title", "document",
    "start", "end", "prefix", "suffix"];

  function style() {
    var rules = [
      { selector: "node", style: {
        "label": "data(label)", "font-size": 10, "text-wrap": "wrap", "text-max-width": 140,
        "text-valign": "center", "text-halign": "center", "width": 150, "height": 44,
        "shape": "round-rectangle", "background-color": "#ffffff", "border-width": 1,
        "border-color": "#666666" } },
      { selector: "edge", style: {
        "curve-style": "bezier", "target-arrow-shape": "triangle", "width": 1,
        "line-color": "#999999", "target-arrow-color": "#999999", "label": "data(label)",
        "font-size": 7, "color": "#555555", "text-rotation": "autorotate" } },
      { selector: "node:selected", style: { "border-width": 3, "border-color": "#8b0000" } }
    ];
    Object.keys(COLOURS).forEach(function (type) {
      var s = { "background-color": COLOURS[type] };
      if (SHAPES[type]) { s.shape = SHAPES[type]; }
      rules.push({ selector: 'node[type = "' + type + '"]', style: s });
    });
    return rules;
  }

  function showDetails(panel, data) {
    var list = panel.querySelector("dl");
    var hint = panel.querySelector(".hint");
    list.textContent = "";
    if (hint) { hint.hidden = true; }
    var keys = FIRST.filter(function (k) { return k in data; });
    Object.keys(data).sort().forEach(function (k) {
      if (keys.indexOf(k) < 0 && k !== "id") { keys.push(k); }
    });
    keys.push("id");
    keys.forEach(function (key) {
      var dt = document.createElement("dt");
      var dd = document.createElement("dd");
      dt.textContent = key;
      dd.textContent = data[key];
      list.appendChild(dt);
      list.appendChild(dd);
    });
  }

  function showCounts(table, summary) {
    var body = table.querySelector("tbody");
    body.textContent = "";
    Object.keys(summary.types).forEach(function (type) {
      var row = document.createElement("tr");
      var name = document.createElement("th");
      var count = document.createElement("td");
      name.textContent = type;
      count.textContent = String(summary.types[type]);
      count.className = "num";
      row.appendChild(name);
      row.appendChild(count);
      body.appendChild(row);
    });
  }

  function draw(container, answer) {
    var elements = answer.elements.nodes.concat(answer.elements.edges);
    var roots = answer.elements.nodes.filter(function (n) {
      return n.data.type === "score" && n.data.kind === "indicator";
    }).map(function (n) { return n.data.id; });
    var cy = window.cytoscape({
      container: container,
      elements: elements,
      style: style(),
      layout: { name: "breadthfirst", directed: true, roots: roots, spacingFactor: 1.1,
        padding: 20 },
      wheelSensitivity: 0.3
    });
    var panel = document.getElementById("node-details");
    cy.on("tap", "node", function (event) { showDetails(panel, event.target.data()); });
    window.cy = cy;
    container.setAttribute("data-elements", String(cy.elements().length));
    container.setAttribute("data-nodes", String(cy.nodes().length));
    var counts = document.getElementById("graph-counts");
    if (counts) { showCounts(counts, answer.summary); }
  }

  function fail(message) {
    var box = document.getElementById("graph-error");
    if (box) { box.textContent = message; box.hidden = false; }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var container = document.getElementById("provgraph");
    if (!container) { return; }
    fetch(container.getAttribute("data-src"), { credentials: "same-origin",
      headers: { "Accept": "application/json" } })
      .then(function (response) {
        return response.json().then(function (body) {
          if (!response.ok) { throw new Error(String(body.detail || response.status)); }
          return body;
        });
      })
      .then(function (answer) { draw(container, answer); })
      .catch(function (error) { fail(error.message); });
  });
}());
