// Copy buttons: <button data-copy-target="ID"> copies the value (or text) of element ID. Hidden until this script runs,
// so a page without JavaScript (or without the Clipboard API) shows no button that cannot work.
(function () {
  if (!navigator.clipboard) return;
  document.querySelectorAll('[data-copy-target]').forEach(function (button) {
    button.hidden = false;
    button.addEventListener('click', function () {
      var target = document.getElementById(button.getAttribute('data-copy-target'));
      var text = target.value !== undefined && target.tagName === 'INPUT' ? target.value : target.textContent;
      navigator.clipboard.writeText(text.trim()).then(function () {
        var status = document.querySelector('[data-copy-status="' + button.getAttribute('data-copy-target') + '"]') ||
          document.querySelector('[data-copy-status=""]');
        var label = button.textContent;
        button.textContent = 'Copied';
        if (status) status.textContent = 'Copied to the clipboard.';
        setTimeout(function () { button.textContent = label; }, 2000);
      });
    });
  });
})();
