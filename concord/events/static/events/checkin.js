// The check-in page: a live count, and scanning badges with the camera where the browser
// has a BarcodeDetector. Typing the code works without this script.
(function () {
  "use strict";
  var count = document.getElementById("live-count");
  if (count && window.fetch) {
    var refresh = function () {
      fetch(count.dataset.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (!data) { return; }
          // The count as the server writes it in the page's language ("1 234").
          var shown = data.checked_in_shown || String(data.checked_in);
          var strong = count.querySelector("strong");
          if (strong && strong.textContent !== shown) {
            strong.textContent = shown;
          }
        })
        .catch(function () {});
    };
    window.setInterval(refresh, 5000);
  }

  var button = document.getElementById("scan-button");
  var video = document.getElementById("scan-video");
  var form = document.getElementById("checkin-form");
  if (!button || !video || !form || !("BarcodeDetector" in window) || !navigator.mediaDevices) {
    return;
  }
  button.hidden = false;
  button.addEventListener("click", function () {
    var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (stream) {
      video.srcObject = stream;
      video.hidden = false;
      video.play();
      var look = function () {
        detector.detect(video).then(function (codes) {
          if (codes.length) {
            stream.getTracks().forEach(function (track) { track.stop(); });
            form.querySelector("[name=code]").value = codes[0].rawValue;
            form.submit();
          } else {
            window.requestAnimationFrame(look);
          }
        }).catch(function () { window.requestAnimationFrame(look); });
      };
      look();
    }).catch(function () {
      button.hidden = true;
    });
  });
})();
