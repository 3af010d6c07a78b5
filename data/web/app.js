// phaen — a little progressive JavaScript; every page works without it.
// Toggle the budget inputs when "ไม่ใช้งบประมาณ" is ticked.
document.addEventListener('DOMContentLoaded', function () {
  var nb = document.querySelector('input[name=no_budget]');
  var budget = document.querySelector('input[name=budget]');
  if (nb && budget) {
    var sync = function () { budget.disabled = nb.checked; };
    nb.addEventListener('change', sync);
    sync();
  }
});
