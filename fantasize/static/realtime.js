/*
 * Live updates over the /ws WebSocket (protocol: docs "WebSocket protocol"), loaded for signed-in users only.
 *
 * - Connects to ws(s)://<this host>/ws; the session cookie authenticates the browser.
 * - Reconnects with exponential backoff and jitter; after reconnecting (or on the next page of the same
 *   tab) sends `resume {last_event_id}` so events missed meanwhile arrive, oldest first.
 * - Sends `ping` every 25 s; a socket silent for two rounds is closed and reopened.
 * - After `authenticated`, tracks what the page shows: `[data-track-order="<order id>"]` and
 *   `[data-track-inventory="<product id>"]` (also in content htmx swaps in later).
 * - Every server event is dispatched on document.body as a CustomEvent `rt:<event>` with the event's
 *   data in `detail` (e.g. `hx-trigger="rt:inventory_update from:body"`), then the built-in reactions
 *   below update the page. Elements tracking an order also receive `rt:order-changed` (not bubbling)
 *   when *that* order changes, so `hx-trigger="rt:order-changed"` needs no filter expression.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var user = (script && script.dataset.user) || "anon";
  var LAST_ID_KEY = "rt:last-id:" + user;   // sessionStorage: the newest event id this tab has seen
  var BANNERS_KEY = "rt:banners:" + user;   // sessionStorage: announcements shown and not dismissed yet
  var PING_EVERY = 25000;
  var BACKOFF_FIRST = 1000;
  var BACKOFF_MAX = 30000;
  var TOAST_FOR = 8000;
  var FEED_MAX = 20;

  var socket = null;
  var attempts = 0;          // failed connections in a row, for the backoff
  var stableTimer = null;    // resets the backoff once a socket has stayed up STABLE_AFTER ms
  var STABLE_AFTER = 30000;
  var retryTimer = null;
  var pingTimer = null;
  var lastHeard = 0;         // when the server last sent anything
  var stopped = false;       // the server refused our credentials: reconnecting will not help
  var seen = [];             // ids already handled (a resumed event may also arrive live)
  var tracked = { order: {}, inventory: {} };

  // --- storage (sessionStorage can be unavailable, e.g. in some private modes) ---------------

  function load(key, fallback) {
    try { var raw = sessionStorage.getItem(key); return raw === null ? fallback : JSON.parse(raw); }
    catch (e) { return fallback; }
  }
  function store(key, value) {
    try { sessionStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* not kept: fine */ }
  }

  // --- connection --------------------------------------------------------------------------

  function send(event, data) {
    if (socket && socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify({ event: event, data: data || {} }));
    }
  }

  function connect() {
    retryTimer = null;
    if (stopped || (socket && socket.readyState <= WebSocket.OPEN)) return;
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + location.host + "/ws");
    socket.onopen = function () { lastHeard = Date.now(); startPing(); };
    socket.onmessage = function (message) {
      lastHeard = Date.now();
      var frame;
      try { frame = JSON.parse(message.data); } catch (e) { return; }
      if (frame && typeof frame.event === "string") receive(frame);
    };
    socket.onclose = function (event) {
      clearTimeout(stableTimer);
      stopPing();
      socket = null;
      document.body.dataset.rt = "offline";
      if (event.code === 4401) stopped = true;   // not (or no longer) signed in: trying again will not help
      scheduleReconnect();
    };
    // onerror is always followed by onclose, which does the work.
  }

  function scheduleReconnect() {
    if (stopped || retryTimer) return;
    // A random delay between half and all of the capped exponential one, so a restarted server
    // is not hit by every browser at the same instant.
    var cap = Math.min(BACKOFF_MAX, BACKOFF_FIRST * Math.pow(2, attempts));
    attempts += 1;
    retryTimer = setTimeout(connect, cap / 2 + Math.random() * cap / 2);
  }

  function startPing() {
    stopPing();
    pingTimer = setInterval(function () {
      if (Date.now() - lastHeard > 2 * PING_EVERY + 5000) {
        socket.close(4000, "no answer");   // a half-open connection: start again
        return;
      }
      send("ping");
    }, PING_EVERY);
  }
  function stopPing() { if (pingTimer) { clearInterval(pingTimer); pingTimer = null; } }

  // Remembers what the page tracks and asks for the new ones (a closed socket drops the request:
  // `authenticated` sends them all again).
  function trackAll(root) {
    (root || document).querySelectorAll("[data-track-order], [data-track-inventory]").forEach(function (el) {
      if (el.dataset.trackOrder) track("order", el.dataset.trackOrder, false);
      if (el.dataset.trackInventory) track("inventory", el.dataset.trackInventory, false);
    });
  }
  function track(kind, id, again) {
    if (tracked[kind][id] && !again) return;
    tracked[kind][id] = true;
    if (kind === "order") send("track_order", { order_id: id });
    else send("track_inventory", { product_id: /^\d+$/.test(id) ? Number(id) : id });
  }

  // --- events ------------------------------------------------------------------------------

  function receive(frame) {
    var data = frame.data || {};
    if (frame.event === "authenticated") {
      // The backoff starts over only once the socket has stayed up a while: a server that
      // accepts and then drops every socket (Redis away) must not be hammered.
      clearTimeout(stableTimer);
      stableTimer = setTimeout(function () { attempts = 0; }, STABLE_AFTER);
      document.body.dataset.rt = "live";
      // Join the page's rooms first, so that resuming covers their missed events too.
      Object.keys(tracked).forEach(function (kind) {
        Object.keys(tracked[kind]).forEach(function (id) { track(kind, id, true); });
      });
      var lastId = load(LAST_ID_KEY, null);
      if (lastId !== null) send("resume", { last_event_id: lastId });
    } else if (frame.event === "authentication_error") {
      stopped = true;   // signed out meanwhile; the next page load decides again
    }
    if (typeof frame.id === "number") {
      if (seen.indexOf(frame.id) !== -1) return;
      seen.push(frame.id);
      if (seen.length > 200) seen.shift();
      if (frame.id > load(LAST_ID_KEY, 0)) store(LAST_ID_KEY, frame.id);
    }
    document.body.dispatchEvent(new CustomEvent("rt:" + frame.event, { detail: data, bubbles: true }));
    var react = reactions[frame.event];
    if (react) react(data);
  }

  function each(selector, fn) { document.querySelectorAll(selector).forEach(fn); }
  function attr(value) { return String(value).replace(/["\\]/g, "\\$&"); }

  // `status-<name>` classes follow the status, as on server-rendered badges.
  function setStatus(orderId, status, label) {
    each('[data-order-status][data-order-id="' + attr(orderId) + '"]', function (el) {
      if (label && el.textContent !== label) el.textContent = label;
      el.className = el.className.replace(/\bstatus-[\w-]+/g, "").trim() + " status-" + status;
    });
  }

  var reactions = {
    order_status_update: function (data) {
      setStatus(data.order_id, data.status, data.status_label);
      each('[data-track-order="' + attr(data.order_id) + '"]', function (el) {
        el.dataset.status = data.status;
        el.dispatchEvent(new CustomEvent("rt:order-changed", { detail: data }));
      });
    },

    // The page may be a little older than its subscription: catch up if the status moved meanwhile
    // (elements say which status they show in data-status).
    order_tracking_started: function (data) {
      each('[data-track-order="' + attr(data.order_id) + '"][data-status]', function (el) {
        if (el.dataset.status === data.status) return;
        el.dataset.status = data.status;
        el.dispatchEvent(new CustomEvent("rt:order-changed", { detail: data }));
      });
    },

    inventory_update: function (data) {
      each('[data-stock-badge][data-product-id="' + attr(data.product_id) + '"]', function (el) {
        var low = Number(el.dataset.lowStock || 5);
        var text = !data.in_stock ? "Out of stock"
          : data.stock <= low ? "In stock — only " + data.stock + " left" : "In stock";
        if (el.textContent.trim() !== text) el.textContent = text;   // unchanged text: nothing to announce
        el.classList.toggle("in", !!data.in_stock);
        el.classList.toggle("out", !data.in_stock);
      });
    },

    inventory_tracking_started: function (data) { reactions.inventory_update(data); },

    admin_order_update: function (data) {
      if (data.action === "status_changed") setStatus(data.order_id, data.status, data.status_label);
      if (data.action !== "created") return;
      each("[data-new-orders]", function (el) {
        var count = Number(el.dataset.count || 0) + 1;
        el.dataset.count = count;
        el.querySelector("[data-new-orders-text]").textContent =
          count === 1 ? "A new order came in." : count + " new orders came in.";
        el.querySelectorAll("[hidden]").forEach(function (part) { part.hidden = false; });
      });
      feed("order", "New order " + data.number + " · " + data.status_label + (data.total ? " · " + money(data.total) : ""),
        data.order_id);
    },

    low_stock_alert: function (data) {
      feed("stock", "Low stock: " + data.name + " — " + data.stock + " left (alert at " + data.threshold + ")",
        data.product_id);
    },

    real_time_notification: function (data) {
      if (window.htmx) window.htmx.trigger(document.body, "notification");   // the header bell refreshes
      toast(data);
    },

    system_announcement: function (data) {
      var shown = load(BANNERS_KEY, []);
      var key = String(Date.now()) + Math.random().toString(16).slice(2, 6);
      shown.push({ key: key, title: data.title, message: data.message, level: data.level });
      store(BANNERS_KEY, shown.slice(-3));
      banner({ key: key, title: data.title, message: data.message, level: data.level });
    },
  };

  function money(total) {
    var n = Number(total);
    return isNaN(n) ? String(total) : "€" + n.toFixed(2);
  }

  // --- the admin dashboard's "Happening now" list ---------------------------------------------

  function feed(kind, text, id) {
    each("[data-live-feed]", function (list) {
      var item = document.createElement("li");
      item.className = "live-item live-" + kind;
      var template = list.dataset[kind === "order" ? "orderUrl" : "productUrl"];
      var content = document.createElement(template ? "a" : "span");
      if (template) content.href = template.replace("__id__", encodeURIComponent(id));
      content.textContent = text;
      var when = document.createElement("time");
      var now = new Date();
      when.dateTime = now.toISOString();
      when.textContent = now.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
      item.append(when, " ", content);
      list.prepend(item);
      while (list.children.length > FEED_MAX) list.lastElementChild.remove();
      var empty = document.querySelector("[data-live-feed-empty]");
      if (empty) empty.hidden = true;
    });
  }

  // --- toasts and banners (containers are in base.html; they are live regions already) ---------

  function toast(data) {
    var box = document.getElementById("rt-toasts");
    if (!box) return;
    var item = document.createElement("div");
    item.className = "rt-toast";
    var title = document.createElement("strong");
    title.textContent = data.title || "Notification";
    item.append(title);
    if (data.message) {
      var text = document.createElement("p");
      text.textContent = data.message;
      item.append(text);
    }
    if (data.link && /^\/(?![\/\\])/.test(data.link)) {   // only links within the site (not //x or /\x)
      var link = document.createElement("a");
      link.href = data.link;
      link.textContent = "Open";
      item.append(link);
    }
    var timer = null;
    item.append(closeButton("Dismiss notification", function () { clearTimeout(timer); item.remove(); }));
    box.append(item);
    // Leaves by itself (it is also in the inbox), but not while the pointer or keyboard focus is on it.
    timer = setTimeout(function gone() {
      if (item.matches(":hover, :focus-within")) { timer = setTimeout(gone, 2000); return; }
      item.remove();
    }, TOAST_FOR);
  }

  function banner(entry) {
    var box = document.getElementById("rt-banners");
    if (!box) return;
    var item = document.createElement("div");
    var level = ["info", "warning", "critical"].indexOf(entry.level) === -1 ? "info" : entry.level;
    item.className = "rt-banner rt-banner-" + level;
    if (level === "critical") item.setAttribute("role", "alert");
    var text = document.createElement("p");
    var title = document.createElement("strong");
    title.textContent = entry.title || "Announcement";
    text.append(title);
    if (entry.message) text.append(" ", entry.message);
    item.append(text, closeButton("Dismiss announcement", function () {
      item.remove();
      store(BANNERS_KEY, load(BANNERS_KEY, []).filter(function (b) { return b.key !== entry.key; }));
    }));
    box.append(item);
  }

  function closeButton(label, onClick) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "rt-close";
    button.setAttribute("aria-label", label);
    button.textContent = "×";
    button.addEventListener("click", onClick);
    return button;
  }

  // --- start -------------------------------------------------------------------------------

  function start() {
    // Announcements from earlier pages stay until dismissed (shown quietly: not a live change).
    var box = document.getElementById("rt-banners");
    if (box) box.setAttribute("aria-live", "off");
    load(BANNERS_KEY, []).forEach(banner);
    if (box) setTimeout(function () { box.setAttribute("aria-live", "polite"); }, 0);

    trackAll();
    connect();
    // Content htmx swaps in may carry more things to track.
    document.body.addEventListener("htmx:load", function (event) { trackAll(event.target); });
    window.addEventListener("online", function () {
      if (retryTimer) { clearTimeout(retryTimer); retryTimer = null; }
      attempts = 0;
      connect();
    });
    // Close cleanly when the page goes away (an open socket also keeps the page out of the
    // back/forward cache); reopen if the page comes back from that cache.
    window.addEventListener("pagehide", function () {
      stopped = true;
      if (socket) socket.close(1000, "page hidden");
    });
    window.addEventListener("pageshow", function (event) {
      if (event.persisted) { stopped = false; attempts = 0; connect(); }
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
