/* scholarflow web page: plain JavaScript, no dependencies, nothing fetched but the API.
 *
 * Everything the server returns is treated as untrusted text: Markdown is escaped before it
 * is turned into HTML, and everything else is put into the DOM as text nodes.
 */
(function () {
  "use strict";

  var SVG_NS = "http://www.w3.org/2000/svg";
  var PROMPT_MARKERS = /Recommended AI Models|A user has asked/i;

  // ------------------------------------------------------------------ Markdown

  function escapeHtml(text) {
    return String(text)
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;")
      .replace(/'/g, "&#39;");
  }

  // A URL in already-escaped text: stops at whitespace and at an escaped < > " '.
  var URL_RE = /https?:\/\/(?:(?!&lt;|&gt;|&quot;|&#39;)[^\s])+/g;
  var MD_LINK_RE = /\[([^\]\n]+)\]\((https?:\/\/(?:(?!&lt;|&gt;|&quot;|&#39;)[^\s)])+)\)/g;

  function trimUrl(url) {
    // Trailing punctuation belongs to the sentence, and a ")" only to the URL if it opened one.
    var tail = "";
    for (;;) {
      var last = url.charAt(url.length - 1);
      if (/[.,;:!?*]/.test(last)) {
        tail = last + tail;
        url = url.slice(0, -1);
      } else if (last === ")" && url.split("(").length < url.split(")").length) {
        tail = last + tail;
        url = url.slice(0, -1);
      } else {
        break;
      }
    }
    return [url, tail];
  }

  function anchor(href, text) {
    return (
      '<a href="' + href + '" target="_blank" rel="noopener noreferrer">' + text + "</a>"
    );
  }

  // Inline Markdown on escaped text: `code`, [text](url), bare URLs, **bold**, *emphasis*.
  function inline(escaped) {
    var stash = [];
    function keep(html) {
      stash.push(html);
      return "\u0000" + (stash.length - 1) + "\u0000";
    }
    var out = escaped.replace(/`([^`\n]+)`/g, function (_, code) {
      return keep("<code>" + code + "</code>");
    });
    out = out.replace(MD_LINK_RE, function (_, text, url) {
      return keep(anchor(url, text));
    });
    out = out.replace(URL_RE, function (match) {
      var parts = trimUrl(match);
      return keep(anchor(parts[0], parts[0])) + parts[1];
    });
    out = out.replace(/\*\*([^*\n](?:[^\n]*?[^*\n])?)\*\*/g, "<strong>$1</strong>");
    out = out.replace(/(^|[^*\w])\*([^*\s](?:[^*\n]*?[^*\s])?)\*(?![*\w])/g, "$1<em>$2</em>");
    return out.replace(/\u0000(\d+)\u0000/g, function (_, i) {
      return stash[Number(i)];
    });
  }

  var LIST_RE = /^(\s*)([-*+]|\d{1,9}[.)])\s+(.*)$/;
  var FENCE_RE = /^\s*(`{3,}|~{3,})\s*([\w+-]*)\s*$/;

  function indentOf(line) {
    return line.match(/^\s*/)[0].replace(/\t/g, "    ").length;
  }

  // Block Markdown on escaped lines. Returns HTML.
  function blocks(lines) {
    var html = [];
    var i = 0;
    while (i < lines.length) {
      var line = lines[i];
      var fence = line.match(FENCE_RE);
      if (!line.trim()) {
        i += 1;
        continue;
      }
      if (fence) {
        var body = [];
        var marker = fence[1];
        i += 1;
        while (i < lines.length && lines[i].trim().indexOf(marker) !== 0) {
          body.push(lines[i]);
          i += 1;
        }
        i += 1; // the closing fence
        var lang = fence[2] ? ' class="language-' + fence[2] + '"' : "";
        html.push('<pre tabindex="0"><code' + lang + ">" + body.join("\n") + "</code></pre>");
        continue;
      }
      var heading = line.match(/^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/);
      if (heading) {
        var level = Math.min(6, heading[1].length + 2);
        html.push("<h" + level + ">" + inline(heading[2]) + "</h" + level + ">");
        i += 1;
        continue;
      }
      if (/^\s{0,3}&gt;/.test(line)) {
        var quoted = [];
        while (i < lines.length && /^\s{0,3}&gt;/.test(lines[i])) {
          quoted.push(lines[i].replace(/^\s{0,3}&gt;\s?/, ""));
          i += 1;
        }
        html.push("<blockquote>" + blocks(quoted) + "</blockquote>");
        continue;
      }
      if (/^\s{0,3}([-*_])(\s*\1){2,}\s*$/.test(line)) {
        html.push("<hr>");
        i += 1;
        continue;
      }
      var item = line.match(LIST_RE);
      if (item) {
        i = list(lines, i, html);
        continue;
      }
      var para = [];
      while (
        i < lines.length &&
        lines[i].trim() &&
        !FENCE_RE.test(lines[i]) &&
        !LIST_RE.test(lines[i]) &&
        !/^\s{0,3}(#{1,6}\s|&gt;)/.test(lines[i])
      ) {
        para.push(lines[i].trim());
        i += 1;
      }
      if (!para.length) {
        para.push(lines[i].trim()); // never stall on a line no rule above took
        i += 1;
      }
      html.push("<p>" + inline(para.join("\n")) + "</p>");
    }
    return html.join("\n");
  }

  // A list starting at lines[start]; items at its indent, deeper lines belong to the item.
  function list(lines, start, html) {
    var first = lines[start].match(LIST_RE);
    var base = indentOf(lines[start]);
    var ordered = /\d/.test(first[2]);
    var items = [];
    var i = start;
    while (i < lines.length) {
      var line = lines[i];
      var m = line.match(LIST_RE);
      if (m && indentOf(line) === base && /\d/.test(m[2]) === ordered) {
        items.push([m[3]]);
        i += 1;
        continue;
      }
      if (!line.trim()) {
        // A blank line ends the list unless the next line continues it: deeper, or a
        // sibling item of the same kind.
        var next = lines[i + 1];
        var nm = next !== undefined ? next.match(LIST_RE) : null;
        var continues =
          next !== undefined &&
          next.trim() &&
          (indentOf(next) > base ||
            (nm && indentOf(next) === base && /\d/.test(nm[2]) === ordered));
        if (!continues) break;
        items[items.length - 1].push("");
        i += 1;
        continue;
      }
      if (indentOf(line) > base) {
        items[items.length - 1].push(line.replace(/^\s+/, function (ws) {
          return ws.slice(Math.min(ws.length, base + 2));
        }));
        i += 1;
        continue;
      }
      if (!m && !FENCE_RE.test(line) && !/^\s{0,3}(#{1,6}\s|&gt;)/.test(line)) {
        items[items.length - 1].push(line.trim()); // a lazy continuation line
        i += 1;
        continue;
      }
      break;
    }
    var tag = ordered ? "ol" : "ul";
    var startNum = ordered ? parseInt(first[2], 10) : 1;
    var open = ordered && startNum !== 1 ? "<ol start=\"" + startNum + "\">" : "<" + tag + ">";
    var parts = items.map(function (itemLines) {
      var rest = itemLines.slice(1);
      var simple = rest.every(function (l) {
        return l && !LIST_RE.test(l) && !FENCE_RE.test(l);
      });
      if (simple) {
        return "<li>" + inline(itemLines.join("\n")) + "</li>";
      }
      var head = [itemLines[0]];
      var k = 1;
      while (k < itemLines.length && itemLines[k] && !LIST_RE.test(itemLines[k]) &&
        !FENCE_RE.test(itemLines[k])) {
        head.push(itemLines[k]);
        k += 1;
      }
      return "<li>" + inline(head.join("\n")) + blocks(itemLines.slice(k)) + "</li>";
    });
    html.push(open + parts.join("") + "</" + tag + ">");
    return i;
  }

  function renderMarkdown(markdown) {
    var text = String(markdown || "").replace(/\r\n?/g, "\n");
    return blocks(escapeHtml(text).split("\n"));
  }

  // ------------------------------------------------------------------ graph layout

  var LINE_H = 18;
  var KIND_LABEL = { input: "Input", model: "Model", operation: "Step", output: "Output" };

  function modalityLabel(modality) {
    return modality ? String(modality).replace(/_/g, " ") : "";
  }

  // Text width in pixels, measured with the page's own font, so labels wrap inside the box.
  var measureContext = null;
  function textWidth(text, font) {
    if (!measureContext) {
      measureContext = document.createElement("canvas").getContext("2d");
    }
    if (!measureContext) return String(text).length * 8; // no canvas: a safe estimate
    measureContext.font = font;
    return measureContext.measureText(text).width;
  }

  /* Greedy wrapping by measured width. Words break after their hyphens first
   * ("Txt2Img-StableDiffusionV1-…"), and only a piece wider than a line is cut. */
  function wrapText(text, maxWidth, maxLines, font) {
    var pieces = [];
    String(text)
      .split(/\s+/)
      .filter(Boolean)
      .forEach(function (word) {
        (word.match(/[^-]+-*|-+/g) || [word]).forEach(function (piece, k) {
          pieces.push({ text: piece, space: k === 0 });
        });
      });
    var fits = function (t) {
      return textWidth(t, font) <= maxWidth;
    };
    var lines = [];
    var current = "";
    pieces.forEach(function (piece) {
      var joined = current ? current + (piece.space ? " " : "") + piece.text : piece.text;
      if (fits(joined)) {
        current = joined;
        return;
      }
      if (current) lines.push(current);
      current = "";
      var rest = piece.text;
      while (!fits(rest) && rest.length > 1) {
        var cut = rest.length - 1;
        while (cut > 1 && !fits(rest.slice(0, cut) + "-")) cut -= 1;
        lines.push(rest.slice(0, cut) + "-");
        rest = rest.slice(cut);
      }
      current = rest;
    });
    if (current) lines.push(current);
    if (lines.length > maxLines) {
      lines = lines.slice(0, maxLines);
      var last = lines[maxLines - 1];
      while (last.length > 1 && !fits(last + "…")) last = last.slice(0, -1);
      lines[maxLines - 1] = last.replace(/[\s-]+$/, "") + "…";
    }
    return lines.length ? lines : [""];
  }

  /* Depth = the longest path from a node with no inputs (as in docs/workflow-format.md),
   * one column per depth. An input that feeds a later step only (a camera path entering at
   * the end) is drawn just before its first consumer, so its edge stays short. Within a
   * column nodes keep the answer's order (the main path first), refined by the mean row of
   * their predecessors. */
  function layoutWorkflow(workflow) {
    var nodes = (workflow && workflow.nodes) || [];
    var edges = ((workflow && workflow.edges) || []).filter(function (e) {
      return byId(nodes, e.source) && byId(nodes, e.target) && e.source !== e.target;
    });
    var depth = {};
    var order = {};
    nodes.forEach(function (n, i) {
      depth[n.id] = 0;
      order[n.id] = i;
    });
    // Longest path by relaxation; at most |V| rounds, so a cycle cannot loop forever.
    for (var round = 0; round < nodes.length; round += 1) {
      var changed = false;
      edges.forEach(function (e) {
        if (depth[e.target] < depth[e.source] + 1) {
          depth[e.target] = depth[e.source] + 1;
          changed = true;
        }
      });
      if (!changed) break;
    }
    var incoming = {};
    edges.forEach(function (e) {
      incoming[e.target] = true;
    });
    nodes.forEach(function (n) {
      if (incoming[n.id]) return;
      var targets = edges.filter(function (e) {
        return e.source === n.id;
      });
      if (!targets.length) return;
      var first = Math.min.apply(null, targets.map(function (e) {
        return depth[e.target];
      }));
      depth[n.id] = Math.max(depth[n.id], first - 1);
    });

    var columns = [];
    nodes.forEach(function (n) {
      (columns[depth[n.id]] = columns[depth[n.id]] || []).push(n);
    });
    columns = columns.map(function (c) {
      return c || [];
    });
    var row = {};
    columns.forEach(function (column) {
      var keyed = column.map(function (n) {
        var rows = edges
          .filter(function (e) {
            return e.target === n.id && row[e.source] !== undefined;
          })
          .map(function (e) {
            return row[e.source];
          });
        var mean = rows.length
          ? rows.reduce(function (a, b) {
              return a + b;
            }, 0) / rows.length
          : Infinity;
        return { node: n, key: mean, order: order[n.id] };
      });
      keyed.sort(function (a, b) {
        return a.key - b.key || a.order - b.order || 0;
      });
      keyed.forEach(function (k, r) {
        row[k.node.id] = r;
        column[r] = k.node;
      });
    });
    return { depth: depth, row: row, columns: columns, edges: edges };
  }

  function byId(nodes, id) {
    for (var i = 0; i < nodes.length; i += 1) {
      if (nodes[i].id === id) return nodes[i];
    }
    return null;
  }

  function svgEl(name, attrs, parent) {
    var el = document.createElementNS(SVG_NS, name);
    Object.keys(attrs || {}).forEach(function (key) {
      el.setAttribute(key, attrs[key]);
    });
    if (parent) parent.appendChild(el);
    return el;
  }

  function svgText(parent, x, y, text, cls) {
    var t = svgEl("text", { x: x, y: y, class: cls }, parent);
    t.textContent = text;
    return t;
  }

  /* The graph is laid out by dagre (static/vendor/dagre, fetched by `make setup`), or, when
   * it is missing, by layoutWorkflow's columns above. Left to right when it fits the box at
   * full size, else top to bottom (always below 600 px): the text is drawn at its CSS size
   * (14 and 12 px) and never shrunk to fit; what does not fit is panned, and zooming out is
   * the reader's choice ("Whole graph", −, Ctrl+wheel). */
  var NARROW = 600;
  var LABEL_FONT_PX = 14;
  var SMALL_FONT_PX = 12;

  function fontFamily() {
    return getComputedStyle(document.body).fontFamily;
  }

  // Box contents and sizes for nodes of width `nodeW`: as tall as their lines, no taller.
  function nodeBoxes(workflow, refs, nodeW) {
    var labelFont = "600 " + LABEL_FONT_PX + "px " + fontFamily();
    var boxes = {};
    (workflow.nodes || []).forEach(function (n) {
      var ref = n.source_id ? refs[n.source_id] : null;
      var label = n.label + (ref ? " [" + ref.number + "]" : "");
      var lines = wrapText(label, nodeW - 28, nodeW < 160 ? 7 : 4, labelFont);
      var sub = n.kind === "model" && ref ? ref.role : modalityLabel(n.modality);
      // kind line, then the label lines, then the modality or role, then the bottom margin
      var h = 40 + (lines.length - 1) * LINE_H + (sub ? LINE_H : 0) + 12;
      boxes[n.id] = { lines: lines, sub: sub, w: nodeW, h: h, ref: ref };
    });
    return boxes;
  }

  function edgeLabelSize(e) {
    var text = modalityLabel(e.modality);
    if (!text) return { width: 0, height: 0 };
    var font = SMALL_FONT_PX + "px " + fontFamily();
    return { width: Math.ceil(textWidth(text, font)) + 10, height: 18 };
  }

  /* Node centres, edge points and label positions, in pixels at 100 %. */
  function computeLayout(workflow, refs, direction, nodeW) {
    var boxes = nodeBoxes(workflow, refs, nodeW);
    var flow = layoutWorkflow(workflow); // the edges kept (no self-loops, known ends)
    var nodes = workflow.nodes || [];
    var placed = { boxes: boxes, edges: [], width: 0, height: 0, direction: direction };
    if (window.dagre && window.dagre.graphlib) {
      var g = new window.dagre.graphlib.Graph({ multigraph: true });
      g.setGraph({
        rankdir: direction,
        nodesep: direction === "LR" ? 22 : 20,
        ranksep: direction === "LR" ? 26 : 14,
        edgesep: 14,
        marginx: direction === "LR" ? 12 : 6,
        marginy: 12,
      });
      nodes.forEach(function (n) {
        g.setNode(n.id, { width: boxes[n.id].w, height: boxes[n.id].h });
      });
      flow.edges.forEach(function (e, k) {
        var size = edgeLabelSize(e);
        // Top to bottom, a label takes height between the ranks but no width: it is drawn
        // over its edge, and steps side by side stay close enough to fit a phone.
        if (direction === "TB") size.width = Math.min(size.width, 24);
        g.setEdge(e.source, e.target, { width: size.width, height: size.height, labelpos: "c" },
          "e" + k);
      });
      window.dagre.layout(g);
      nodes.forEach(function (n) {
        var p = g.node(n.id);
        boxes[n.id].x = p.x - boxes[n.id].w / 2;
        boxes[n.id].y = p.y - boxes[n.id].h / 2;
      });
      flow.edges.forEach(function (e, k) {
        var d = g.edge(e.source, e.target, "e" + k);
        placed.edges.push({ edge: e, points: d.points, label: { x: d.x, y: d.y } });
      });
      placed.width = g.graph().width;
      placed.height = g.graph().height;
      placed.engine = "dagre";
      return placed;
    }
    // No dagre: one column (or row) per depth.
    var along = 0;
    var lanes = [];
    var spanOf = function (b) {
      return direction === "LR" ? b.h : b.w;
    };
    var lengthOf = function (b) {
      return direction === "LR" ? b.w : b.h;
    };
    flow.columns.forEach(function (column, d) {
      var longest = 0;
      var across = 12;
      column.forEach(function (n) {
        var b = boxes[n.id];
        if (direction === "LR") {
          b.x = 12 + along;
          b.y = across;
        } else {
          b.x = across;
          b.y = 12 + along;
        }
        across += spanOf(b) + 24;
        longest = Math.max(longest, lengthOf(b));
      });
      lanes[d] = across;
      along += longest + (direction === "LR" ? 90 : 52);
    });
    flow.edges.forEach(function (e) {
      var a = boxes[e.source];
      var b = boxes[e.target];
      var p1 = direction === "LR" ? { x: a.x + a.w, y: a.y + a.h / 2 } : { x: a.x + a.w / 2, y: a.y + a.h };
      var p2 = direction === "LR" ? { x: b.x, y: b.y + b.h / 2 } : { x: b.x + b.w / 2, y: b.y };
      placed.edges.push({
        edge: e,
        points: [p1, p2],
        label: { x: (p1.x + p2.x) / 2, y: (p1.y + p2.y) / 2 },
      });
    });
    nodes.forEach(function (n) {
      var b = boxes[n.id];
      placed.width = Math.max(placed.width, b.x + b.w + 12);
      placed.height = Math.max(placed.height, b.y + b.h + 12);
    });
    placed.engine = "columns";
    return placed;
  }

  /* The direction for a box `room` px wide: left to right if that fits at 100 %, else top to
   * bottom if that fits, else whichever is narrower (the rest is panned). */
  function chooseLayout(workflow, refs, room) {
    if (room < NARROW) return narrowTopToBottom(workflow, refs, room, Math.min(300, room - 24));
    var lr = computeLayout(workflow, refs, "LR", 176);
    if (lr.width <= room) return lr;
    var tb = narrowTopToBottom(workflow, refs, room, 232);
    if (tb.width <= room || tb.width < lr.width) return tb;
    return lr;
  }

  /* Top to bottom with nodes `nodeW` wide, narrowed (to 110 px at least: the labels wrap on
   * more lines) until steps side by side fit the box. */
  var MIN_NODE_W = 110;

  function narrowTopToBottom(workflow, refs, room, nodeW) {
    nodeW = Math.max(MIN_NODE_W, nodeW);
    var placed = computeLayout(workflow, refs, "TB", nodeW);
    for (var k = 0; k < 5 && placed.width > room && nodeW > MIN_NODE_W; k += 1) {
      nodeW = Math.max(MIN_NODE_W, Math.floor((nodeW * room) / placed.width) - 4);
      placed = computeLayout(workflow, refs, "TB", nodeW);
    }
    return placed;
  }

  function pathThrough(points) {
    var d = "M" + points[0].x + "," + points[0].y;
    if (points.length === 2) return d + " L" + points[1].x + "," + points[1].y;
    for (var i = 1; i < points.length - 1; i += 1) {
      var next = points[i + 1];
      var mid =
        i === points.length - 2 ? next : { x: (points[i].x + next.x) / 2, y: (points[i].y + next.y) / 2 };
      d += " Q" + points[i].x + "," + points[i].y + " " + mid.x + "," + mid.y;
    }
    return d;
  }

  function drawWorkflow(answer, room) {
    var workflow = answer.workflow || { nodes: [], edges: [] };
    var refs = {};
    (answer.references || []).forEach(function (r) {
      refs[r.source_id] = r;
    });
    var nodes = workflow.nodes || [];
    var placed = chooseLayout(workflow, refs, room || 900);
    var boxes = placed.boxes;
    var width = Math.ceil(placed.width);
    var height = Math.ceil(placed.height);

    var svg = svgEl("svg", {
      xmlns: SVG_NS,
      class: "workflow-graph",
      role: "img",
      width: width,
      height: height,
      viewBox: "0 0 " + width + " " + height,
      "data-direction": placed.direction,
      "data-layout": placed.engine,
      "data-natural-width": width,
      "data-natural-height": height,
      "aria-label": summarise(answer, refs),
    });
    var defs = svgEl("defs", {}, svg);
    var marker = svgEl("marker", {
      id: "sf-arrow",
      viewBox: "0 0 10 10",
      refX: "9",
      refY: "5",
      markerWidth: "8",
      markerHeight: "8",
      orient: "auto-start-reverse",
    }, defs);
    svgEl("path", { d: "M0,0 L10,5 L0,10 z", class: "arrow-head" }, marker);

    var edgeLayer = svgEl("g", { class: "edges" }, svg);
    var nodeLayer = svgEl("g", { class: "nodes" }, svg);
    var labelLayer = svgEl("g", { class: "edge-labels" }, svg);
    var nodeOf = {};
    nodes.forEach(function (n) {
      nodeOf[n.id] = n;
    });

    placed.edges.forEach(function (item) {
      var e = item.edge;
      var optional = nodeOf[e.source].optional || nodeOf[e.target].optional;
      var g = svgEl("g", {
        class: "edge" + (optional ? " optional" : ""),
        "data-source": e.source,
        "data-target": e.target,
      }, edgeLayer);
      var title = svgEl("title", {}, g);
      title.textContent =
        nodeOf[e.source].label + " → " + nodeOf[e.target].label + ": " + modalityLabel(e.modality);
      svgEl("path", { d: pathThrough(item.points), "marker-end": "url(#sf-arrow)" }, g);
      if (e.modality) {
        var t = svgText(labelLayer, item.label.x, item.label.y + 4, modalityLabel(e.modality),
          "edge-label" + (optional ? " optional" : ""));
        t.setAttribute("text-anchor", "middle");
      }
    });

    nodes.forEach(function (n) {
      var box = boxes[n.id];
      var kind = KIND_LABEL[n.kind] ? n.kind : "operation";
      var attrs = {
        class: "node node-" + kind + (n.optional ? " optional" : ""),
        "data-kind": n.kind,
        "data-id": n.id,
        transform: "translate(" + box.x + "," + box.y + ")",
      };
      var g;
      if (box.ref) {
        // A model node is a link to its reference below: keyboard users reach it with Tab.
        g = svgEl("a", attrs, nodeLayer);
        g.setAttribute("href", "#ref-" + box.ref.number);
      } else {
        g = svgEl("g", attrs, nodeLayer);
      }
      var title = svgEl("title", {}, g);
      var titleText = (KIND_LABEL[kind] || "Step") + ": " + n.label;
      if (box.ref) {
        titleText += " [" + box.ref.number + "], " + box.ref.title + " (" + box.ref.role + ")";
      } else if (n.modality) {
        titleText += " (" + modalityLabel(n.modality) + ")";
      }
      if (n.optional) titleText += ", optional branch";
      title.textContent = titleText;
      svgEl("rect", { class: "box", width: box.w, height: box.h, rx: 10, ry: 10 }, g);
      svgEl("rect", { class: "band", width: 6, height: box.h - 16, x: 0, y: 8, rx: 3 }, g);
      svgText(g, 16, 20, (KIND_LABEL[kind] || "Step").toUpperCase() +
        (n.optional ? " · OPTIONAL" : ""), "node-kind");
      box.lines.forEach(function (line, k) {
        svgText(g, 16, 40 + k * LINE_H, line, "node-label");
      });
      if (box.sub) {
        svgText(g, 16, 40 + box.lines.length * LINE_H, box.sub, "node-sub");
      }
    });
    return svg;
  }

  function summarise(answer, refs) {
    var nodes = (answer.workflow && answer.workflow.nodes) || [];
    function name(n) {
      var ref = n.source_id ? refs[n.source_id] : null;
      return n.label + (ref ? " [" + ref.number + "]" : "");
    }
    var main = nodes.filter(function (n) {
      return !n.optional;
    });
    var optionalModels = nodes.filter(function (n) {
      return n.optional && n.kind === "model";
    });
    var text = "Workflow graph with " + nodes.length + " steps. Main path: " +
      main.map(name).join(" → ") + ".";
    if (optionalModels.length) {
      text += " Optional branches through " + optionalModels.map(name).join(", ") + ".";
    }
    return text;
  }

  // ------------------------------------------------------------------ pan and zoom

  /* The graph's view is its SVG viewBox: `s` is the zoom (1 = the text at its CSS size), tx
   * and ty the top-left corner shown, in graph pixels. The element is as wide as its box and
   * as tall as the graph at the zoom (at most at 100 %), so there is no empty band. */
  var MIN_ZOOM = 0.25;
  var MAX_ZOOM = 3;
  var view = null;

  function graphSvg() {
    return $("graph").querySelector("svg");
  }

  function startView(svg) {
    view = {
      s: 1,
      tx: 0,
      ty: 0,
      W: Number(svg.getAttribute("data-natural-width")),
      H: Number(svg.getAttribute("data-natural-height")),
    };
    applyView();
  }

  function fitZoom() {
    var room = $("graph").clientWidth || view.W;
    return Math.max(MIN_ZOOM, Math.min(1, room / view.W));
  }

  function applyView() {
    var svg = graphSvg();
    if (!svg || !view) return;
    var graph = $("graph");
    var room = graph.clientWidth || view.W;
    var w = room;
    var h = Math.max(60, Math.round(view.H * Math.min(view.s, 1)));
    var vw = w / view.s;
    var vh = h / view.s;
    // Centred when the view is larger than the graph, else kept on the graph.
    view.tx = vw >= view.W ? (view.W - vw) / 2 : Math.min(Math.max(view.tx, 0), view.W - vw);
    view.ty = vh >= view.H ? (view.H - vh) / 2 : Math.min(Math.max(view.ty, 0), view.H - vh);
    svg.setAttribute("width", String(w));
    svg.setAttribute("height", String(h));
    svg.setAttribute("viewBox", [view.tx, view.ty, vw, vh].map(round2).join(" "));
    var pans = vw < view.W - 0.5 || vh < view.H - 0.5;
    graph.classList.toggle("can-pan", pans);
    graph.parentNode.classList.toggle("can-scroll", pans);
    var whole = Math.abs(view.s - fitZoom()) < 0.001;
    var fitButton = $("fit-graph");
    fitButton.setAttribute("aria-pressed", whole && fitZoom() < 1 ? "true" : "false");
    fitButton.disabled = fitZoom() >= 1 && view.s === 1;
    $("zoom-in").disabled = view.s >= MAX_ZOOM - 0.001;
    $("zoom-out").disabled = view.s <= MIN_ZOOM + 0.001;
    $("zoom-level").textContent = Math.round(view.s * 100) + " %";
  }

  function round2(x) {
    return Math.round(x * 100) / 100;
  }

  // Zoom by `factor` about the point (px, py) of the element (its centre by default).
  function zoomBy(factor, px, py) {
    if (!view) return;
    var svg = graphSvg();
    var w = svg.clientWidth || $("graph").clientWidth;
    var h = svg.clientHeight || view.H;
    if (px === undefined) {
      px = w / 2;
      py = h / 2;
    }
    var gx = view.tx + px / view.s;
    var gy = view.ty + py / view.s;
    view.s = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, view.s * factor));
    view.tx = gx - px / view.s;
    view.ty = gy - py / view.s;
    applyView();
  }

  function panBy(dx, dy) {
    if (!view) return false;
    var before = view.tx + "," + view.ty;
    view.tx += dx / view.s;
    view.ty += dy / view.s;
    applyView();
    return before !== view.tx + "," + view.ty;
  }

  function setZoom(s) {
    if (!view) return;
    view.s = s;
    view.tx = 0;
    view.ty = 0;
    applyView();
  }

  function wirePanZoom() {
    var graph = $("graph");
    $("zoom-in").addEventListener("click", function () {
      zoomBy(1.25);
    });
    $("zoom-out").addEventListener("click", function () {
      zoomBy(0.8);
    });
    $("fit-graph").addEventListener("click", function () {
      setZoom(this.getAttribute("aria-pressed") === "true" ? 1 : fitZoom());
    });
    graph.addEventListener("keydown", function (event) {
      if (event.target !== graph || event.ctrlKey || event.metaKey || event.altKey) return;
      var step = 60;
      var handled = true;
      switch (event.key) {
        case "ArrowLeft":
          handled = panBy(-step, 0);
          break;
        case "ArrowRight":
          handled = panBy(step, 0);
          break;
        case "ArrowUp":
          handled = panBy(0, -step);
          break;
        case "ArrowDown":
          handled = panBy(0, step);
          break;
        case "+":
        case "=":
          zoomBy(1.25);
          break;
        case "-":
        case "_":
          zoomBy(0.8);
          break;
        case "0":
          setZoom(1);
          break;
        default:
          handled = false;
      }
      if (handled) event.preventDefault();
    });
    // Ctrl/⌘ + wheel zooms about the pointer; a sideways wheel pans a graph wider than its box.
    graph.addEventListener("wheel", function (event) {
      if (!view) return;
      var rect = graph.getBoundingClientRect();
      if (event.ctrlKey || event.metaKey) {
        event.preventDefault();
        zoomBy(event.deltaY < 0 ? 1.1 : 1 / 1.1, event.clientX - rect.left, event.clientY - rect.top);
      } else if (Math.abs(event.deltaX) > Math.abs(event.deltaY) || event.shiftKey) {
        if (panBy(event.deltaX || event.deltaY, 0)) event.preventDefault();
      }
    }, { passive: false });
    // Dragging pans; a drag of a few pixels is not a click on the node under it.
    var drag = null;
    graph.addEventListener("pointerdown", function (event) {
      if (!view || event.button !== 0 || !graph.classList.contains("can-pan")) return;
      drag = { x: event.clientX, y: event.clientY, moved: false, id: event.pointerId };
    });
    graph.addEventListener("pointermove", function (event) {
      if (!drag || event.pointerId !== drag.id) return;
      var dx = event.clientX - drag.x;
      var dy = event.clientY - drag.y;
      if (!drag.moved && Math.abs(dx) + Math.abs(dy) < 5) return;
      if (!drag.moved) {
        drag.moved = true;
        graph.setPointerCapture(event.pointerId);
        graph.classList.add("is-panning");
      }
      panBy(-dx, -dy);
      drag.x = event.clientX;
      drag.y = event.clientY;
    });
    var endDrag = function (event) {
      if (!drag || event.pointerId !== drag.id) return;
      if (drag.moved) {
        graph.classList.remove("is-panning");
        // The click that ends a drag does not follow the node's link.
        var swallow = function (e) {
          e.preventDefault();
          e.stopPropagation();
        };
        graph.addEventListener("click", swallow, { capture: true, once: true });
        setTimeout(function () {
          graph.removeEventListener("click", swallow, { capture: true });
        }, 0);
      }
      drag = null;
    };
    graph.addEventListener("pointerup", endDrag);
    graph.addEventListener("pointercancel", endDrag);
  }

  // A new box width may want the other direction: the graph is laid out again.
  function redrawForWidth() {
    if (!state.answer || !graphSvg()) return;
    var room = $("graph").clientWidth;
    if (room === state.drawnFor) {
      applyView();
      return;
    }
    drawGraph(state.answer);
  }

  function drawGraph(data) {
    var graph = $("graph");
    graph.textContent = "";
    var room = graph.clientWidth;
    graph.appendChild(drawWorkflow(data, room));
    state.drawnFor = room;
    startView(graphSvg());
  }

  // ------------------------------------------------------------------ page state

  var $ = function (id) {
    return document.getElementById(id);
  };
  var state = {
    answer: null,
    request: null,
    busy: false,
    drawnFor: 0,
    entryId: null,
    comfyui: true, // false once the server said it cannot export ComfyUI workflows
  };

  function setStatus(text, busy) {
    var status = $("status");
    status.textContent = text;
    status.classList.toggle("busy", !!busy);
  }

  function showError(message) {
    $("error-text").textContent = message;
    $("error").hidden = false;
  }

  function clearError() {
    $("error").hidden = true;
    $("error-text").textContent = "";
  }

  function requestFor(text) {
    if (PROMPT_MARKERS.test(text)) {
      return { url: "api/answer", body: { prompt: text }, kind: "prompt" };
    }
    return { url: "api/ask", body: { question: text }, kind: "question" };
  }

  function errorMessage(status, data, fallback) {
    var detail = data && data.detail;
    if (Array.isArray(detail)) {
      detail = detail
        .map(function (d) {
          var loc = (d.loc || []).filter(function (p) {
            return p !== "body";
          });
          return (loc.length ? loc.join(".") + ": " : "") + (d.msg || "invalid value");
        })
        .join("; ");
    } else if (detail && typeof detail === "object") {
      detail = JSON.stringify(detail);
    } else if (!detail && data && data.error && data.error.message) {
      detail = data.error.message;
    }
    return (status ? "HTTP " + status + ": " : "") + (detail || fallback || "unknown error");
  }

  // ------------------------------------------------------------------ the token

  /* A server started with --token needs it on every API call; /health says whether it does.
   * The token is kept for this tab only (sessionStorage), never in the history. */
  var TOKEN_KEY = "scholarflow.token";

  function storedToken() {
    try {
      return window.sessionStorage.getItem(TOKEN_KEY) || "";
    } catch (err) {
      return "";
    }
  }

  function currentToken() {
    var field = $("token");
    return (field && field.value.trim()) || "";
  }

  function keepToken() {
    try {
      if (currentToken()) window.sessionStorage.setItem(TOKEN_KEY, currentToken());
      else window.sessionStorage.removeItem(TOKEN_KEY);
    } catch (err) {
      // refused storage: the field still holds it for this page
    }
  }

  function showTokenField(focus) {
    $("token-row").hidden = false;
    if (focus) $("token").focus();
  }

  function headersFor(accept) {
    var headers = { "Content-Type": "application/json", Accept: accept };
    var token = currentToken();
    if (token) headers.Authorization = "Bearer " + token;
    return headers;
  }

  function checkServer() {
    fetch("health", { headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        if (data && data.token) showTokenField(false);
      })
      .catch(function () {
        // the first request will say what is wrong
      });
  }

  function failure(response, text) {
    var data = null;
    try {
      data = text ? JSON.parse(text) : null;
    } catch (err) {
      data = null;
    }
    var fallback = text && text.length < 300 ? text.trim() : response.statusText;
    var error = new Error(errorMessage(response.status, data, fallback));
    error.status = response.status;
    if (response.status === 401) {
      showTokenField(true);
      error.message = currentToken()
        ? "The server refused this token (HTTP 401): check it and submit again."
        : "This server needs its token (HTTP 401): enter it in the token field and submit again.";
    }
    return error;
  }

  function unreachable(err) {
    return new Error("could not reach the server (" + (err && err.message) + ")");
  }

  function postJson(url, body) {
    return fetch(url, {
      method: "POST",
      headers: headersFor("application/json"),
      body: JSON.stringify(body),
    }).then(function (response) {
      return response.text().then(function (text) {
        if (!response.ok) throw failure(response, text);
        var data = null;
        try {
          data = text ? JSON.parse(text) : null;
        } catch (err) {
          data = null;
        }
        if (data === null || typeof data !== "object") {
          throw new Error("the server's reply is not JSON");
        }
        return data;
      });
    }, function (err) {
      throw unreachable(err);
    });
  }

  /* The answer as newline-delimited JSON from `url`/stream: `onText(piece)` for each part
   * that passed the server's grounding screen, resolving to the final answer. A server
   * without the stream route (404, 405) is asked the plain way. */
  function postStream(url, body, onText) {
    return fetch(url + "/stream", {
      method: "POST",
      headers: headersFor("application/x-ndjson"),
      body: JSON.stringify(body),
    }).then(function (response) {
      if (response.status === 404 || response.status === 405) return postJson(url, body);
      if (!response.ok) {
        return response.text().then(function (text) {
          throw failure(response, text);
        });
      }
      if (!response.body || !window.TextDecoder) {
        return response.text().then(function (text) {
          return readEvents(text.split("\n"), onText) || Promise.reject(
            new Error("the stream ended before the answer")
          );
        });
      }
      var reader = response.body.getReader();
      var decoder = new TextDecoder();
      var buffer = "";
      var result = null;
      var pump = function () {
        return reader.read().then(function (chunk) {
          if (chunk.done) {
            buffer += decoder.decode();
            result = readEvents(buffer.split("\n"), onText) || result;
            if (!result) throw new Error("the stream ended before the answer");
            return result;
          }
          buffer += decoder.decode(chunk.value, { stream: true });
          var lines = buffer.split("\n");
          buffer = lines.pop();
          result = readEvents(lines, onText) || result;
          return pump();
        });
      };
      return pump();
    }, function (err) {
      throw unreachable(err);
    });
  }

  function readEvents(lines, onText) {
    var result = null;
    lines.forEach(function (line) {
      if (!line.trim()) return;
      var event = JSON.parse(line);
      if (event.type === "text") onText(String(event.text || ""));
      else if (event.type === "answer") result = event.answer;
      else if (event.type === "error") throw new Error(event.detail || "the answer failed");
    });
    return result;
  }

  // ------------------------------------------------------------------ history

  /* Past answers live in this browser (localStorage), newest first, at most HISTORY_MAX. A
   * permalink is "#a=<id>": it restores the answer from this browser's history, offline;
   * the server keeps nothing. When storage is full the oldest answers make room; when the
   * browser refuses storage the history lasts as long as the page. */
  var HISTORY_KEY = "scholarflow.history.v1";
  var HISTORY_MAX = 50;
  var memoryHistory = null; // used when the browser refuses storage
  var historyNote = "";

  function readHistory() {
    if (memoryHistory) return memoryHistory;
    try {
      var raw = window.localStorage.getItem(HISTORY_KEY);
      var list = raw ? JSON.parse(raw) : [];
      return Array.isArray(list) ? list.filter(function (e) {
        return e && typeof e.id === "string" && e.answer && typeof e.answer === "object";
      }) : [];
    } catch (err) {
      if (err instanceof SyntaxError) return []; // a damaged entry: start again
      memoryHistory = [];
      historyNote = "This browser refuses to store data here: past answers are kept only " +
        "until the page is closed, and their links work only in it.";
      return memoryHistory;
    }
  }

  function writeHistory(list) {
    list = list.slice(0, HISTORY_MAX);
    if (memoryHistory) {
      memoryHistory = list;
      return list;
    }
    for (;;) {
      try {
        window.localStorage.setItem(HISTORY_KEY, JSON.stringify(list));
        return list;
      } catch (err) {
        if (list.length > 1) {
          list = list.slice(0, -1); // full: the oldest answer makes room
          historyNote = "The browser's storage is full: the oldest answers were removed.";
          continue;
        }
        memoryHistory = list;
        historyNote = "This browser would not store this answer: it is kept only until the " +
          "page is closed.";
        return list;
      }
    }
  }

  function newId() {
    var bytes = new Uint8Array(6);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }

  function remember(input, request, data) {
    var entry = {
      id: newId(),
      saved: new Date().toISOString(),
      input: input,
      kind: request.kind,
      answer: data,
    };
    writeHistory([entry].concat(readHistory()));
    renderHistory();
    return entry;
  }

  function findEntry(id) {
    var list = readHistory();
    for (var i = 0; i < list.length; i += 1) {
      if (list[i].id === id) return list[i];
    }
    return null;
  }

  function entryTitle(entry) {
    var a = entry.answer || {};
    var text = String(a.question || entry.input || "").replace(/\s+/g, " ").trim();
    return text.length > 110 ? text.slice(0, 107) + "…" : text || "(no question)";
  }

  function whenText(iso) {
    var date = new Date(iso);
    if (isNaN(date.getTime())) return "";
    return date.toLocaleString(undefined, {
      year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit",
    });
  }

  function renderHistory() {
    var list = readHistory();
    var listEl = $("history-list");
    listEl.textContent = "";
    list.forEach(function (entry) {
      var li = document.createElement("li");
      li.className = "history-item" + (entry.id === state.entryId ? " is-current" : "");
      li.setAttribute("data-id", entry.id);
      var a = document.createElement("a");
      a.href = "#a=" + entry.id;
      a.className = "history-link";
      a.textContent = entryTitle(entry);
      if (entry.id === state.entryId) a.setAttribute("aria-current", "page");
      var meta = document.createElement("span");
      meta.className = "history-meta";
      var task = entry.answer && entry.answer.task && entry.answer.task.name;
      var served = !(entry.answer && entry.answer.served === false);
      meta.textContent = [whenText(entry.saved), served ? task : "not answered"]
        .filter(Boolean).join(" · ");
      li.appendChild(a);
      li.appendChild(meta);
      listEl.appendChild(li);
    });
    $("history").hidden = false;
    $("history-empty").hidden = list.length > 0;
    $("clear-history").hidden = list.length === 0;
    $("history-count").textContent = list.length
      ? "(" + list.length + " of at most " + HISTORY_MAX + ", kept in this browser)"
      : "";
    $("history-note").textContent = historyNote;
    $("history-note").hidden = !historyNote;
  }

  function permalinkId() {
    var m = /^#a=([0-9a-f]{6,32})$/.exec(window.location.hash);
    return m ? m[1] : null;
  }

  // Shows the answer the URL's fragment names, if this browser has it.
  function restoreFromUrl() {
    var id = permalinkId();
    if (!id || id === state.entryId || state.busy) return;
    var entry = findEntry(id);
    clearError();
    if (!entry) {
      state.entryId = null;
      showError("This link names an answer that is not in this browser's history (answers " +
        "are kept in the browser that asked, and at most " + HISTORY_MAX + " of them).");
      setStatus("Nothing restored.");
      renderHistory();
      return;
    }
    $("prompt").value = entry.input || "";
    state.request = requestFor(entry.input || "");
    state.entryId = entry.id;
    show(entry.answer);
    renderHistory();
    setStatus("Restored the answer of " + whenText(entry.saved) + " from this browser's history.");
  }

  function setPermalink(entry) {
    var hash = "#a=" + entry.id;
    if (window.location.hash !== hash) window.history.pushState(null, "", hash);
    var link = $("permalink");
    link.href = hash;
    link.hidden = false;
  }

  // ------------------------------------------------------------------ asking

  function submit() {
    if (state.busy) return;
    var text = $("prompt").value;
    clearError();
    if (!text.trim()) {
      showError("Type a question or paste a prompt first.");
      $("prompt").focus();
      return;
    }
    keepToken();
    var request = requestFor(text);
    state.busy = true;
    $("submit").disabled = true;
    $("answer").setAttribute("aria-busy", "true");
    document.body.classList.add("is-busy");
    var started = performance.now();
    setStatus(
      request.kind === "prompt" ? "Answering the prompt…" : "Searching the catalog and answering…",
      true
    );
    var live = "";
    postStream(request.url, request.body, function (piece) {
      live += piece;
      showPartial(live, text);
    })
      .then(function (data) {
        var ms = performance.now() - started;
        var seconds = ms < 1000 ? Math.round(ms) + " ms" : (ms / 1000).toFixed(1) + " s";
        state.request = request;
        var entry = remember(text, request, data);
        state.entryId = entry.id;
        setPermalink(entry);
        show(data);
        renderHistory();
        if (data.served === false) {
          setStatus("The catalog cannot answer this question (" + seconds + ").");
        } else {
          var w = (data.warnings || []).length;
          setStatus(
            "Answered in " + seconds + (data.writer ? " by the " + data.writer + " writer" : "") +
              (w ? ", with " + w + " warning" + (w > 1 ? "s" : "") : "") + "."
          );
        }
      })
      .catch(function (err) {
        // The previous answer is put away, so the error cannot be read as being about it.
        state.answer = null;
        $("answer").hidden = true;
        showError(err.message);
        setStatus("Nothing was answered; correct the input and submit again.");
      })
      .then(function () {
        state.busy = false;
        $("submit").disabled = false;
        $("answer").removeAttribute("aria-busy");
        document.body.classList.remove("is-busy");
        $("answer").classList.remove("is-streaming");
      });
  }

  var PART_HEADING = /^#{2,3}\s+([1-3])[.)]\s.*$/gm;

  /* The answer so far, as the server streams it: each part goes to its section as soon as it
   * has arrived (it has passed the screen); the graph and references follow with the rest. */
  function showPartial(markdown, input) {
    var section = $("answer");
    if (!section.classList.contains("is-streaming")) {
      section.classList.add("is-streaming");
      section.hidden = false;
      section.classList.remove("not-served");
      $("notice").hidden = true;
      $("parts").hidden = false;
      $("toolbar").hidden = true;
      $("part-hits").hidden = true;
      renderWarnings([]);
      $("question").textContent = input.trim();
      $("graph").textContent = "";
      $("references").textContent = "";
      ["task-md", "workflow-md", "references-md"].forEach(function (id) {
        $(id).textContent = "";
      });
    }
    var parts = { 1: "", 2: "", 3: "" };
    var marks = [];
    var m;
    PART_HEADING.lastIndex = 0;
    while ((m = PART_HEADING.exec(markdown))) {
      marks.push({ part: m[1], start: m.index, body: m.index + m[0].length });
    }
    marks.forEach(function (mark, k) {
      var end = k + 1 < marks.length ? marks[k + 1].start : markdown.length;
      parts[mark.part] = markdown.slice(mark.body, end);
    });
    $("task-md").innerHTML = renderMarkdown(parts[1]);
    $("workflow-md").innerHTML = renderMarkdown(parts[2]);
    $("references-md").innerHTML = renderMarkdown(parts[3]);
  }

  function show(data) {
    var section = $("answer");
    var served = data.served !== false;
    state.answer = served ? data : null;
    section.hidden = false;
    section.classList.remove("is-streaming");
    section.classList.toggle("not-served", !served);
    $("question").textContent = data.question || $("prompt").value.trim();
    $("parts").hidden = !served;
    // An answer the catalog could not give keeps only its permalink.
    $("toolbar").hidden = false;
    ["copy-md", "download-json", "download-workflow", "download-comfyui"].forEach(function (id) {
      $(id).disabled = !served;
      $(id).hidden = !served || (id === "download-comfyui" && !state.comfyui);
    });
    if (state.entryId) {
      $("permalink").href = "#a=" + state.entryId;
      $("permalink").hidden = false;
    } else {
      $("permalink").hidden = true;
    }

    var notice = $("notice");
    renderHits(served ? data.sources : null, data.references || []);
    if (!served) {
      notice.hidden = false;
      notice.textContent = "";
      var p = document.createElement("p");
      var message = data.message || "the catalog holds nothing that answers this question";
      p.textContent = message.charAt(0).toUpperCase() + message.slice(1).replace(/[.\s]*$/, ".");
      notice.appendChild(p);
      var close = (data.sources || []).slice(0, 3).map(function (s) {
        return s.name || s.title;
      });
      if (close.length) {
        var q = document.createElement("p");
        q.className = "hint";
        q.textContent = "Closest catalog entries: " + close.join(", ") + ".";
        notice.appendChild(q);
      }
      $("question").textContent = $("prompt").value.trim();
      renderWarnings([]);
      return;
    }
    notice.hidden = true;
    renderWarnings(data.warnings || []);
    var sections = data.sections || {};
    $("task-md").innerHTML = renderMarkdown(sections.task);
    $("workflow-md").innerHTML = renderMarkdown(sections.workflow);
    foldDiagrams($("workflow-md"));
    $("references-md").innerHTML = renderMarkdown(sections.references);
    drawGraph(data);
    renderReferences(data.references || []);
  }

  // The text diagram repeats the graph drawn above it: it stays, folded away.
  function foldDiagrams(container) {
    Array.prototype.forEach.call(container.querySelectorAll("pre"), function (pre) {
      if (!/[─►→]/.test(pre.textContent)) return;
      var details = document.createElement("details");
      details.className = "diagram";
      var summary = document.createElement("summary");
      summary.textContent = "The workflow as text";
      pre.parentNode.insertBefore(details, pre);
      details.appendChild(summary);
      details.appendChild(pre);
    });
  }

  // ------------------------------------------------------------------ catalog hits

  /* For a free question: the catalog entries the search found, which ones the answer uses
   * and why. The rules are the catalog's (retrieval.build_request): the recommended model is
   * the best-ranked entry that serves the question's task, a model if one does; the related
   * ones are the next entries scoring at least half the best, four at most. The ranks by
   * words and by meaning are the hit's own. */
  var RELATED_MAX = 4;
  var RELATED_SHARE = 0.5;

  function hitReason(hit, ref, context) {
    var why = [];
    var serves = hit.serves_task ? "it serves " + context.task : "";
    if (ref && ref.role === "recommended") {
      why.push(hit.serves_task
        ? "the best-ranked " + (hit.kind || "entry") + " that serves " + context.task
        : "the best-ranked entry (none serves " + context.task + ")");
    } else if (ref) {
      why.push("among the next best-ranked entries" + (serves ? "; " + serves : ""));
    } else if (typeof hit.score === "number" && hit.score < context.best * RELATED_SHARE) {
      why.push("not used: it scores under half of the best entry");
    } else if (context.related >= RELATED_MAX) {
      why.push("not used: the answer takes " + RELATED_MAX + " related entries at most, " +
        "ranked higher");
    } else {
      why.push("not used: not close enough to the question");
    }
    var signals = [];
    if (hit.bm25_rank) signals.push("#" + hit.bm25_rank + " by words");
    if (hit.dense_rank) {
      signals.push("#" + hit.dense_rank + " by meaning" +
        (typeof hit.similarity === "number" ? " (similarity " + hit.similarity.toFixed(2) + ")" : ""));
    }
    if (signals.length) why.push(signals.join(", "));
    return why.join("; ");
  }

  function renderHits(hits, refs) {
    var part = $("part-hits");
    var body = $("hits-body");
    body.textContent = "";
    if (!Array.isArray(hits) || !hits.length) {
      part.hidden = true;
      return;
    }
    var byName = {};
    refs.forEach(function (r) {
      byName[r.name] = r;
      byName[r.title] = r;
    });
    var taskName = (state.answer && state.answer.task && state.answer.task.name) || "the task";
    var context = {
      task: taskName.charAt(0).toLowerCase() + taskName.slice(1),
      best: Math.max.apply(null, hits.map(function (h) {
        return typeof h.score === "number" ? h.score : 0;
      })),
      related: hits.filter(function (h) {
        return h.used;
      }).length - 1,
    };
    hits.forEach(function (hit) {
      var ref = hit.used ? byName[hit.name] || byName[hit.title] || null : null;
      var tr = document.createElement("tr");
      tr.className = "hit" + (hit.used ? " is-used" : "");
      var cells = [
        String(hit.rank),
        hit.name || hit.title,
        hit.used ? (ref && ref.role === "recommended" ? "recommended model" : "related") +
          (ref ? " [" + ref.number + "]" : "") : "—",
        hitReason(hit, ref, context),
      ];
      cells.forEach(function (text, k) {
        var cell = document.createElement(k === 1 ? "th" : "td");
        if (k === 1) cell.setAttribute("scope", "row");
        cell.textContent = text;
        if (k === 1 && hit.title && hit.title !== hit.name) cell.title = hit.title;
        tr.appendChild(cell);
      });
      body.appendChild(tr);
    });
    var used = hits.filter(function (h) {
      return h.used;
    }).length;
    $("hits-summary").textContent = "The catalog search found " + hits.length + " entries; " +
      "the answer uses " + used + " of them as its sources.";
    part.hidden = false;
  }

  function renderWarnings(warnings) {
    var panel = $("warnings");
    var listEl = $("warnings-list");
    listEl.textContent = "";
    panel.hidden = !warnings.length;
    $("warnings-count").textContent =
      warnings.length === 1 ? "1 warning" : warnings.length + " warnings";
    warnings.forEach(function (w) {
      var li = document.createElement("li");
      li.className = "warning";
      li.setAttribute("data-code", w.code || "");
      var code = document.createElement("code");
      code.className = "warning-code";
      code.textContent = w.code || "warning";
      var msg = document.createElement("span");
      msg.className = "warning-message";
      msg.textContent = w.message || "";
      li.appendChild(code);
      li.appendChild(msg);
      listEl.appendChild(li);
    });
  }

  function linkKind(url) {
    if (/github\.com|gitlab\.com|huggingface\.co\/spaces/i.test(url)) return "code";
    if (/arxiv\.org|\.pdf($|[?#])|doi\.org|openreview\.net|aclanthology/i.test(url)) return "paper";
    return "page";
  }

  function renderReferences(refs) {
    var listEl = $("references");
    listEl.textContent = "";
    refs.forEach(function (r) {
      var li = document.createElement("li");
      li.className = "ref ref-" + (r.role || "related");
      li.id = "ref-" + r.number;
      li.setAttribute("data-number", r.number);
      var num = document.createElement("span");
      num.className = "ref-num";
      num.textContent = "[" + r.number + "]";
      var body = document.createElement("div");
      body.className = "ref-body";
      var title = document.createElement("p");
      title.className = "ref-title";
      title.textContent = r.title || r.name;
      var meta = document.createElement("p");
      meta.className = "ref-meta";
      var role = document.createElement("span");
      role.className = "pill pill-" + (r.role || "related");
      role.textContent = r.role === "recommended" ? "recommended model" : "related paper";
      meta.appendChild(role);
      if (r.name && r.name !== r.title) {
        var nm = document.createElement("span");
        nm.className = "ref-name";
        nm.textContent = r.name;
        meta.appendChild(nm);
      }
      var links = document.createElement("ul");
      links.className = "ref-links";
      (r.links || []).forEach(function (url) {
        if (!/^https?:\/\//i.test(url)) return;
        var item = document.createElement("li");
        var a = document.createElement("a");
        a.href = url;
        a.target = "_blank";
        a.rel = "noopener noreferrer";
        var tag = document.createElement("span");
        tag.className = "link-kind";
        tag.textContent = linkKind(url);
        var u = document.createElement("span");
        u.className = "link-url";
        u.textContent = url.replace(/^https?:\/\//i, "");
        a.appendChild(tag);
        a.appendChild(u);
        item.appendChild(a);
        links.appendChild(item);
      });
      if (!links.children.length) {
        var none = document.createElement("li");
        none.className = "hint";
        none.textContent = "no link was given";
        links.appendChild(none);
      }
      body.appendChild(title);
      body.appendChild(meta);
      body.appendChild(links);
      li.appendChild(num);
      li.appendChild(body);
      listEl.appendChild(li);
    });
  }

  // ------------------------------------------------------------------ exports

  function slug() {
    var id = state.answer && state.answer.task && state.answer.task.id;
    return "scholarflow" + (id ? "-" + String(id).replace(/[^\w-]+/g, "-") : "");
  }

  function download(name, data) {
    var blob = new Blob([JSON.stringify(data, null, 2) + "\n"], { type: "application/json" });
    var url = URL.createObjectURL(blob);
    var a = document.createElement("a");
    a.href = url;
    a.download = name;
    a.hidden = true;
    document.body.appendChild(a);
    a.click();
    setTimeout(function () {
      URL.revokeObjectURL(url);
      a.remove();
    }, 1000);
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () {
        return fallbackCopy(text);
      });
    }
    return Promise.resolve().then(function () {
      return fallbackCopy(text);
    });
  }

  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.top = "0";
    area.style.left = "0";
    area.style.opacity = "0";
    document.body.appendChild(area);
    var focused = document.activeElement;
    area.select();
    var ok = false;
    try {
      ok = document.execCommand("copy");
    } catch (err) {
      ok = false;
    }
    area.remove();
    if (focused && focused.focus) focused.focus();
    if (!ok) throw new Error("the browser refused to copy");
  }

  function onCopy() {
    if (!state.answer) return;
    copyText(state.answer.markdown || "").then(
      function () {
        setStatus("Markdown copied to the clipboard.");
      },
      function (err) {
        showError("Could not copy: " + err.message + ".");
      }
    );
  }

  function onDownloadJson() {
    if (!state.answer) return;
    download(slug() + ".json", state.answer);
    setStatus("Downloaded " + slug() + ".json.");
  }

  function onDownloadWorkflow() {
    var answer = state.answer;
    if (!answer) return;
    var name = slug() + "-workflow.json";
    var fromContract = function (note) {
      download(name, answer.workflow);
      setStatus("Downloaded " + name + note);
    };
    if (!state.request || state.request.kind !== "prompt") {
      fromContract(" (the answer's workflow graph).");
      return;
    }
    var button = $("download-workflow");
    button.disabled = true;
    setStatus("Preparing the workflow document…", true);
    postJson("api/answer", { prompt: state.request.body.prompt, format: "workflow" })
      .then(function (data) {
        if (data.workflow_document && typeof data.workflow_document === "object") {
          download(name, data.workflow_document);
          setStatus("Downloaded " + name + " (scholarflow workflow document).");
        } else if (typeof data.text === "string" && /"scholarflow-workflow"/.test(data.text)) {
          download(name, JSON.parse(data.text));
          setStatus("Downloaded " + name + " (scholarflow workflow document).");
        } else if (data.format === "scholarflow-workflow") {
          download(name, data);
          setStatus("Downloaded " + name + " (scholarflow workflow document).");
        } else {
          fromContract(" (the answer's workflow graph).");
        }
      })
      .catch(function () {
        fromContract(" (the answer's workflow graph; the server gave no workflow document).");
      })
      .then(function () {
        button.disabled = false;
      });
  }

  /* The answer's workflow as a ComfyUI workflow file, made by the server:
   * POST api/answer {prompt, format: "comfyui"} for a prompt, {question, recommended,
   * related, format: "comfyui"} (the answer's own sources) for a free question; the reply is
   * the ComfyUI JSON itself (or a JSON object holding it under "comfyui" or "text"). A server
   * that does not know the format (400, 404, 422) hides the button for this page. */
  function comfyuiRequest() {
    if (state.request && state.request.kind === "prompt") {
      return { prompt: state.request.body.prompt, format: "comfyui" };
    }
    var answer = state.answer;
    var source = function (r) {
      var s = { title: r.title || r.name, name: r.name };
      (r.links || []).forEach(function (url) {
        var kind = linkKind(url);
        var key = kind === "paper" ? "paper_url" : kind === "code" ? "github_url" : "project_url";
        if (!s[key]) s[key] = url;
      });
      return s;
    };
    var refs = answer.references || [];
    return {
      question: answer.question,
      recommended: refs.filter(function (r) {
        return r.role === "recommended";
      }).map(source),
      related: refs.filter(function (r) {
        return r.role !== "recommended";
      }).map(source),
      format: "comfyui",
    };
  }

  function onDownloadComfyui() {
    if (!state.answer) return;
    var button = $("download-comfyui");
    var name = slug() + "-comfyui.json";
    button.disabled = true;
    setStatus("Preparing the ComfyUI workflow…", true);
    postJson("api/answer", comfyuiRequest())
      .then(function (data) {
        var doc = data;
        if (data && typeof data.comfyui === "object" && data.comfyui) doc = data.comfyui;
        else if (data && typeof data.text === "string") doc = JSON.parse(data.text);
        download(name, doc);
        setStatus("Downloaded " + name + " (a ComfyUI workflow).");
      })
      .catch(function (err) {
        if (err.status === 400 || err.status === 404 || err.status === 422) {
          state.comfyui = false;
          button.hidden = true;
          $("download-workflow").focus();
          setStatus("This server cannot export ComfyUI workflows; the button is gone.");
        } else {
          showError("Could not make the ComfyUI workflow: " + err.message);
          setStatus("");
        }
      })
      .then(function () {
        button.disabled = false;
      });
  }

  // ------------------------------------------------------------------ wiring

  function init() {
    $("ask-form").addEventListener("submit", function (event) {
      event.preventDefault();
      submit();
    });
    $("prompt").addEventListener("keydown", function (event) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        submit();
      }
    });
    $("copy-md").addEventListener("click", onCopy);
    $("download-json").addEventListener("click", onDownloadJson);
    $("download-workflow").addEventListener("click", onDownloadWorkflow);
    $("download-comfyui").addEventListener("click", onDownloadComfyui);
    wirePanZoom();
    var resizing = null;
    window.addEventListener("resize", function () {
      clearTimeout(resizing);
      resizing = setTimeout(redrawForWidth, 100);
    });
    // In-page links (a node to its reference, the skip link) scroll without touching the
    // URL's fragment, which holds the permalink.
    document.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest("a[href^='#']");
      if (!link || event.defaultPrevented) return;
      var href = link.getAttribute("href");
      if (/^#a=/.test(href)) return; // a permalink: the hashchange restores it
      var target = document.getElementById(href.slice(1));
      if (!target) return;
      event.preventDefault();
      target.scrollIntoView({ block: "start" });
      if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
      target.focus({ preventScroll: true });
    });
    $("clear-history").addEventListener("click", function () {
      writeHistory([]);
      try {
        window.localStorage.removeItem(HISTORY_KEY);
      } catch (err) {
        // refused storage: the page's own list is cleared above
      }
      historyNote = "";
      renderHistory();
      setStatus("The history of past answers is cleared.");
    });
    $("token").value = storedToken();
    $("token").addEventListener("change", keepToken);
    window.addEventListener("hashchange", restoreFromUrl);
    window.addEventListener("storage", function (event) {
      if (event.key === HISTORY_KEY) renderHistory(); // another tab answered
    });
    renderHistory();
    checkServer();
    restoreFromUrl();
    if (navigator.platform && /Mac/.test(navigator.platform)) {
      var kbd = document.querySelector("#prompt-hint kbd");
      if (kbd) kbd.textContent = "⌘";
    }
  }

  window.scholarflow = {
    renderMarkdown: renderMarkdown,
    layoutWorkflow: layoutWorkflow,
    requestFor: requestFor,
    history: readHistory,
  };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
