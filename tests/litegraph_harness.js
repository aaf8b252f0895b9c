// Opens a ComfyUI workflow file the way ComfyUI's editor does, in litegraph (the graph library
// the editor is built on, @comfyorg/litegraph, fetched by scripts/fetch-litegraph.sh), and
// reports what survived. Used by tests/test_comfyui_export.py in headless Chromium.
//
// What ComfyUI does, and this page does too:
// - it registers a node class for every node type it knows, with the input and output slots
//   the node declares (below: the few built-ins scholarflow writes, with the slots of
//   ComfyUI's own definitions, and the frontend's Note node);
// - before loading, it lists the node types it does not know (its "missing nodes" dialog);
// - `LGraph.configure` then makes a bare node for each unknown type, keeps the saved node
//   (slots, links, properties) on it and flags it `has_errors`, so a missing node is drawn,
//   wired and saved back as it was.
(function () {
  "use strict";
  var lg = window.litegraph.js;
  var LiteGraph = lg.LiteGraph;
  var LGraph = lg.LGraph;
  var LGraphNode = lg.LGraphNode;
  var LGraphCanvas = lg.LGraphCanvas;

  // ComfyUI's declarations (nodes.py LoadImage and SaveImage; comfy_extras/nodes_video.py
  // LoadVideo and SaveVideo; comfy_extras/nodes_primitive.py PrimitiveStringMultiline):
  // [type, inputs [[name, type]], outputs [[name, type]]]. Widgets are left out: a file that
  // gives no widget values keeps ComfyUI's defaults.
  var BUILTINS = [
    ["LoadImage", [], [["IMAGE", "IMAGE"], ["MASK", "MASK"]]],
    ["SaveImage", [["images", "IMAGE"]], []],
    ["LoadVideo", [], [["VIDEO", "VIDEO"]]],
    ["SaveVideo", [["video", "VIDEO"]], []],
    ["PrimitiveStringMultiline", [], [["STRING", "STRING"]]],
  ];

  function registerBuiltins() {
    if (LiteGraph.registered_node_types.Note) return;
    BUILTINS.forEach(function (spec) {
      class Builtin extends LGraphNode {
        constructor(title) {
          super(title);
          spec[1].forEach(function (slot) { this.addInput(slot[0], slot[1]); }, this);
          spec[2].forEach(function (slot) { this.addOutput(slot[0], slot[1]); }, this);
          this.serialize_widgets = true;
        }
      }
      Builtin.title = spec[0];
      LiteGraph.registerNodeType(spec[0], Builtin);
    });
    // The frontend's Note (src/extensions/core/noteNode.ts): a "text" property and one
    // multiline text widget, whose value is saved in widgets_values.
    class Note extends LGraphNode {
      constructor(title) {
        super(title);
        this.properties = this.properties || {};
        this.properties.text = this.properties.text || "";
        this.addWidget("text", "", "", function () {});
        this.serialize_widgets = true;
        this.isVirtualNode = true;
      }
    }
    Note.title = "Note";
    LiteGraph.registerNodeType("Note", Note);
  }

  function slots(list, side) {
    return (list || []).map(function (slot) {
      var out = { name: slot.name, type: slot.type };
      if (side === "inputs") out.link = slot.link == null ? null : slot.link;
      else out.links = (slot.links || []).slice().sort(function (a, b) { return a - b; });
      return out;
    });
  }

  function linkRows(graph) {
    var rows = [];
    var links = graph._links || graph.links;
    var values = links instanceof Map ? Array.from(links.values()) : Object.values(links);
    values.forEach(function (l) {
      rows.push([l.id, l.origin_id, l.origin_slot, l.target_id, l.target_slot, l.type]);
    });
    return rows.sort(function (a, b) { return a[0] - b[0]; });
  }

  // Rebuilds every wire with litegraph's own `connect`, which refuses slots of different
  // types: the file's wires are all accepted, and a deliberately wrong one is refused.
  function reconnect(workflow) {
    var bare = JSON.parse(JSON.stringify(workflow));
    bare.links = [];
    bare.nodes.forEach(function (node) {
      (node.inputs || []).forEach(function (slot) { slot.link = null; });
      (node.outputs || []).forEach(function (slot) { slot.links = []; });
    });
    var graph = new LGraph();
    graph.configure(bare);
    // The negative control first, while every input is free: the first link's output joined
    // to an input of another type must be refused.
    var refused = null;
    var first = workflow.links[0];
    var from = first ? graph.getNodeById(first[1]) : null;
    var output = from ? from.outputs[first[2]] : null;
    graph._nodes.some(function (to) {
      if (!output || to === from) return false;
      return (to.inputs || []).some(function (input, i) {
        if (input.type === output.type) return false;
        var link = from.connect(first[2], to, i);
        refused = { from: output.type, to: input.type, made: !!link };
        return true;
      });
    });
    var made = [];
    workflow.links.forEach(function (link) {
      var origin = graph.getNodeById(link[1]);
      var target = graph.getNodeById(link[3]);
      var result = origin && target ? origin.connect(link[2], target, link[4]) : null;
      made.push(result ? [result.origin_id, result.origin_slot, result.target_id,
        result.target_slot, result.type] : null);
    });
    return { made: made, wrong_type: refused };
  }

  window.openInLitegraph = function (workflow) {
    registerBuiltins();
    var registered = LiteGraph.registered_node_types;
    var missing = [];
    workflow.nodes.forEach(function (node) {
      if (!(node.type in registered) && missing.indexOf(node.type) < 0) missing.push(node.type);
    });
    var graph = new LGraph();
    var element = document.getElementById("canvas");
    var canvas = new LGraphCanvas(element, graph);
    window.litegraphCanvas = canvas; // for a screenshot at another zoom
    var errors = graph.configure(JSON.parse(JSON.stringify(workflow)));
    canvas.draw(true, true); // measures every node, as each frame of the editor does
    var nodes = graph._nodes.map(function (node) {
      var declared = null;
      if (node.type in registered) {
        var fresh = LiteGraph.createNode(node.type);
        declared = { inputs: slots(fresh.inputs, "inputs").map(function (s) { return [s.name, s.type]; }),
          outputs: slots(fresh.outputs, "outputs").map(function (s) { return [s.name, s.type]; }) };
      }
      return {
        id: node.id,
        type: node.type,
        title: node.title,
        pos: [node.pos[0], node.pos[1]],
        size: [node.size[0], node.size[1]],
        bounding: Array.from(node.boundingRect),
        has_errors: !!node.has_errors,
        inputs: slots(node.inputs, "inputs"),
        outputs: slots(node.outputs, "outputs"),
        properties: JSON.parse(JSON.stringify(node.properties || {})),
        widgets: (node.widgets || []).map(function (w) { return w.value; }),
        declared: declared,
      };
    });
    var groups = graph._groups.map(function (group) {
      group.recomputeInsideNodes();
      return {
        title: group.title,
        bounding: Array.from(group._bounding),
        nodes: group._nodes.map(function (node) { return node.id; }).sort(function (a, b) { return a - b; }),
      };
    });
    return {
      configure_errors: !!errors,
      missing: missing,
      nodes: nodes,
      links: linkRows(graph),
      groups: groups,
      saved: JSON.parse(JSON.stringify(graph.serialize())),
      reconnected: reconnect(workflow),
    };
  };
})();
