// Running totals as the officer types in a savings return (savings/return_enter.html);
// without JavaScript they are on the next page.
(function () {
  var form = document.getElementById("savings-return-form");
  var totals = document.getElementById("running-totals");
  if (!form || !totals) { return; }
  var pounds = new Intl.NumberFormat("en-GB", { style: "currency", currency: "GBP" });
  function update() {
    // Delivered and forecast, cashable and not, are summed apart, as on the next page.
    var pence = { delivered_cashable: 0, delivered_non_cashable: 0, forecast_cashable: 0, forecast_non_cashable: 0 };
    form.querySelectorAll("[data-saving-row]").forEach(function (row) {
      var input = row.querySelector("input[name$='-amount']");
      var amount = input ? Math.round(parseFloat(input.value.replace(/[£,]/g, "")) * 100) : NaN;
      if (!isFinite(amount) || amount < 0) { return; }
      var status = row.querySelector("input[name$='-status']:checked");
      var cashable = row.querySelector("input[name$='-cashable']:checked");
      if (!status || !cashable) { return; }
      var key = status.value + (cashable.value === "yes" ? "_cashable" : "_non_cashable");
      if (key in pence) { pence[key] += amount; }
    });
    Object.keys(pence).forEach(function (key) {
      totals.querySelector("[data-total='" + key + "']").textContent = pounds.format(pence[key] / 100);
    });
  }
  totals.hidden = false;
  form.addEventListener("input", update);
  form.addEventListener("change", update);
  update();
})();
