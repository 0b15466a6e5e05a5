// Dates in the reader's own time zone. The server writes every instant as <time datetime="…Z" data-time="date|datetime|
// relative"> with UTC text and a "… UTC" title; this rewrites the text in the browser's zone (Intl.DateTimeFormat), puts
// the local instant before the UTC one in the title, and keeps relative times ("2 hours ago") current. Without this
// script the UTC text stays, labelled UTC.
(function () {
  var locale = /^en\b/i.test(navigator.language || '') ? navigator.language : 'en';
  var formats = {
    date: new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', day: 'numeric' }),
    datetime: new Intl.DateTimeFormat(locale, {
      year: 'numeric', month: 'long', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZoneName: 'short'
    }),
    full: new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' })
  };
  var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;

  // The rules of the server's RelativeTime, so the text does not change style when this script takes over.
  function relative(then) {
    var seconds = (Date.now() - then) / 1000;
    function ago(n, unit) { n = Math.floor(n); return n + ' ' + unit + (n === 1 ? '' : 's') + ' ago'; }
    if (seconds < 60) return 'just now';
    if (seconds < 3600) return ago(seconds / 60, 'minute');
    if (seconds < 86400) return ago(seconds / 3600, 'hour');
    if (seconds < 60 * 86400) return ago(seconds / 86400, 'day');
    return ago(seconds / (30 * 86400), 'month');
  }

  function render(root) {
    (root || document).querySelectorAll('time[datetime][data-time]').forEach(function (el) {
      var then = new Date(el.getAttribute('datetime'));
      if (isNaN(then)) return;
      var utc = el.getAttribute('data-utc') || el.getAttribute('title') || '';
      el.setAttribute('data-utc', utc);
      var style = el.getAttribute('data-time');
      el.textContent = style === 'relative' ? relative(then.getTime()) : formats[style === 'datetime' ? 'datetime' : 'date'].format(then);
      el.setAttribute('title', formats.full.format(then) + ' (' + zone + ') · ' + utc);
    });
  }

  render();
  document.addEventListener('htmx:load', function (e) { render(e.detail && e.detail.elt); });
  setInterval(function () { render(); }, 30000);
})();
