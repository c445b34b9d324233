/* The expert's questionnaire: autosave, unsent drafts, progress and the reason boxes.
 *
 * Loaded with defer from rounds/expert/partials/_autosave_script.html, which puts the page's
 * words and keys on #autosave-config. Every autosaving element (an answer box, a statement's
 * fieldset, a criterion) has hx-post and hx-trigger="autosave, retry"; this file decides when
 * to fire it:
 *  - `input` (typing, paste from the long-press menu, dictation, an IME commit), debounced;
 *  - `change` and leaving a box (focusout), at once;
 *  - the page being hidden or left (pagehide, visibilitychange), with navigator.sendBeacon,
 *    which the browser still sends after the page is gone.
 * Until the server has acknowledged a field's value, it is kept in localStorage under
 * <prefix><field name> (the prefix names the expert and the round); after a reload or a lost
 * connection it is put back, marked with a note, and sent again.
 */
(function () {
  "use strict";
  var config = document.getElementById("autosave-config");
  var form = document.getElementById("questionnaire");
  if (!config || !form) { return; }
  var NOT_SAVED = config.dataset.notSaved || "";
  var RESTORED = config.dataset.restored || "";
  var PREFIX = config.dataset.draftPrefix || "";
  // When the server last saved each field (the open and rating pages), else the whole
  // submission's last change (a confirmation round): a draft older than that is stale.
  var SAVED_AT = parseInt(config.dataset.savedAt || "0", 10) || 0;
  var SAVED_TIMES = null;
  try {
    SAVED_TIMES = config.dataset.savedTimes ? JSON.parse(config.dataset.savedTimes) : null;
  } catch (error) {
    SAVED_TIMES = null;
  }
  function savedAt(name) {
    return SAVED_TIMES ? SAVED_TIMES[name] || 0 : SAVED_AT;
  }
  var DELAY = 800;

  var pending = new Set();
  var timers = new Map();
  var sent = new WeakMap();

  // ------------------------------------------------------------------ drafts in the browser
  var storage = null;
  try {
    storage = PREFIX ? window.localStorage : null;
  } catch (error) {
    storage = null;
  }
  function fieldValue(name) {
    var fields = form.querySelectorAll('[name="' + name + '"]');
    var value = "";
    fields.forEach(function (field) {
      if (field.type === "radio" || field.type === "checkbox") {
        if (field.checked) { value = field.value; }
      } else {
        value = field.value;
      }
    });
    return value;
  }
  function draftGet(name) {
    if (!storage) { return null; }
    try {
      var draft = JSON.parse(storage.getItem(PREFIX + name));
      return draft && typeof draft.v === "string" ? draft : null;
    } catch (error) {
      return null;
    }
  }
  function draftPut(name) {
    if (!storage) { return; }
    try {
      storage.setItem(PREFIX + name, JSON.stringify({ v: fieldValue(name), t: Date.now() }));
    } catch (error) { /* storage full or refused: the page still autosaves */ }
  }
  function draftDrop(name) {
    if (storage) {
      try { storage.removeItem(PREFIX + name); } catch (error) { /* nothing to do */ }
    }
  }

  // ------------------------------------------------------------------ what an element saves
  function saver(target) {
    if (!target || !target.closest) { return null; }
    var elt = target.closest("[hx-post]");
    return elt && form.contains(elt) ? elt : null;
  }
  function names(elt) {
    var params = elt.getAttribute("hx-params");
    if (params && params !== "*") {
      return params.split(",").map(function (name) { return name.trim(); });
    }
    if (elt.name) { return [elt.name]; }
    var found = [];
    elt.querySelectorAll("[name]").forEach(function (field) {
      if (found.indexOf(field.name) < 0) { found.push(field.name); }
    });
    return found;
  }
  function save(elt) {
    window.clearTimeout(timers.get(elt));
    timers.delete(elt);
    if (window.htmx) { window.htmx.trigger(elt, "autosave"); } else { pending.add(elt); }
  }
  function later(elt) {
    window.clearTimeout(timers.get(elt));
    timers.set(elt, window.setTimeout(function () { save(elt); }, DELAY));
  }
  function track(event, delayed) {
    var field = event.target;
    var elt = saver(field);
    if (!elt || !field.name) { return; }
    draftPut(field.name);
    pending.add(elt);
    if (delayed) { later(elt); } else { save(elt); }
  }
  form.addEventListener("input", function (event) { track(event, true); });
  form.addEventListener("change", function (event) { track(event, false); });
  form.addEventListener("focusout", function (event) {
    var elt = saver(event.target);
    if (elt && timers.has(elt)) { save(elt); }
  });

  // A page being hidden or left may never run a timer again: send what is unsent now.
  function flush() {
    if (!pending.size || !navigator.sendBeacon) { return; }
    var token = form.querySelector("[name=csrfmiddlewaretoken]");
    pending.forEach(function (elt) {
      window.clearTimeout(timers.get(elt));
      timers.delete(elt);
      var data = new FormData();
      if (token) { data.append("csrfmiddlewaretoken", token.value); }
      names(elt).forEach(function (name) { data.append(name, fieldValue(name)); });
      try { navigator.sendBeacon(elt.getAttribute("hx-post"), data); } catch (error) { /* kept */ }
    });
  }
  window.addEventListener("pagehide", flush);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") { flush(); }
  });

  // ------------------------------------------------------------------ the server's answers
  function statusFor(elt) {
    var target = elt.getAttribute("hx-target");
    return target ? document.querySelector(target) : null;
  }
  function showNotSaved(elt) {
    var status = statusFor(elt);
    if (!status) { return; }
    status.textContent = "";
    var span = document.createElement("span");
    span.className = "text-danger fw-semibold";
    span.textContent = NOT_SAVED;
    status.appendChild(span);
  }
  function failed(event) {
    var elt = event.detail.elt;
    if (!elt || !elt.hasAttribute("hx-post")) { return; }
    pending.add(elt);
    showNotSaved(elt);
  }
  document.body.addEventListener("htmx:sendError", failed);
  document.body.addEventListener("htmx:responseError", failed);
  document.body.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail.elt;
    if (!elt || !elt.hasAttribute("hx-post")) { return; }
    var values = {};
    names(elt).forEach(function (name) { values[name] = fieldValue(name); });
    sent.set(elt, values);
  });
  document.body.addEventListener("htmx:afterRequest", function (event) {
    var elt = event.detail.elt;
    if (!event.detail.successful || !elt) { return; }
    var xhr = event.detail.xhr;
    // A refused answer (a reason missing, the round closed) is answered with an error status:
    // it stays an unsent draft.
    if (xhr && /text-danger/.test(xhr.responseText || "")) { return; }
    var values = sent.get(elt) || {};
    var unchanged = true;
    Object.keys(values).forEach(function (name) {
      if (fieldValue(name) !== values[name]) { unchanged = false; }
      var draft = draftGet(name);
      if (draft && draft.v === values[name]) { draftDrop(name); }
    });
    if (unchanged && !timers.has(elt)) { pending.delete(elt); }
  });
  function retryAll() {
    if (!window.htmx) { return; }
    pending.forEach(function (elt) {
      if (!timers.has(elt)) { window.htmx.trigger(elt, "retry"); }
    });
  }
  window.addEventListener("online", retryAll);
  window.setInterval(function () {
    if (pending.size && navigator.onLine !== false) { retryAll(); }
  }, 5000);
  window.addEventListener("beforeunload", function (event) {
    if (pending.size && !navigator.sendBeacon) { event.preventDefault(); event.returnValue = ""; }
  });

  // ------------------------------------------------------------------ progress, reasons
  var progress = document.getElementById("progress-text");
  function updateProgress() {
    if (!progress) { return; }
    var items = form.querySelectorAll("fieldset.rating-item");
    var answered = 0;
    items.forEach(function (item) { if (item.querySelector("input[type=radio]:checked")) { answered++; } });
    progress.textContent = progress.dataset.pattern
      .replace("%(answered)s", answered).replace("%(total)s", items.length);
    var bar = document.getElementById("progress-bar");
    if (bar && items.length) { bar.style.width = Math.round(100 * answered / items.length) + "%"; }
  }
  // The reason rule of rounds/answering/rules.py: outside [Q1, Q3], "cannot judge" never, and
  // (unless the round asks anyway) not for the expert's unchanged previous answer.
  function updateReason(item) {
    var box = item.querySelector(".reason-box");
    var q1 = parseFloat(item.dataset.q1), q3 = parseFloat(item.dataset.q3);
    if (!box || isNaN(q1) || isNaN(q3)) { return; }
    var checked = item.querySelector("input[type=radio]:checked");
    var value = checked ? parseInt(checked.value, 10) : NaN;
    var unchanged = item.dataset.unchanged !== undefined && checked &&
      checked.value === item.dataset.unchanged;
    box.hidden = !(value > 0 && (value < q1 || value > q3) && !unchanged);
  }
  form.addEventListener("change", function (event) {
    var item = event.target.closest("fieldset.rating-item");
    if (item) { updateReason(item); updateProgress(); }
  });

  // ------------------------------------------------------------------ restoring drafts
  function restore() {
    if (!storage) { return; }
    var keys = [];
    for (var i = 0; i < storage.length; i++) {
      var key = storage.key(i);
      if (key && key.indexOf(PREFIX) === 0) { keys.push(key.slice(PREFIX.length)); }
    }
    keys.forEach(function (name) {
      var draft = draftGet(name);
      var fields = form.querySelectorAll('[name="' + name + '"]');
      if (!draft || !fields.length) { return; }
      if (draft.v === fieldValue(name) || draft.t <= savedAt(name)) { draftDrop(name); return; }
      fields.forEach(function (field) {
        if (field.type === "radio" || field.type === "checkbox") {
          field.checked = field.value === draft.v;
        } else {
          field.value = draft.v;
        }
      });
      var elt = saver(fields[0]);
      if (!elt) { return; }
      var anchor = fields[0].type === "radio" ? statusFor(elt) : fields[0];
      if (anchor && !elt.querySelector(".draft-note") && !(anchor.nextElementSibling &&
          anchor.nextElementSibling.classList.contains("draft-note"))) {
        var note = document.createElement("div");
        note.className = "small text-warning-emphasis draft-note";
        note.setAttribute("role", "status");
        note.textContent = RESTORED;
        anchor.parentNode.insertBefore(note, anchor.nextSibling);
      }
      var details = fields[0].closest("details");
      if (details) { details.open = true; }
      pending.add(elt);
    });
  }
  restore();
  form.querySelectorAll("fieldset.rating-item").forEach(updateReason);
  updateProgress();
  // htmx (deferred too) wires the elements up on DOMContentLoaded: send what came back then.
  window.addEventListener("load", function () {
    pending.forEach(function (elt) { save(elt); });
  });
  // A refused submit: the summary of what needs attention takes the focus.
  var summary = document.getElementById("submit-error");
  if (summary && document.activeElement !== summary) { summary.focus(); }
  // Say "saved automatically" only where this script runs.
  document.querySelectorAll(".js-only").forEach(function (element) { element.hidden = false; });
})();
