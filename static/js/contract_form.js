// Live statutory findings while the contract form is filled in. Progressive
// enhancement: without JS the "检查" button does the same round trip.
(function () {
  "use strict";
  var form = document.getElementById("contract-form");
  if (!form) return;
  var box = document.getElementById("findings");
  var url = form.getAttribute("data-check-url");
  var timer = null;
  var seq = 0;

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text) node.textContent = text; // textContent: server text is never parsed as HTML
    return node;
  }

  var summary = document.getElementById("findings-summary");

  function summarise(findings) {
    if (!summary) return;
    var e = findings.filter(function (f) { return f.level === "error"; }).length;
    var w = findings.length - e;
    summary.textContent = findings.length ? summary.dataset.template.replace("{e}", e).replace("{w}", w)
                                          : summary.dataset.clean;
    summary.className = "summary" + (e ? " has-errors" : w ? " has-warnings" : " clean");
  }

  function render(data) {
    if (data.ok) summarise(data.findings);
    var title = box.querySelector("h2");
    box.textContent = "";
    box.appendChild(title);
    if (!data.ok) {
      box.appendChild(el("p", "muted", box.dataset.incomplete || "请先完整、正确地填写表单。"));
      return;
    }
    if (!data.findings.length) {
      box.appendChild(el("p", "ok", box.dataset.clean || "未发现违反法定要求的问题。"));
      return;
    }
    var ul = el("ul");
    data.findings.forEach(function (f) {
      var li = el("li", "finding " + f.level);
      li.setAttribute("data-rule", f.rule);
      li.appendChild(el("strong", null, f.level === "error" ? (box.dataset.errorLabel || "错误") : (box.dataset.warningLabel || "提示")));
      li.appendChild(document.createTextNode(" " + f.text + " "));
      li.appendChild(el("span", "cite", f.article));
      ul.appendChild(li);
    });
    box.appendChild(ul);
  }

  function check() {
    var mine = ++seq;
    var body = new FormData(form);
    body.delete("action");
    fetch(url, { method: "POST", body: body, credentials: "same-origin",
                 headers: { "X-Requested-With": "fetch" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data && mine === seq) render(data); })
      .catch(function () { /* offline: the 检查 button still works */ });
  }

  function schedule() { clearTimeout(timer); timer = setTimeout(check, 400); }
  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);

  // Dispatch fields only matter for the dispatch model text.
  var modelText = form.querySelector("select[name=model_text]");
  var dispatchBox = form.querySelector(".dispatch-only");
  function toggleDispatch() {
    if (!dispatchBox) return;
    var type = form.getAttribute("data-contract-type");
    if (modelText) {
      var opt = modelText.options[modelText.selectedIndex];
      type = opt ? opt.getAttribute("data-type") || opt.text : "";
    }
    dispatchBox.hidden = !(type && (type.indexOf("dispatch") >= 0 || type.indexOf("派遣") >= 0));
  }
  if (modelText) modelText.addEventListener("change", toggleDispatch);
  toggleDispatch();
})();
