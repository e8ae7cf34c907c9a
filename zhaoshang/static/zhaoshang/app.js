// Small helpers shared by every page. No build step.
document.addEventListener("htmx:responseError", function (evt) {
  var box = document.getElementById("zs-htmx-error");
  if (!box) {
    box = document.createElement("div");
    box.id = "zs-htmx-error";
    box.className = "alert alert-danger position-fixed bottom-0 end-0 m-3";
    box.setAttribute("role", "alert");
    document.body.appendChild(box);
  }
  var status = evt.detail.xhr.status;
  box.textContent = status === 403 ? "没有权限执行此操作。" : (status === 404 ? "记录不存在或无权查看。" : "操作失败，请稍后重试（" + status + "）。");
  setTimeout(function () { box.remove(); }, 6000);
});

// Forms answered with 422 (errors to show next to the fields) are swapped in like any
// other answer; other 4xx/5xx answers show the error box above.
if (window.htmx) {
  htmx.config.responseHandling = [
    {code: "204", swap: false},
    {code: "[23]..", swap: true},
    {code: "422", swap: true},
    {code: "[45]..", swap: false, error: true},
    {code: "...", swap: false}
  ];
}

// No inline handlers (the Content-Security-Policy allows no inline script): a button or
// form with data-confirm asks first, a select with data-autosubmit submits its form, a
// button with data-print prints the page.
document.addEventListener("click", function (e) {
  var asking = e.target.closest("button[data-confirm], a[data-confirm], input[data-confirm]");
  if (asking && !window.confirm(asking.dataset.confirm)) {
    e.preventDefault();
    e.stopImmediatePropagation();
    return;
  }
  if (e.target.closest("[data-print]")) { window.print(); }
}, true);
document.addEventListener("submit", function (e) {
  var form = e.target;
  if (form.matches("form[data-confirm]") && !window.confirm(form.dataset.confirm)) {
    e.preventDefault();
    e.stopImmediatePropagation();
  }
}, true);
document.addEventListener("change", function (e) {
  if (e.target.matches("select[data-autosubmit]") && e.target.form) { e.target.form.submit(); }
});
