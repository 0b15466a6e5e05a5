// API Docs "Try It Out": sends the form's request with fetch from this page straight to this server (same origin, no
// proxy, no cookie: the key is the only credential) and shows the answer's status, headers and body. A docs key just
// created, or a key typed here, is kept in sessionStorage so the other endpoint pages of this tab fill it in; it goes
// when the tab closes.
(function () {
  var form = document.getElementById('try-form');
  if (!form || !window.fetch) return;
  var storageKey = 'pm_docs_key';
  var keyInput = document.getElementById('try-key');
  var send = document.getElementById('try-send');
  send.hidden = false;
  try {
    if (keyInput && keyInput.value) sessionStorage.setItem(storageKey, keyInput.value);
    else if (keyInput) keyInput.value = sessionStorage.getItem(storageKey) || '';
  } catch (e) { /* storage refused: the key is simply not remembered */ }

  function field(selector) { return Array.prototype.slice.call(form.querySelectorAll(selector)); }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var path = form.getAttribute('data-path');
    field('[data-in="path"]').forEach(function (input) {
      path = path.replace('{' + input.getAttribute('data-name') + '}', encodeURIComponent(input.value.trim()));
    });
    var query = new URLSearchParams();
    field('[data-in="query"]').forEach(function (input) {
      if (input.value.trim() !== '') query.append(input.getAttribute('data-name'), input.value.trim());
    });
    var url = path + (query.toString() ? '?' + query.toString() : '');
    var headers = { 'Accept': 'application/json' };
    if (keyInput && keyInput.value.trim()) {
      headers['Authorization'] = 'Bearer ' + keyInput.value.trim();
      try { sessionStorage.setItem(storageKey, keyInput.value.trim()); } catch (e) { /* not remembered */ }
    }
    var idempotency = document.getElementById('try-idempotency');
    if (idempotency && idempotency.value.trim()) headers['Idempotency-Key'] = idempotency.value.trim();
    var bodyInput = document.getElementById('try-body');
    var body;
    if (bodyInput && bodyInput.value.trim()) {
      headers['Content-Type'] = 'application/json';
      body = bodyInput.value;
    }
    var method = form.getAttribute('data-method');
    var started = performance.now();
    send.disabled = true;
    show('Sending ' + method + ' ' + url + '…', '', '');
    fetch(url, { method: method, headers: headers, body: body, credentials: 'omit', cache: 'no-store', redirect: 'manual' })
      .then(function (response) {
        return response.text().then(function (text) {
          var lines = [];
          response.headers.forEach(function (value, name) { lines.push(name + ': ' + value); });
          var ms = Math.round(performance.now() - started);
          show(response.status + ' ' + (response.statusText || '') + ' · ' + ms + ' ms', lines.join('\n'), pretty(text));
        });
      })
      .catch(function (error) { show('No answer: ' + error.message, '', ''); })
      .then(function () { send.disabled = false; });
  });

  function pretty(text) {
    try { return JSON.stringify(JSON.parse(text), null, 2); } catch (e) { return text; }
  }

  function show(status, headers, body) {
    var result = document.getElementById('try-result');
    result.hidden = false;
    document.getElementById('try-status').textContent = status;
    document.getElementById('try-headers').textContent = headers;
    document.getElementById('try-response-body').textContent = body;
    if (headers || body) document.getElementById('try-result-title').focus();
  }
})();
