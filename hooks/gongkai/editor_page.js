// gongkai's additions to Decap CMS: the 索引号 issued on save, and the check's verdict.
(function () {
  "use strict";
  var API = "/api/v1";
  var FILE_NAME_FIELD = "gongkai_file";
  var panel = document.getElementById("gongkai-check");

  function call(action, params) {
    return fetch(API, {
      method: "POST",
      headers: { "Content-Type": "application/json; charset=utf-8" },
      body: JSON.stringify({ action: action, params: params }),
    }).then(function (response) {
      return response.json().then(function (answer) {
        if (!response.ok) throw new Error(answer.error);
        return answer;
      });
    });
  }

  // Before Decap writes the file: an empty 索引号 gets the register's next number (as
  // `gongkai new` gives it), and a new entry the file name `gongkai new` would give it.
  CMS.registerEventListener({
    name: "preSave",
    handler: function (event) {
      var entry = event.entry;
      var data = entry.get("data");
      var isNew = Boolean(entry.get("newRecord"));
      var indexNo = (data.get("index_no") || "").trim();
      if (indexNo && !isNew) return data;
      return call("gongkaiIssueIndexNo", {
        collection: entry.get("collection"),
        path: isNew ? null : entry.get("path"),
        date: data.get("date"),
        title: data.get("title"),
        index_no: indexNo || null,
      }).then(function (issued) {
        data = data.set("index_no", issued.index_no);
        return isNew ? data.set(FILE_NAME_FIELD, issued.file) : data;
      });
    },
  });

  function element(tag, text, className) {
    var node = document.createElement(tag);
    if (text) node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  function list(title, items) {
    var fragment = document.createDocumentFragment();
    if (!items || !items.length) return fragment;
    fragment.appendChild(element("p", title));
    var ul = element("ul");
    items.forEach(function (item) { ul.appendChild(element("li", item)); });
    fragment.appendChild(ul);
    return fragment;
  }

  function show(result) {
    panel.replaceChildren();
    panel.appendChild(element("h2", "检查结果"));
    panel.appendChild(element("p", result.verdict, result.passed ? "passed" : "failed"));
    if (result.status) panel.appendChild(element("p", "状态：" + result.status));
    panel.appendChild(list("", result.messages));
    panel.appendChild(list("提醒：", result.reminders));
    panel.appendChild(list("依法公开的个人信息（仅作记录）：", result.notes));
    if (result.preview) {
      var link = element("a", "在预览网站中查看本页");
      link.href = result.preview;
      link.target = "gongkai-preview";
      panel.appendChild(element("p")).appendChild(link);
    }
    panel.hidden = false;
  }

  var ENTRY_ROUTE = /^#\/collections\/([^/]+)\/entries\/([^/?]+)/;

  function refresh() {
    var match = ENTRY_ROUTE.exec(location.hash);
    if (!match) {
      panel.hidden = true;
      return;
    }
    var query = "collection=" + encodeURIComponent(match[1]) +
      "&slug=" + encodeURIComponent(decodeURIComponent(match[2]));
    fetch("/api/check?" + query).then(function (response) {
      return response.json();
    }).then(function (result) {
      if (result.error) {
        show({ verdict: result.error, passed: false, messages: [] });
      } else if (ENTRY_ROUTE.exec(location.hash)) {
        show(result);
      }
    });
  }

  window.addEventListener("hashchange", refresh);
  CMS.registerEventListener({ name: "postSave", handler: function () { refresh(); } });
  refresh();
})();
