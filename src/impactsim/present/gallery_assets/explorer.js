/* impactsim explorer: recomputes a scenario's headline from its per-line effects (no server,
   no network, no framework). The arithmetic mirrors impactsim.scenario.lines.evaluate, the
   number format mirrors impactsim.engine.measures.format_value, and the scenario writer mirrors
   impactsim.scenario.lines.scenario_data_with. */
(function () {
  "use strict";
  var MISSING = "\u2013";

  /* ---------------------------------------------------------------- number format */
  function group(intDigits) {
    return intDigits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  }

  /* Digits and decimal exponent of |v| (v finite, non-zero): value = 0.d1d2d3... x 10^exp.
     toPrecision(100) gives the exact binary value to 100 significant digits, enough to round
     any double correctly (a double and a different short decimal differ within ~20 digits). */
  function digitsOf(a) {
    var s = a.toPrecision(100);
    var m = s.indexOf("e") >= 0 ? /^(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(s) : null;
    var digits, exp;
    if (m) {
      digits = m[1] + (m[2] || "");
      exp = parseInt(m[3], 10) + 1;
    } else {
      var parts = s.split(".");
      var ip = parts[0], fp = parts[1] || "";
      if (ip !== "0") {
        digits = ip + fp; exp = ip.length;
      } else {
        var lead = fp.match(/^0*/)[0].length;
        digits = fp.slice(lead); exp = -lead;
      }
    }
    return {digits: digits, exp: exp};
  }

  /* Round a digit string to n digits, half to even (Python's rule on the exact value). */
  function roundDigits(d, n) {
    var head = d.slice(0, n).split("").map(Number);
    while (head.length < n) head.push(0);
    var rest = d.slice(n);
    var up = false;
    if (rest.length && rest[0] > "5") up = true;
    else if (rest.length && rest[0] === "5") {
      up = /[1-9]/.test(rest.slice(1)) || (n > 0 && head[n - 1] % 2 === 1);
    }
    var carry = 0;
    if (up) {
      var i = n - 1;
      carry = 1;
      while (i >= 0 && carry) {
        head[i] += 1;
        if (head[i] === 10) { head[i] = 0; i--; } else carry = 0;
      }
      if (carry) head.unshift(1);
    }
    return {digits: head.join("").slice(0, n), carry: carry};
  }

  function fixed0(a) { /* Python f"{a:.0f}" for a >= 0, without separators */
    if (a >= 9007199254740992) return BigInt(a).toString();
    var f = Math.floor(a);
    if (a - f === 0.5) return String(f % 2 === 0 ? f : f + 1);
    return a.toFixed(0);
  }

  function gFormat(v, p) { /* Python f"{v:,.{p}g}" for v != 0 */
    var a = Math.abs(v);
    var sign = v < 0 ? "-" : "";
    var dg = digitsOf(a);
    var r = roundDigits(dg.digits, p);
    var exp = dg.exp + r.carry;          /* value = 0.D x 10^exp */
    var x = exp - 1;                     /* scientific exponent */
    var D = r.digits;
    if (x >= -4 && x < p) {
      var intPart, frac;
      if (x >= 0) {
        intPart = D.slice(0, x + 1);
        frac = D.slice(x + 1);
      } else {
        intPart = "0";
        frac = new Array(-x).join("0") + D;
      }
      frac = frac.replace(/0+$/, "");
      return sign + group(intPart) + (frac ? "." + frac : "");
    }
    var mant = D.slice(0, 1) + (D.length > 1 ? "." + D.slice(1) : "");
    mant = mant.replace(/\.?0+$/, "");
    var ex = Math.abs(x);
    return sign + mant + "e" + (x < 0 ? "-" : "+") + (ex < 10 ? "0" + ex : String(ex));
  }

  function formatValue(value, opts) {
    var digits = (opts && opts.digits) || 3;
    if (value === null || value === undefined) return MISSING;
    var v = Number(value);
    if (!isFinite(v)) return MISSING;
    if (opts && opts.percent) return formatValue(100 * v, {digits: digits}) + " %";
    if (Math.abs(v) >= 100) return (v < 0 ? "-" : "") + group(fixed0(Math.abs(v)));
    if (v === 0) return "0";
    return gFormat(v, digits);
  }

  /* ---------------------------------------------------------------- the recombination */
  function zeros(n) { var a = new Array(n); for (var i = 0; i < n; i++) a[i] = 0; return a; }

  /* A category's array of one kind at local share `share` (undefined: the default). */
  function mix(cat, table, share) {
    if (!table || !Object.keys(table).length) return null;
    if (cat.local === "fixed") return table.fixed || null;
    if (share === undefined && cat.local === "table") return table.table || null;
    var ell = share === undefined ? cat.stated_local : share;
    var one = table.one, zero = table.zero;
    var base = one || zero;
    if (!base) return null;
    return mapNested(base, function (path) {
      var out = 0;
      if (zero) out = out + (1 - ell) * getNested(zero, path);
      if (one) out = out + ell * getNested(one, path);
      return out;
    });
  }
  function getNested(a, path) { var x = a; for (var i = 0; i < path.length; i++) x = x[path[i]]; return x; }
  function mapNested(a, fn, path) {
    path = path || [];
    if (!Array.isArray(a)) return fn(path);
    return a.map(function (_, i) { return mapNested(a[i], fn, path.concat([i])); });
  }

  function lineValues(line, le, st) {
    var amount = st.amounts.hasOwnProperty(line.key) ? st.amounts[line.key] : line.amount;
    var T = line.years.length, E = le.effects.length, M = le.measures.length;
    var out = [];
    for (var t = 0; t < T; t++) { out.push([]); for (var e = 0; e < E; e++) out[t].push(zeros(M)); }
    var mi = le.flat_measures.map(function (m) { return le.measures.indexOf(m); });
    var ji = le.job_measures.map(function (m) { return le.measures.indexOf(m); });
    var siteTotal = null, ownSum = null;
    line.categories.forEach(function (cat) {
      var k = line.key + "|" + cat.name;
      var share = st.local.hasOwnProperty(k) ? st.local[k] : undefined;
      var g = cat.weight.map(function (w) { return amount * w; });
      var flat = mix(cat, cat.flat, share);
      var jobs = mix(cat, cat.jobs, share);
      var own = mix(cat, cat.own_jobs, share);
      var t, e, i;
      for (t = 0; t < T; t++) {
        for (e = 0; e < E; e++) {
          if (flat) for (i = 0; i < mi.length; i++) out[t][e][mi[i]] += g[t] * flat[e][i];
          if (jobs) for (i = 0; i < ji.length; i++) out[t][e][ji[i]] += g[t] * jobs[t][e][i];
        }
      }
      if (own) {
        if (!ownSum) ownSum = own.map(function (row) { return zeros(row.length); });
        for (t = 0; t < T; t++) for (i = 0; i < own[t].length; i++) ownSum[t][i] += g[t] * own[t][i];
      }
      var dem = cat.site ? mix(cat, cat.site_demand, share) : null;
      if (dem) {
        if (!siteTotal) siteTotal = zeros(dem.length);
        for (i = 0; i < dem.length; i++) siteTotal[i] += amount * dem[i];
      }
    });
    if (line.direct_jobs !== null && le.measures.indexOf(le.employment) >= 0) {
      var kk = le.measures.indexOf(le.employment), d = le.effects.indexOf("direct");
      var t2, j;
      if (siteTotal && ownSum) {
        for (t2 = 0; t2 < T; t2++) {
          var s = 0;
          for (j = 0; j < siteTotal.length; j++) if (siteTotal[j] > 0) s += ownSum[t2][j];
          out[t2][d][kk] -= s;
        }
      }
      var sum = 0;
      if (siteTotal) for (j = 0; j < siteTotal.length; j++) sum += siteTotal[j];
      if (siteTotal && sum > 0) {
        for (t2 = 0; t2 < T; t2++) out[t2][d][kk] += line.direct_jobs * line.weights[t2];
      }
    }
    return out;
  }

  var SCOPES = ["construction", "operations", "sustaining", "whole"];
  var APPRAISAL = ["jobs_type1", "jobs_type2", "value_added_type1", "value_added"];

  function evaluate(le, st) {
    var E = le.effects.length, M = le.measures.length;
    var head = {}, perYear = {}, order = [];
    le.lines.forEach(function (line) {
      var vals = lineValues(line, le, st);
      if (!head[line.phase]) { head[line.phase] = []; for (var e = 0; e < E; e++) head[line.phase].push(zeros(M)); }
      var t, e2, m;
      for (t = 0; t < line.years.length; t++) {
        var key = line.phase + "|" + line.years[t];
        if (!perYear[key]) {
          perYear[key] = []; for (e2 = 0; e2 < E; e2++) perYear[key].push(zeros(M));
          order.push(key);
        }
        for (e2 = 0; e2 < E; e2++) for (m = 0; m < M; m++) {
          if (line.headline[t]) head[line.phase][e2][m] += vals[t][e2][m];
          perYear[key][e2][m] += vals[t][e2][m];
        }
      }
    });
    var headline = {};
    Object.keys(head).forEach(function (ph) {
      var b = head[ph], tot = zeros(M);
      for (var m = 0; m < M; m++) for (var e = 0; e < E; e++) tot[m] += b[e][m];
      headline[ph] = b.concat([tot]);
    });
    return {headline: headline, appraisal: appraisal(le, perYear, order, st)};
  }

  function appraisal(le, perYear, order, st) {
    var a = le.appraisal;
    var dead = st.deadweight === undefined ? a.deadweight : st.deadweight;
    var disp = st.displacement === undefined ? a.displacement : st.displacement;
    var rate = st.discount_rate === undefined ? a.discount_rate : st.discount_rate;
    var nf = (1 - dead) * (1 - disp);
    var type1 = [];
    le.effects.forEach(function (e, i) { if (e === "direct" || e === "indirect") type1.push(i); });
    var cols = {jobs: le.employment, value_added: "value_added"};
    var out = {};
    SCOPES.forEach(function (scope) {
      var sums = {};
      APPRAISAL.forEach(function (m) { sums[m] = [0, 0]; });
      order.forEach(function (key) {
        var sep = key.lastIndexOf("|");
        var phase = key.slice(0, sep), year = parseInt(key.slice(sep + 1), 10);
        if (scope !== "whole" && phase !== scope) return;
        var v = perYear[key];
        // discounted to the base year (end-year or mid-year), in the base year's prices
        var disc = Math.pow(1 + rate, -(year - a.base_year - (a.timing_shift || 0))) *
          (a.pv_price_factor === undefined ? 1 : a.pv_price_factor);
        APPRAISAL.forEach(function (m) {
          var kind = m.indexOf("jobs") === 0 ? "jobs" : "value_added";
          var t1 = m.charAt(m.length - 1) === "1";
          var k = le.measures.indexOf(cols[kind]);
          if (k < 0) return;
          var g = 0;
          if (t1) type1.forEach(function (e) { g += v[e][k]; });
          else for (var e = 0; e < v.length; e++) g += v[e][k];
          sums[m][0] += g;
          sums[m][1] += g * disc;
        });
      });
      APPRAISAL.forEach(function (m) {
        var money = m.indexOf("value") === 0;
        out[scope + "|" + m] = [sums[m][0], sums[m][0] * nf, money ? sums[m][1] : NaN,
                                money ? sums[m][1] * nf : NaN];
      });
    });
    return out;
  }

  /* ---------------------------------------------------------------- scenario writer */
  function clone(x) { return JSON.parse(JSON.stringify(x)); }

  function phaseNode(inv, phase, part) {
    var node = inv[part === "sustaining" ? "operations" : phase];  // written under operations
    if (!node || typeof node !== "object" || Array.isArray(node)) return null;
    if (part === "sustaining") node = node.sustaining;
    return node && typeof node === "object" && !Array.isArray(node) ? node : null;
  }

  function setValue(node, key, value) {
    var old = node[key];
    if (!old || typeof old !== "object" || Array.isArray(old)) { node[key] = value; return; }
    var inside = true, r = old.range, dist = old.distribution;
    if (Array.isArray(r) && r.length === 2) inside = Number(r[0]) <= value && value <= Number(r[1]);
    if (dist && typeof dist === "object" && ("low" in dist || "high" in dist || "mode" in dist)) {
      var mode = "mode" in dist ? dist.mode : value;
      var lo = "low" in dist ? Number(dist.low) : value, hi = "high" in dist ? Number(dist.high) : value;
      inside = inside && mode === value && lo <= value && value <= hi;
    }
    if (value !== old.value && !inside) { delete old.range; delete old.distribution; }
    old.value = value;
  }

  function scenarioDataWith(data, st) {
    var out = clone(data);
    var invs = out.investments || [];
    Object.keys(st.amounts).forEach(function (key) {
      var p = key.split(".");
      var node = phaseNode(invs[parseInt(p[0], 10)], p[1], p[2]);
      if (node) setValue(node, p[1] === "operations" && p[2] === "main" ? "annual_amount" : "amount", st.amounts[key]);
    });
    Object.keys(st.local).forEach(function (k) {
      var sep = k.indexOf("|"), key = k.slice(0, sep), cat = k.slice(sep + 1);
      var p = key.split(".");
      var node = phaseNode(invs[parseInt(p[0], 10)], p[1], p[2]);
      if (node) {
        if (!node.local_share || typeof node.local_share !== "object") node.local_share = {};
        setValue(node.local_share, cat, st.local[k]);
      }
    });
    if (st.deadweight !== undefined || st.displacement !== undefined || st.discount_rate !== undefined) {
      if (!out.appraisal || typeof out.appraisal !== "object") out.appraisal = {};
      if (st.deadweight !== undefined) setValue(out.appraisal, "deadweight", st.deadweight);
      if (st.displacement !== undefined) setValue(out.appraisal, "displacement", st.displacement);
      if (st.discount_rate !== undefined) out.appraisal.discount_rate = st.discount_rate;
    }
    return out;
  }

  /* YAML: block mappings and lists, strings double-quoted (JSON escapes are YAML escapes),
     numbers as YAML 1.1 floats or integers; keys marked "\u0001" were integers. */
  function yNumber(x) {
    if (Number.isInteger(x) && Math.abs(x) < 1e21) return String(x);
    var s = String(x);
    if (s.indexOf("e") >= 0 && s.split("e")[0].indexOf(".") < 0) s = s.replace("e", ".0e");
    if (s.indexOf(".") < 0 && s.indexOf("e") < 0) s += ".0";
    return s;
  }
  function yScalar(v) {
    if (v === null || v === undefined) return "null";
    if (typeof v === "boolean") return v ? "true" : "false";
    if (typeof v === "number") return yNumber(v);
    return JSON.stringify(String(v));
  }
  function yKey(k) {
    if (k.charAt(0) === "\u0001") return k.slice(1);
    return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(k) && !/^(true|false|yes|no|on|off|null|y|n)$/i.test(k) ? k : JSON.stringify(k);
  }
  function isObj(v) { return v && typeof v === "object" && !Array.isArray(v); }
  function emit(v, pad) {
    var lines = [];
    if (isObj(v)) {
      Object.keys(v).forEach(function (k) {
        var x = v[k];
        if (isObj(x) && Object.keys(x).length) { lines.push(pad + yKey(k) + ":"); lines = lines.concat(emit(x, pad + "  ")); }
        else if (Array.isArray(x) && x.length) { lines.push(pad + yKey(k) + ":"); lines = lines.concat(emit(x, pad + "  ")); }
        else lines.push(pad + yKey(k) + ": " + (isObj(x) ? "{}" : Array.isArray(x) ? "[]" : yScalar(x)));
      });
    } else if (Array.isArray(v)) {
      v.forEach(function (x) {
        if ((isObj(x) && Object.keys(x).length) || (Array.isArray(x) && x.length)) {
          var sub = emit(x, pad + "  ");
          sub[0] = pad + "- " + sub[0].slice(pad.length + 2);
          lines = lines.concat(sub);
        } else lines.push(pad + "- " + (isObj(x) ? "{}" : Array.isArray(x) ? "[]" : yScalar(x)));
      });
    }
    return lines;
  }
  function toYaml(data, header) {
    return header.map(function (h) { return "# " + h; }).join("\n") + "\n" + emit(data, "").join("\n") + "\n";
  }

  /* ---------------------------------------------------------------- the page */
  function boot() {
    var node = document.getElementById("explorer-data");
    if (!node) return;
    var cfg = JSON.parse(node.textContent);
    var le = cfg.lines;
    var root = document.getElementById("explorer");
    var state = {amounts: {}, local: {}};

    function settings() {
      var st = {amounts: {}, local: {}};
      Object.keys(state.amounts).forEach(function (k) { st.amounts[k] = state.amounts[k]; });
      Object.keys(state.local).forEach(function (k) { st.local[k] = state.local[k]; });
      ["deadweight", "displacement", "discount_rate"].forEach(function (k) {
        if (state[k] !== undefined) st[k] = state[k];
      });
      return st;
    }

    function sliderValue(input) {
      return Number(input.value) * Number(input.getAttribute("data-size") || 1);
    }

    function showSlider(input) {
      var out = document.getElementById(input.id + "-out");
      var v = Number(input.value);
      var kind = input.getAttribute("data-kind");
      var text;
      if (kind === "share" || kind === "rate") text = formatValue(v, {percent: true});
      else text = formatValue(v) + " " + input.getAttribute("data-unit");
      if (kind === "share" && input.getAttribute("data-state") === "default") {
        text = "table's shares by product (" + formatValue(Number(input.getAttribute("data-default")), {percent: true}) + ")";
      }
      out.textContent = text;
      input.setAttribute("aria-valuetext", text);
    }

    function record(input) {
      var kind = input.getAttribute("data-kind"), key = input.getAttribute("data-key");
      var v = sliderValue(input);
      if (kind === "amount") state.amounts[key] = v;
      else if (kind === "share") { state.local[key] = v; input.setAttribute("data-state", "set"); }
      else state[key] = v;
    }

    function sliders() { return Array.prototype.slice.call(root.querySelectorAll("input[type=range]")); }

    function writeHash() {
      var params = new URLSearchParams();
      sliders().forEach(function (input) {
        var kind = input.getAttribute("data-kind"), key = input.getAttribute("data-key");
        var on = kind === "amount" ? state.amounts.hasOwnProperty(key)
          : kind === "share" ? state.local.hasOwnProperty(key) : state[key] !== undefined;
        if (on) params.set(input.id, input.value);
      });
      var h = params.toString();
      try { history.replaceState(null, "", h ? "#" + h : location.pathname + location.search); }
      catch (e) { location.hash = h; }
    }

    function readHash() {
      var h = location.hash.replace(/^#/, "");
      if (!h) return;
      var params = new URLSearchParams(h);
      params.forEach(function (value, id) {
        var input = document.getElementById(id);
        if (!input || input.type !== "range" || !root.contains(input)) return;
        input.value = value;
        record(input);
      });
    }

    function setCell(el, raw, factor) {
      el.setAttribute("data-raw", String(raw));
      el.textContent = formatValue(raw * factor);
    }

    function render() {
      var res = evaluate(le, settings());
      root.querySelectorAll("[data-cell]").forEach(function (el) {
        var p = el.getAttribute("data-cell").split("|");
        var block = res.headline[p[0]];
        if (!block) return;
        var row = p[1] === "total" ? block.length - 1 : le.effects.indexOf(p[1]);
        var m = le.measures.indexOf(p[2]);
        setCell(el, block[row][m], Number(el.getAttribute("data-factor")));
      });
      root.querySelectorAll("[data-appraisal]").forEach(function (el) {
        var p = el.getAttribute("data-appraisal").split("|");
        var vals = res.appraisal[p[0] + "|" + p[1]];
        setCell(el, vals[Number(p[2])], Number(el.getAttribute("data-factor")));
      });
      sliders().forEach(showSlider);
      window.impactsimExplorer.last = res;
      var status = document.getElementById("explorer-status");
      if (status) status.textContent = "recomputed in the browser";
    }

    function yamlText() {
      var st = settings();
      var data = scenarioDataWith(cfg.scenario_data, st);
      var desc = sliders().filter(function (i) {
        var kind = i.getAttribute("data-kind"), key = i.getAttribute("data-key");
        return kind === "amount" ? st.amounts.hasOwnProperty(key) : kind === "share" ? st.local.hasOwnProperty(key) : st[key] !== undefined;
      }).map(function (i) { return i.getAttribute("data-label") + " = " + document.getElementById(i.id + "-out").textContent; });
      if (!Array.isArray(data.notes)) data.notes = [];
      if (desc.length) data.notes.push("Explorer settings: " + desc.join("; "));
      return toYaml(data, [
        "Written by the impactsim explorer from " + cfg.source + ".",
        "Settings changed in the explorer: " + (desc.length ? desc.join("; ") : "none") + ".",
        "The original file's comments (the source of every value) are in " + cfg.source + ".",
        "Reproduce: impactsim run <this file>"
      ]);
    }

    function download() {
      var blob = new Blob([yamlText()], {type: "application/x-yaml"});
      var a = document.createElement("a");
      a.href = URL.createObjectURL(blob);
      a.download = cfg.scenario_name + "-explorer.yaml";
      document.body.appendChild(a);
      a.click();
      setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 0);
    }

    function reset() {
      state = {amounts: {}, local: {}};
      sliders().forEach(function (input) {
        input.value = input.getAttribute("data-initial");
        if (input.getAttribute("data-kind") === "share" && input.getAttribute("data-default-kind") === "table") input.setAttribute("data-state", "default");
      });
      writeHash();
      render();
    }

    sliders().forEach(function (input) {
      input.addEventListener("input", function () { record(input); writeHash(); render(); });
    });
    var dl = document.getElementById("explorer-download");
    if (dl) dl.addEventListener("click", download);
    var rs = document.getElementById("explorer-reset");
    if (rs) rs.addEventListener("click", reset);
    window.addEventListener("hashchange", function () { state = {amounts: {}, local: {}}; sliders().forEach(function (i) { i.value = i.getAttribute("data-initial"); if (i.getAttribute("data-default-kind") === "table") i.setAttribute("data-state", "default"); }); readHash(); render(); });
    window.impactsimExplorer.yaml = yamlText;
    window.impactsimExplorer.settings = settings;
    readHash();
    render();
    window.impactsimExplorer.readyAt = performance.now();
    document.documentElement.setAttribute("data-explorer-ready", "1");
  }

  window.impactsimExplorer = {formatValue: formatValue, evaluate: evaluate, toYaml: toYaml,
                              scenarioDataWith: scenarioDataWith};
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", boot);
  else boot();
})();
