/* BackCare chat widget: a small client for Rasa's socket.io channel.
 * Keeps the session id and the transcript in localStorage so a reload
 * continues the same conversation. */
(function () {
  "use strict";

  var STORAGE_KEY = "backcare.chat.v1";
  var TYPING_TIMEOUT_MS = 15000;
  var CHART_PATH = "/care/chart/";  // bot/care/links.py
  var config = window.BACKCARE_CONFIG || { socketUrl: "http://127.0.0.1:5005" };
  // The page's texts per language (bot/web/page_strings.yml, served in config.js).
  var TEXTS = config.strings || {};
  var LANGUAGES = Object.keys(TEXTS).length ? Object.keys(TEXTS) : ["en"];

  var log = document.getElementById("log");
  var form = document.getElementById("composer");
  var input = document.getElementById("message");
  var typing = document.getElementById("typing");
  var connection = document.getElementById("connection");
  var languageSwitch = document.getElementById("language-switch");

  var state = load();
  var typingTimer = null;
  var pending = [];  // messages typed before the session is confirmed

  function load() {
    try {
      var saved = JSON.parse(localStorage.getItem(STORAGE_KEY) || "null");
      if (saved && Array.isArray(saved.messages)) return saved;
    } catch (error) { /* a broken entry starts a fresh chat */ }
    return { sessionId: null, messages: [] };
  }

  // The browser's language until BackCare answers in one (or the person switches).
  function browserLanguage() {
    var preferred = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || "en"];
    for (var i = 0; i < preferred.length; i++) {
      var code = String(preferred[i] || "").slice(0, 2).toLowerCase();
      if (LANGUAGES.indexOf(code) >= 0) return code;
    }
    return "en";
  }

  function strings() { return TEXTS[state.language] || TEXTS.en || {}; }

  function setLanguage(language) {
    if (LANGUAGES.indexOf(language) < 0) return;
    state.language = language;
    save();
    var texts = strings();
    document.documentElement.lang = language;
    if (texts.page_title) document.title = texts.page_title;
    Array.prototype.forEach.call(document.querySelectorAll("[data-text]"), function (element) {
      var text = texts[element.getAttribute("data-text")];
      if (text) element.textContent = text;
    });
    Array.prototype.forEach.call(document.querySelectorAll("[data-label]"), function (element) {
      var text = texts[element.getAttribute("data-label")];
      if (text) element.setAttribute("aria-label", text);
    });
    Array.prototype.forEach.call(document.querySelectorAll("[data-placeholder]"), function (element) {
      var text = texts[element.getAttribute("data-placeholder")];
      if (text) element.setAttribute("placeholder", text);
    });
    if (languageSwitch) {
      var other = otherLanguage();
      languageSwitch.hidden = !other;
      languageSwitch.textContent = texts.switch_to || other;
      languageSwitch.setAttribute("aria-label", texts.switch_label || other);
      languageSwitch.setAttribute("lang", other || "");
    }
  }

  function otherLanguage() {
    return LANGUAGES.filter(function (code) { return code !== state.language; })[0] || null;
  }

  function save() {
    try { localStorage.setItem(STORAGE_KEY, JSON.stringify(state)); } catch (error) { /* storage full or blocked */ }
  }

  function escapeHtml(text) {
    return text.replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  // Simple markdown: **bold**, *italic*, "- " and "1. " lists, line breaks.
  function renderMarkdown(text) {
    var inline = function (line) {
      return escapeHtml(line)
        .replace(/\*\*(.+?)\*\*/g, "<strong>$1</strong>")
        .replace(/(^|[^*])\*(?!\s)(.+?)\*(?!\*)/g, "$1<em>$2</em>");
    };
    var html = [], list = null;
    text.split("\n").forEach(function (line) {
      var bullet = line.match(/^\s*[-•]\s+(.*)$/), numbered = line.match(/^\s*\d+[.)]\s+(.*)$/);
      var kind = bullet ? "ul" : numbered ? "ol" : null;
      if (list && list !== kind) { html.push("</" + list + ">"); list = null; }
      if (kind) {
        if (!list) { html.push("<" + kind + ">"); list = kind; }
        html.push("<li>" + inline((bullet || numbered)[1]) + "</li>");
      } else if (line.trim()) {
        html.push("<p>" + inline(line) + "</p>");
      }
    });
    if (list) html.push("</" + list + ">");
    return html.join("");
  }

  function scrollToEnd() { log.scrollTop = log.scrollHeight; }

  function renderMessage(message) {
    var item = document.createElement("li");
    item.className = "msg msg--" + message.from;
    if (message.image) {
      var image = document.createElement("img");
      image.src = message.image;
      image.alt = message.image.indexOf(CHART_PATH) >= 0 ? strings().pain_chart : strings().exercise_image;
      item.appendChild(image);
    } else if (message.download) {
      // A file behind a private link (the doctor's summary): the server sends it as a download.
      var link = document.createElement("a");
      link.href = message.download;
      link.className = "msg__download";
      link.rel = "noopener noreferrer";
      link.setAttribute("download", "");
      link.textContent = strings().download_summary;
      item.appendChild(link);
    } else if (message.from === "bot") {
      item.innerHTML = renderMarkdown(message.text || "");
    } else {
      item.textContent = message.text;
    }
    log.appendChild(item);
    if (message.buttons && message.buttons.length && message.buttonsActive) {
      var group = document.createElement("li");
      group.className = "quick-replies";
      group.setAttribute("aria-label", strings().suggested_replies || "Suggested replies");
      message.buttons.forEach(function (button) {
        var element = document.createElement("button");
        element.type = "button";
        element.textContent = button.title;
        element.addEventListener("click", function () {
          message.buttonsActive = false;
          group.remove();
          send(button.payload, button.title);
        });
        group.appendChild(element);
      });
      log.appendChild(group);
    }
    scrollToEnd();
  }

  function addMessage(message) {
    state.messages.forEach(function (old) { old.buttonsActive = false; });
    Array.prototype.slice.call(log.querySelectorAll(".quick-replies")).forEach(function (g) { g.remove(); });
    state.messages.push(message);
    save();
    renderMessage(message);
  }

  function setTyping(on) {
    typing.hidden = !on;
    clearTimeout(typingTimer);
    if (on) typingTimer = setTimeout(function () { typing.hidden = true; }, TYPING_TIMEOUT_MS);
  }

  function setConnection(text) {
    connection.hidden = !text;
    connection.textContent = text || "";
  }

  // config.js lists ["websocket"] alone when Rasa runs as replicas without sticky
  // sessions (python -m bot.web --websocket-only): long-polling would spread one
  // session's requests over replicas that do not know it.
  var transports = Array.isArray(config.transports) && config.transports.length ? config.transports : ["websocket", "polling"];
  var socket = io(config.socketUrl, { path: "/socket.io", transports: transports });

  socket.on("connect", function () {
    setConnection("");
    socket.emit("session_request", { session_id: state.sessionId });
  });
  socket.on("session_confirm", function (sessionId) {
    var confirmed = typeof sessionId === "string" ? sessionId : (sessionId && sessionId.session_id) || state.sessionId;
    if (state.sessionId && confirmed !== state.sessionId) {
      // The server did not know the stored session (expired or from an older
      // version): its conversation starts afresh, and so does the transcript.
      state.messages = [];
      log.innerHTML = "";
    }
    state.sessionId = confirmed;
    save();
    while (pending.length) emitMessage(pending.shift());
  });
  socket.on("disconnect", function () { setConnection(strings().connection_lost); });
  socket.io.on("reconnect_attempt", function () { setConnection(strings().connection_lost); });
  socket.on("connect_error", function () { setConnection(strings().cannot_reach); });

  socket.on("bot_uttered", function (data) {
    setTyping(false);
    // BackCare says which language it answered in (bot/channels/socketio.py): the page follows.
    if (data.text && data.language && data.language !== state.language) setLanguage(data.language);
    if (data.text) {
      var buttons = (data.quick_replies || data.buttons || []).map(function (b) {
        return { title: b.title, payload: b.payload };
      });
      addMessage({ from: "bot", text: data.text, buttons: buttons, buttonsActive: buttons.length > 0 });
    }
    var attachment = data.attachment;
    if (attachment && attachment.type === "image" && attachment.payload && attachment.payload.src) {
      addMessage({ from: "bot", image: attachment.payload.src });
    } else if (typeof attachment === "string" && /^https?:\/\//i.test(attachment)) {
      // Rasa sends an action's `attachment=<url>` as the bare URL.
      addMessage({ from: "bot", download: attachment });
    }
  });

  function send(payload, shown) {
    if (!payload || !payload.trim()) return;
    addMessage({ from: "user", text: shown || payload });
    setTyping(true);
    if (state.sessionId && socket.connected) emitMessage(payload); else pending.push(payload);
    input.focus();
  }

  function emitMessage(payload) {
    // The page's language is a hint for a person new to BackCare (actions/session.py).
    socket.emit("user_uttered", { message: payload, session_id: state.sessionId, metadata: { language: state.language } });
  }

  if (languageSwitch) {
    languageSwitch.addEventListener("click", function () {
      var other = otherLanguage();
      if (!other) return;
      var label = languageSwitch.textContent;
      setLanguage(other);
      send('/switch_language{"language": "' + other + '"}', label);
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value;
    input.value = "";
    send(text);
  });

  setLanguage(state.language || browserLanguage());
  state.messages.forEach(renderMessage);
  input.focus();
})();
