// Progressive enhancement: voting and replying in place. Every form also
// works without this file, through an ordinary POST and redirect; whenever an
// answer is not the JSON expected (an error page, a lost connection), the
// form is sent that ordinary way instead, so the reader sees the server's own
// page and message.
(function () {
  "use strict";

  function csrfToken(form) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function post(url, form, data) {
    return fetch(url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": csrfToken(form) },
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (type.indexOf("application/json") !== 0) {
        throw new Error("Not a JSON answer: " + response.status);
      }
      return response.json().then(function (body) {
        return { ok: response.ok, status: response.status, body: body };
      });
    });
  }

  function sendWithoutScript(form, submitter) {
    // Marked so that the submit listener below lets it through.
    form.setAttribute("data-plain-submit", "");
    if (submitter && form.requestSubmit) form.requestSubmit(submitter);
    else form.submit();
  }

  function firstError(body) {
    var errors = (body && body.errors) || {};
    for (var key in errors) {
      var list = errors[key];
      if (list && list.length) {
        return typeof list[0] === "string" ? list[0] : list[0].message;
      }
    }
    return document.documentElement.lang === "en"
      ? "Something went wrong."
      : "Une erreur est survenue.";
  }

  function showError(anchor, message) {
    var box = anchor.querySelector(".inline-error");
    if (!box) {
      box = document.createElement("p");
      box.className = "inline-error";
      box.setAttribute("role", "alert");
      anchor.appendChild(box);
    }
    box.textContent = message;
  }

  function clearError(anchor) {
    var box = anchor.querySelector(".inline-error");
    if (box) box.remove();
  }

  function updateVoteForm(form, result) {
    form.querySelector("[data-score]").textContent = result.score;
    form.querySelector("[data-upvotes]").textContent = result.upvotes;
    form.querySelector("[data-downvotes]").textContent = result.downvotes;
    form.querySelectorAll("button[data-vote]").forEach(function (button) {
      var direction = parseInt(button.getAttribute("data-vote"), 10);
      var pressed = result.my_vote === direction;
      button.setAttribute("aria-pressed", pressed ? "true" : "false");
      button.value = pressed ? "0" : String(direction);
    });
  }

  function vote(form, submitter) {
    var data = new FormData(form);
    if (submitter) data.set("value", submitter.value);
    post(form.action, form, data).then(
      function (result) {
        if (result.ok) {
          clearError(form);
          updateVoteForm(form, result.body);
        } else {
          showError(form, firstError(result.body));
        }
      },
      function () {
        sendWithoutScript(form, submitter);
      }
    );
  }

  function reply(form) {
    var button = form.querySelector("button[type=submit]");
    button.disabled = true;
    post(form.action, form, new FormData(form)).then(
      function (result) {
        button.disabled = false;
        if (!result.ok) {
          showError(form, firstError(result.body));
          return;
        }
        var list = form.parentElement.querySelector(":scope > ol.replies");
        if (!list) {
          list = document.createElement("ol");
          list.className = "replies";
          form.insertAdjacentElement("afterend", list);
        }
        list.insertAdjacentHTML(
          form.id === "reply-form" ? "afterbegin" : "beforeend",
          result.body.html
        );
        form.dispatchEvent(new CustomEvent("forum:reply-posted", { bubbles: true }));
        var empty = document.querySelector("#replies > li.empty");
        if (empty) empty.remove();
        if (form.id === "reply-form") {
          form.querySelector("textarea").value = "";
          clearError(form);
          form.querySelectorAll(".form-errors").forEach(function (box) {
            box.remove();
          });
        } else {
          form.remove();
        }
        var added = document.getElementById("reply-" + result.body.id);
        if (added) added.scrollIntoView({ block: "nearest" });
      },
      function () {
        button.disabled = false;
        sendWithoutScript(form);
      }
    );
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.hasAttribute("data-plain-submit")) return;
    if (form.matches("[data-vote-form]")) {
      event.preventDefault();
      vote(form, event.submitter);
    } else if (form.matches("[data-inline-reply]")) {
      event.preventDefault();
      reply(form);
    }
  });

  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-reply-link]");
    if (!link) return;
    var main = document.getElementById("reply-form");
    if (!main) return;
    event.preventDefault();
    var item = link.closest("li.reply-item");
    var details = item.querySelector(":scope > details");
    var open = details.querySelector(":scope > form[data-inline-reply]");
    if (open) {
      open.querySelector("textarea").focus();
      return;
    }
    var form = main.cloneNode(true);
    form.removeAttribute("id");
    form.querySelectorAll("[id]").forEach(function (element) {
      element.id = element.id + "-" + item.dataset.replyId;
    });
    form.querySelectorAll("label[for]").forEach(function (label) {
      label.htmlFor = label.htmlFor + "-" + item.dataset.replyId;
    });
    form.querySelectorAll("[aria-describedby]").forEach(function (element) {
      var ids = element.getAttribute("aria-describedby").split(/\s+/);
      element.setAttribute(
        "aria-describedby",
        ids
          .map(function (id) {
            return id + "-" + item.dataset.replyId;
          })
          .join(" ")
      );
    });
    form.querySelectorAll(".form-errors, .inline-error").forEach(function (box) {
      box.remove();
    });
    var parent = form.querySelector("input[name=parent]");
    if (!parent) {
      parent = document.createElement("input");
      parent.type = "hidden";
      parent.name = "parent";
      form.appendChild(parent);
    }
    parent.value = item.dataset.replyId;
    form.querySelector("textarea").value = "";
    var actions = details.querySelector(":scope > .reply-actions");
    actions.insertAdjacentElement("afterend", form);
    form.querySelector("textarea").focus();
  });

  var main = document.getElementById("reply-form");
  if (main) main.setAttribute("data-inline-reply", "");
})();
