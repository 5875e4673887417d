// Progressive enhancement of writing: a preview fetched without leaving the
// page, drafts kept in the browser until posted, "Quote" into the reply
// form, and a "Share" button beside each reply's permalink. Without this
// file, "Preview" and "Quote" open server-rendered pages and the permalink is
// a plain link.
(function () {
  "use strict";

  var DRAFT_PREFIX = "forum-draft:";
  var SENT = "forum-draft-sent";

  function storage(kind) {
    try {
      var store = window[kind];
      var probe = DRAFT_PREFIX + "probe";
      store.setItem(probe, "1");
      store.removeItem(probe);
      return store;
    } catch (error) {
      return null;
    }
  }

  var local = storage("localStorage");
  var session = storage("sessionStorage");

  function csrfToken(form) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  // Drafts ------------------------------------------------------------------

  function draftKey(form) {
    var base = form.getAttribute("data-draft");
    if (!base) return null;
    var parent = form.querySelector("input[name=parent]");
    if (base.indexOf("thread:") === 0) {
      base += ":" + (parent && parent.value ? parent.value : "0");
    }
    return DRAFT_PREFIX + base;
  }

  function restore(form) {
    var key = draftKey(form);
    if (!local || !key || form.getAttribute("data-draft-restored") === key) return;
    form.setAttribute("data-draft-restored", key);
    var area = form.querySelector("textarea[name=body]");
    // A reply form keeps the text the server sent back (a preview, an
    // error); an edit form starts from the published text, which a draft
    // of the edit replaces.
    var editing = key.indexOf(DRAFT_PREFIX + "edit:") === 0;
    if (!area || (area.value && !editing)) return;
    var saved = local.getItem(key);
    if (saved) area.value = saved;
  }

  function forget(key) {
    if (local && key) local.removeItem(key);
    if (session && session.getItem(SENT) === key) session.removeItem(SENT);
  }

  document.addEventListener("input", function (event) {
    var area = event.target;
    if (!local || !area.matches("form[data-draft] textarea[name=body]")) return;
    var key = draftKey(area.form);
    if (!key) return;
    if (area.value) local.setItem(key, area.value);
    else local.removeItem(key);
  });

  document.addEventListener("focusin", function (event) {
    if (event.target.matches("form[data-draft] textarea[name=body]")) {
      restore(event.target.form);
    }
  });

  // A submit that is not a preview may succeed: remember which draft it
  // carried, and forget the draft once the next page shows no error.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!session || !form.matches("form[data-draft]")) return;
    if (event.submitter && event.submitter.name === "preview") return;
    var key = draftKey(form);
    if (key) session.setItem(SENT, key);
  });

  // Posted in place by forum.js.
  document.addEventListener("forum:reply-posted", function (event) {
    forget(draftKey(event.target));
  });

  function settleSentDraft() {
    if (!session) return;
    var key = session.getItem(SENT);
    if (!key) return;
    var refused = document.querySelector(".form-errors, .errorlist");
    if (refused) {
      session.removeItem(SENT);
      return;
    }
    forget(key);
  }

  // Preview -------------------------------------------------------------------

  function previewBox(form, title) {
    var box = form.querySelector(":scope > [data-preview-box]");
    if (!box) {
      box = document.createElement("section");
      box.className = "preview";
      box.setAttribute("data-preview-box", "");
      box.setAttribute("aria-live", "polite");
      var heading = document.createElement("h2");
      heading.textContent = title;
      var body = document.createElement("div");
      body.className = "reply-body";
      body.setAttribute("dir", "auto");
      box.appendChild(heading);
      box.appendChild(body);
      form.appendChild(box);
    }
    return box;
  }

  function plainSubmit(form, button) {
    form.setAttribute("data-plain-submit", "");
    if (form.requestSubmit) form.requestSubmit(button);
    else form.submit();
  }

  function preview(form, button) {
    var data = new FormData();
    data.set("body", form.querySelector("textarea[name=body]").value);
    fetch(button.getAttribute("data-preview"), {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": csrfToken(form) },
    })
      .then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (type.indexOf("application/json") !== 0) throw new Error("not JSON");
        return response.json().then(function (body) {
          return { ok: response.ok, body: body };
        });
      })
      .then(
        function (result) {
          if (!result.ok) {
            plainSubmit(form, button);
            return;
          }
          var box = previewBox(form, button.textContent);
          // The server renders through the same sanitiser as a published
          // reply: this HTML is safe to insert.
          box.querySelector(".reply-body").innerHTML = result.body.html;
        },
        function () {
          plainSubmit(form, button);
        }
      );
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-preview]");
    if (!button || !button.form) return;
    event.preventDefault();
    preview(button.form, button);
  });

  // Quote -------------------------------------------------------------------

  function insertQuote(area, text) {
    var start = area.selectionStart || 0;
    var before = area.value.slice(0, start);
    if (before && !/\n\n$/.test(before)) before += before.slice(-1) === "\n" ? "\n" : "\n\n";
    area.value = before + text + area.value.slice(area.selectionEnd || start);
    var end = before.length + text.length;
    area.focus();
    area.setSelectionRange(end, end);
    area.dispatchEvent(new Event("input", { bubbles: true }));
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-quote]");
    if (!link) return;
    var main = document.getElementById("reply-form");
    if (!main) return;
    event.preventDefault();
    fetch(link.href, {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(
        function (body) {
          var area = main.querySelector("textarea[name=body]");
          restore(main);
          insertQuote(area, body.quote);
        },
        function () {
          window.location.href = link.href;
        }
      );
  });

  // Share -------------------------------------------------------------------

  function addShareButton(link) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "share link-button";
    button.textContent = link.getAttribute("data-share");
    button.addEventListener("click", function () {
      var url = new URL(link.getAttribute("href"), window.location.href).href;
      if (navigator.share) {
        navigator.share({ url: url, title: document.title }).catch(function () {});
        return;
      }
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(url).then(
          function () {
            button.textContent = link.getAttribute("data-copied");
            button.setAttribute("data-copied-url", url);
          },
          function () {
            window.location.href = url;
          }
        );
        return;
      }
      window.location.href = url;
    });
    link.insertAdjacentElement("afterend", button);
  }

  function enhance(root) {
    root.querySelectorAll("a[data-share]").forEach(function (link) {
      if (link.nextElementSibling && link.nextElementSibling.matches("button.share")) return;
      addShareButton(link);
    });
  }

  settleSentDraft();
  document.querySelectorAll("form[data-draft]").forEach(restore);
  enhance(document);
  // Replies added in place by forum.js get their button too.
  new MutationObserver(function (records) {
    records.forEach(function (record) {
      record.addedNodes.forEach(function (node) {
        if (node.nodeType === 1) enhance(node);
      });
    });
  }).observe(document.body, { childList: true, subtree: true });
})();
