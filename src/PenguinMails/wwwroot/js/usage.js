// The usage page's charts (Chart.js, vendored) and its custom range's time zone. Each <canvas data-chart="id"> reads
// its data from the <script type="application/json" id="id"> block beside it (shape: UsageCharts.cs); times are UTC
// instants, labelled here in the browser's own zone. Hovering shows every line's exact value at that point; a click on
// a point (or a slice) opens its request log, as the "Show as table" rows' links do for keyboard users.
(function () {
  var locale = /^en\b/i.test(navigator.language || '') ? navigator.language : 'en';
  var zone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  var stepFormats = {
    minute: { hour: 'numeric', minute: '2-digit' },
    hour: { month: 'short', day: 'numeric', hour: 'numeric' },
    day: { month: 'short', day: 'numeric' }
  };

  // A custom range's fields hold local times: tell the server which zone, converting values it wrote in UTC.
  document.querySelectorAll('input[data-usage-tz]').forEach(function (tz) {
    if (tz.value) return;
    tz.value = zone;
    tz.form.querySelectorAll('input[type="datetime-local"]').forEach(function (input) {
      var utc = new Date(input.value + ':00Z');
      if (!input.value || isNaN(utc)) return;
      var local = new Date(utc.getTime() - utc.getTimezoneOffset() * 60000);
      input.value = local.toISOString().slice(0, 16);
    });
    tz.form.querySelectorAll('[data-usage-zone]').forEach(function (el) { el.textContent = '(times in ' + zone + ')'; });
  });

  if (typeof Chart === 'undefined') return;
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.color = '#495057';

  function open(chart, elements, data) {
    if (!elements.length) return;
    var point = data.points[elements[0].index];
    if (point && point.href) window.location.assign(point.href);
  }

  function line(canvas, data) {
    var format = new Intl.DateTimeFormat(locale, stepFormats[data.step] || stepFormats.hour);
    return new Chart(canvas, {
      type: 'line',
      data: {
        labels: data.points.map(function (p) { return format.format(new Date(p.t)); }),
        datasets: data.series.map(function (s) {
          return {
            label: s.label, data: s.values, borderColor: s.color, backgroundColor: s.color, borderDash: s.dash,
            borderWidth: 2, pointRadius: s.threshold || data.points.length > 60 ? 0 : 2, pointHitRadius: s.threshold ? 0 : 8,
            tension: s.threshold ? 0 : 0.2
          };
        })
      },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        interaction: { mode: 'index', intersect: false },
        scales: {
          x: { title: { display: true, text: 'Time (' + zone + ')' }, ticks: { maxRotation: 0, autoSkip: true, maxTicksLimit: 8 } },
          y: { beginAtZero: true, title: { display: true, text: data.y }, ticks: { precision: 0 } }
        },
        plugins: { legend: { labels: { usePointStyle: false, boxHeight: 2 } } },
        onClick: function (event, elements, chart) { open(chart, elements, data); },
        onHover: function (event, elements) { event.native.target.style.cursor = elements.length ? 'pointer' : 'default'; }
      }
    });
  }

  function pie(canvas, data) {
    var s = data.series[0];
    return new Chart(canvas, {
      type: 'pie',
      data: { labels: data.labels, datasets: [{ label: s.label, data: s.values, backgroundColor: s.colors, borderColor: '#fff' }] },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        plugins: { legend: { position: 'bottom' } },
        onClick: function (event, elements, chart) { open(chart, elements, data); },
        onHover: function (event, elements) { event.native.target.style.cursor = elements.length ? 'pointer' : 'default'; }
      }
    });
  }

  document.querySelectorAll('canvas[data-chart]').forEach(function (canvas) {
    var block = document.getElementById(canvas.getAttribute('data-chart'));
    if (!block) return;
    var data = JSON.parse(block.textContent);
    if (data.kind === 'pie') pie(canvas, data); else line(canvas, data);
  });
})();
