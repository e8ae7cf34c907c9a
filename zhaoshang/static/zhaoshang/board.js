// The kanban board: drag a card to another column, or press its button, to open the stage form.
(function () {
  var dialogEl = document.getElementById("zs-dialog");
  var dialog = bootstrap.Modal.getOrCreateInstance(dialogEl);
  document.body.addEventListener("htmx:afterSwap", function (evt) {
    if (evt.detail.target.id === "zs-dialog-body") {
      dialog.show();
      var first = dialogEl.querySelector("input[type=date]");
      if (first) { setTimeout(function () { first.focus(); }, 200); }
    }
  });
  var dragged = null;
  document.querySelectorAll(".zs-card").forEach(function (card) {
    card.addEventListener("dragstart", function (e) {
      dragged = card;
      e.dataTransfer.effectAllowed = "move";
      e.dataTransfer.setData("text/plain", card.dataset.project);
    });
    card.addEventListener("dragend", function () { dragged = null; });
  });
  function openStageForm(id, stage) {
    htmx.ajax("GET", "/projects/" + id + "/stage/" + (stage ? "?to=" + encodeURIComponent(stage) : ""), {target: "#zs-dialog-body"});
  }
  document.getElementById("zs-board").addEventListener("click", function (e) {
    var button = e.target.closest(".zs-move");
    if (button) { openStageForm(button.dataset.project, null); }
  });
  document.querySelectorAll(".zs-board-col").forEach(function (col) {
    col.addEventListener("dragover", function (e) { e.preventDefault(); col.classList.add("zs-drop-over"); });
    col.addEventListener("dragleave", function () { col.classList.remove("zs-drop-over"); });
    col.addEventListener("drop", function (e) {
      e.preventDefault();
      col.classList.remove("zs-drop-over");
      var id = (dragged && dragged.dataset.project) || e.dataTransfer.getData("text/plain");
      var from = dragged ? dragged.dataset.stage : null;
      if (!id || from === col.dataset.stage) { return; }
      openStageForm(id, col.dataset.stage);
    });
  });
})();
