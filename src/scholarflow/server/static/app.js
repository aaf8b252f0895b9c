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

  var NODE_W = 164;
  var GAP_X = 108;
  var GAP_Y = 30;
  var PAD = 20;
  var LINE_H = 17;
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

  function drawWorkflow(answer) {
    var workflow = answer.workflow || { nodes: [], edges: [] };
    var refs = {};
    (answer.references || []).forEach(function (r) {
      refs[r.source_id] = r;
    });
    var layout = layoutWorkflow(workflow);
    var nodes = workflow.nodes || [];

    // Box sizes: each node's lines decide its height; a row is as tall as its tallest box.
    var labelFont = "600 13px " + getComputedStyle(document.body).fontFamily;
    var boxes = {};
    nodes.forEach(function (n) {
      var ref = n.source_id ? refs[n.source_id] : null;
      var label = n.label + (ref ? " [" + ref.number + "]" : "");
      var lines = wrapText(label, NODE_W - 28, 5, labelFont);
      var sub = n.kind === "model" && ref ? ref.role : modalityLabel(n.modality);
      var height = 30 + lines.length * LINE_H + (sub ? 16 : 0) + 8;
      boxes[n.id] = { lines: lines, sub: sub, h: Math.max(62, height), ref: ref };
    });
    var rowHeights = [];
    layout.columns.forEach(function (column) {
      column.forEach(function (n, r) {
        rowHeights[r] = Math.max(rowHeights[r] || 0, boxes[n.id].h);
      });
    });
    var rowY = [];
    var y = PAD;
    rowHeights.forEach(function (h, r) {
      rowY[r] = y;
      y += h + GAP_Y;
    });
    var width = PAD * 2 + layout.columns.length * NODE_W + Math.max(0, layout.columns.length - 1) * GAP_X;
    var height = Math.max(y - GAP_Y + PAD, 80);
    var pos = {};
    nodes.forEach(function (n) {
      var d = layout.depth[n.id];
      var r = layout.row[n.id];
      var box = boxes[n.id];
      pos[n.id] = {
        x: PAD + d * (NODE_W + GAP_X),
        y: rowY[r] + (rowHeights[r] - box.h) / 2,
        w: NODE_W,
        h: box.h,
      };
    });

    var svg = svgEl("svg", {
      xmlns: SVG_NS,
      class: "workflow-graph",
      role: "img",
      width: width,
      height: height,
      viewBox: "0 0 " + width + " " + height,
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
    var labelLayer = svgEl("g", { class: "edge-labels" }, svg);
    var nodeLayer = svgEl("g", { class: "nodes" }, svg);

    // Several edges leaving (or entering) one side are spread over its height.
    var outs = {};
    var ins = {};
    layout.edges.forEach(function (e) {
      (outs[e.source] = outs[e.source] || []).push(e);
      (ins[e.target] = ins[e.target] || []).push(e);
    });
    function port(list, e, p) {
      var k = list.indexOf(e);
      return p.y + (p.h * (k + 1)) / (list.length + 1);
    }
    var nodeOf = {};
    nodes.forEach(function (n) {
      nodeOf[n.id] = n;
    });

    layout.edges.forEach(function (e) {
      var a = pos[e.source];
      var b = pos[e.target];
      var x1 = a.x + a.w;
      var y1 = port(outs[e.source], e, a);
      var x2 = b.x - 2;
      var y2 = port(ins[e.target], e, b);
      var dx = Math.max(40, (x2 - x1) / 2);
      var optional = nodeOf[e.source].optional || nodeOf[e.target].optional;
      var g = svgEl("g", {
        class: "edge" + (optional ? " optional" : ""),
        "data-source": e.source,
        "data-target": e.target,
      }, edgeLayer);
      var title = svgEl("title", {}, g);
      title.textContent =
        nodeOf[e.source].label + " → " + nodeOf[e.target].label + ": " + modalityLabel(e.modality);
      svgEl("path", {
        d: "M" + x1 + "," + y1 + " C" + (x1 + dx) + "," + y1 + " " + (x2 - dx) + "," + y2 +
          " " + x2 + "," + y2,
        "marker-end": "url(#sf-arrow)",
      }, g);
      if (e.modality) {
        // The label sits in the gap just after the source, where the curve is still level.
        var lx = x1 + GAP_X / 2;
        var ly = x2 - x1 > GAP_X + 4 ? y1 : (y1 + y2) / 2;
        svgText(labelLayer, lx, ly - 6, modalityLabel(e.modality), "edge-label" +
          (optional ? " optional" : ""));
      }
    });

    nodes.forEach(function (n) {
      var p = pos[n.id];
      var box = boxes[n.id];
      var kind = KIND_LABEL[n.kind] ? n.kind : "operation";
      var attrs = {
        class: "node node-" + kind + (n.optional ? " optional" : ""),
        "data-kind": n.kind,
        "data-id": n.id,
        transform: "translate(" + p.x + "," + p.y + ")",
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
      svgEl("rect", { class: "box", width: p.w, height: p.h, rx: 10, ry: 10 }, g);
      svgEl("rect", { class: "band", width: 6, height: p.h - 16, x: 0, y: 8, rx: 3 }, g);
      svgText(g, 16, 20, (KIND_LABEL[kind] || "Step").toUpperCase() +
        (n.optional ? " · OPTIONAL" : ""), "node-kind");
      box.lines.forEach(function (line, k) {
        svgText(g, 16, 40 + k * LINE_H, line, "node-label");
      });
      if (box.sub) {
        svgText(g, 16, 40 + box.lines.length * LINE_H + 2, box.sub, "node-sub");
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

  // ------------------------------------------------------------------ page state

  var $ = function (id) {
    return document.getElementById(id);
  };
  var state = { answer: null, request: null, busy: false, fit: null };

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

  function postJson(url, body) {
    return fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(body),
    }).then(
      function (response) {
        return response.text().then(function (text) {
          var data = null;
          try {
            data = text ? JSON.parse(text) : null;
          } catch (err) {
            data = null;
          }
          if (!response.ok) {
            var fallback = text && text.length < 300 ? text.trim() : response.statusText;
            throw new Error(errorMessage(response.status, data, fallback));
          }
          if (data === null || typeof data !== "object") {
            throw new Error("the server's reply is not JSON");
          }
          return data;
        });
      },
      function (err) {
        throw new Error("could not reach the server (" + (err && err.message) + ")");
      }
    );
  }

  function submit() {
    if (state.busy) return;
    var text = $("prompt").value;
    clearError();
    if (!text.trim()) {
      showError("Type a question or paste a prompt first.");
      $("prompt").focus();
      return;
    }
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
    postJson(request.url, request.body)
      .then(function (data) {
        var ms = performance.now() - started;
        var seconds = ms < 1000 ? Math.round(ms) + " ms" : (ms / 1000).toFixed(1) + " s";
        state.request = request;
        show(data);
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
      });
  }

  function show(data) {
    var section = $("answer");
    var served = data.served !== false;
    state.answer = served ? data : null;
    section.hidden = false;
    section.classList.toggle("not-served", !served);
    $("question").textContent = data.question || $("prompt").value.trim();
    $("parts").hidden = !served;
    $("copy-md").disabled = !served;
    $("download-json").disabled = !served;
    $("download-workflow").disabled = !served;
    $("toolbar").hidden = !served;

    var notice = $("notice");
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
    var graph = $("graph");
    graph.textContent = "";
    graph.appendChild(drawWorkflow(data));
    state.fit = null; // a new graph: fit it only if it nearly fits already
    applyFit();
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

  /* A graph wider than its box is shrunk to fit when it stays legible (to 55 % at least);
   * else it scrolls sideways at its natural size. The "Fit to width" button toggles this. */
  function applyFit() {
    var graph = $("graph");
    var svg = graph.querySelector("svg");
    var button = $("fit-graph");
    if (!svg) return;
    svg.style.width = "";
    svg.style.height = "";
    var natural = Number(svg.getAttribute("width"));
    var room = graph.clientWidth;
    var overflow = room > 0 && natural > room + 1;
    var fit = overflow && (state.fit === null ? room / natural >= 0.55 : state.fit);
    if (fit) {
      svg.style.width = "100%";
      svg.style.height = "auto";
    }
    graph.classList.toggle("is-fitted", fit);
    graph.parentNode.classList.toggle("can-scroll", overflow && !fit);
    button.hidden = !overflow;
    button.setAttribute("aria-pressed", fit ? "true" : "false");
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
    $("fit-graph").addEventListener("click", function () {
      state.fit = this.getAttribute("aria-pressed") !== "true";
      applyFit();
    });
    var resizing = null;
    window.addEventListener("resize", function () {
      clearTimeout(resizing);
      resizing = setTimeout(applyFit, 100);
    });
    if (navigator.platform && /Mac/.test(navigator.platform)) {
      var kbd = document.querySelector("#prompt-hint kbd");
      if (kbd) kbd.textContent = "⌘";
    }
  }

  window.scholarflow = {
    renderMarkdown: renderMarkdown,
    layoutWorkflow: layoutWorkflow,
    requestFor: requestFor,
  };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
