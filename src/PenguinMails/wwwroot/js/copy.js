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
        // innerHTML: a label may hold a visually hidden part ("Copy<span> C# example</span>") that must come back too.
        var label = button.innerHTML;
        button.textContent = 'Copied';
        if (status) status.textContent = 'Copied to the clipboard.';
        setTimeout(function () { button.innerHTML = label; }, 2000);
      });
    });
  });
})();
