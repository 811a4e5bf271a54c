// The check-in page without network: the organiser downloads the event's check-in kit while
// online (kept in this browser); offline, a typed or scanned code is checked against the
// kit's HMACs with Web Crypto, so a made-up code or another event's badge is refused, and
// the check-in waits in the outbox (web/offline.js) until the network returns. Its words
// come from the section's data- attributes, in the page's language.
(function () {
  "use strict";
  var section = document.getElementById("offline-checkin");
  var form = document.getElementById("checkin-form");
  if (!section || !form || !window.crypto || !crypto.subtle || !window.concordOutbox || !window.localStorage) { return; }
  var text = section.dataset;
  var kitKey = "concord-kit:" + text.slug;
  var seenKey = "concord-seen:" + text.slug;
  var result = document.getElementById("offline-result");
  var status = document.getElementById("kit-status");
  var kitForm = document.getElementById("kit-form");
  section.hidden = false;

  function read(key, fallback) {
    try { return JSON.parse(localStorage.getItem(key)) || fallback; } catch (e) { return fallback; }
  }
  function csrf(of) { return of.querySelector("[name=csrfmiddlewaretoken]").value; }
  function device() {
    var id = localStorage.getItem("concord-device");
    if (!id) { id = concordOutbox.newId(); localStorage.setItem("concord-device", id); }
    return id;
  }
  function showKit() {
    var kit = read(kitKey, null);
    status.hidden = !kit;
    status.textContent = kit ? (Date.now() < Date.parse(kit.expires_at) ? text.ready : text.expired) : "";
  }
  function tell(kind, name, detail) {
    result.hidden = false;
    result.className = "checkin-result " + kind;
    result.querySelector(".name").textContent = name;
    result.querySelector(".detail").textContent = detail;
  }

  function hmac(key, message) {
    var encoder = new TextEncoder();
    return crypto.subtle.importKey("raw", encoder.encode(key), { name: "HMAC", hash: "SHA-256" }, false, ["sign"])
      .then(function (cryptoKey) { return crypto.subtle.sign("HMAC", cryptoKey, encoder.encode(message)); })
      .then(function (signature) {
        return Array.prototype.map.call(new Uint8Array(signature), function (b) { return (b + 256).toString(16).slice(1); }).join("");
      });
  }

  // The code as the badge prints it: "C<number>-<16 hexadecimal digits>".
  function normal(code) {
    var match = /^C?(\d{1,12})-([0-9A-F]{16})$/.exec(code.replace(/\s+/g, "").toUpperCase());
    return match ? "C" + parseInt(match[1], 10) + "-" + match[2] : null;
  }

  kitForm.addEventListener("submit", function (event) {
    event.preventDefault();
    fetch(kitForm.action, { method: "POST", body: new FormData(kitForm), credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (kit) {
        if (kit) { localStorage.setItem(kitKey, JSON.stringify(kit)); localStorage.removeItem(seenKey); }
        showKit();
      })
      .catch(showKit);
  });

  form.addEventListener("submit", function (event) {
    if (navigator.onLine !== false) { return; }
    event.preventDefault();
    var field = form.querySelector("[name=code]");
    var door = form.querySelector("[name=door]");
    var kit = read(kitKey, null);
    if (!kit) { tell("refused", "", text.noKit); return; }
    if (Date.now() >= Date.parse(kit.expires_at)) { tell("refused", "", text.expired); return; }
    var code = normal(field.value);
    (code ? hmac(kit.key, code) : Promise.resolve("")).then(function (digest) {
      var holder = kit.badges[digest];
      field.value = "";
      if (!holder) { tell("refused", "", text.refused); return; }
      var seen = read(seenKey, {});
      var name = holder.name + (holder.organisation ? " · " + holder.organisation : "") + " · " + holder.country;
      var id = concordOutbox.newId();
      var scan = { id: id, code: code, door: door ? door.value : "", at: new Date().toISOString() };
      return concordOutbox.add({
        id: id,
        url: text.syncUrl,
        body: JSON.stringify({ kit: kit.kit, device: device(), scans: [scan] }),
        type: "application/json",
        headers: { "X-CSRFToken": csrf(form), Accept: "application/json" }
      }).then(function () {
        tell(seen[digest] ? "again" : "ok", name, seen[digest] ? text.again : text.ok);
        seen[digest] = scan.at;
        localStorage.setItem(seenKey, JSON.stringify(seen));
      });
    });
  });
  showKit();
})();
