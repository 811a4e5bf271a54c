// Remember the browser's time zone in a cookie, so event pages also show times in it.
// Without this script the pages show venue time and UTC (and a form to choose a zone).
(function () {
  "use strict";
  try {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone && document.cookie.indexOf("concord_tz=" + encodeURIComponent(zone)) === -1) {
      document.cookie = "concord_tz=" + encodeURIComponent(zone) + "; path=/; max-age=31536000; samesite=lax";
    }
  } catch (error) {
    // An old browser: venue time and UTC are shown.
  }
})();
