/* The signature pad page: draw, clear, submit once. Vanilla ES5-style so older in-app browsers run it. */
(function () {
  "use strict";
  var canvas = document.getElementById("pad");
  var form = document.getElementById("sign-form");
  if (!canvas || !form || !window.SignaturePad) { return; }
  var input = form.querySelector("input[name=signature]");
  var hint = document.getElementById("pad-hint");
  var empty = document.getElementById("pad-empty");
  var submit = document.getElementById("sign-submit");
  var pad = new window.SignaturePad(canvas, { minWidth: 1.2, maxWidth: 3.4, penColor: "#111111" });
  var lastWidth = 0;

  // The backing store is the CSS size times the pixel ratio, so strokes stay sharp on phones.
  // Phones fire "resize" when the address bar hides; only a width change needs a redraw.
  function resize() {
    if (canvas.offsetWidth === lastWidth) { return; }
    lastWidth = canvas.offsetWidth;
    var ratio = Math.max(window.devicePixelRatio || 1, 1);
    var strokes = pad.toData();
    canvas.width = canvas.offsetWidth * ratio;
    canvas.height = canvas.offsetHeight * ratio;
    canvas.getContext("2d").scale(ratio, ratio);
    pad.clear();
    if (strokes.length) { pad.fromData(strokes); }
  }
  window.addEventListener("resize", resize);
  resize();

  pad.addEventListener("beginStroke", function () {
    hint.hidden = true;
    empty.hidden = true;
  });
  document.getElementById("pad-clear").addEventListener("click", function () {
    pad.clear();
    hint.hidden = false;
  });
  form.addEventListener("submit", function (event) {
    if (form.getAttribute("data-sent")) { event.preventDefault(); return; }
    if (pad.isEmpty()) {
      event.preventDefault();
      empty.hidden = false;
      return;
    }
    input.value = pad.toDataURL("image/png");
    // One submission: a second tap would only be refused by the server ("already signed").
    form.setAttribute("data-sent", "1");
    submit.disabled = true;
    submit.textContent = submit.getAttribute("data-busy");
  });
}());
