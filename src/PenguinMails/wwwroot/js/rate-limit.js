// "Resets in 42 seconds" counts down each second between the card's 5-second refreshes (htmx replaces the card, and
// with it the data-countdown value, from the server). Not a live region: a screen reader would hear every tick.
(function () {
  setInterval(function () {
    document.querySelectorAll('[data-countdown]').forEach(function (el) {
      var left = parseInt(el.getAttribute('data-countdown'), 10) - 1;
      if (isNaN(left) || left < 0) return;
      el.setAttribute('data-countdown', String(left));
      el.textContent = left === 0 ? 'Nothing in use: the whole allowance is available'
        : left === 1 ? 'Resets in 1 second' : 'Resets in ' + left + ' seconds';
    });
  }, 1000);
})();
