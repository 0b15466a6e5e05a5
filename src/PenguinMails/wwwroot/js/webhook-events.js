// The webhook endpoint form's event picker: "All events" and ticked boxes never disagree. Ticking a box chooses
// "Only the events ticked below"; choosing "All events" unticks the boxes (kept in mind, and ticked again if
// "Only the events ticked below" is chosen before any other box). Without this script the server refuses the mix.
(function () {
  var all = document.getElementById('wh-scope-all');
  var selected = document.getElementById('wh-scope-selected');
  if (!all || !selected) return;
  var boxes = Array.prototype.slice.call(document.querySelectorAll('input[type=checkbox][name="Draft.Events"]'));
  var remembered = [];
  boxes.forEach(function (box) {
    box.addEventListener('change', function () {
      if (box.checked && all.checked) {
        selected.checked = true;
      }
      remembered = [];
    });
  });
  all.addEventListener('change', function () {
    if (!all.checked) return;
    remembered = boxes.filter(function (box) { return box.checked; });
    remembered.forEach(function (box) { box.checked = false; });
  });
  selected.addEventListener('change', function () {
    if (selected.checked && !boxes.some(function (box) { return box.checked; })) {
      remembered.forEach(function (box) { box.checked = true; });
    }
  });
})();
