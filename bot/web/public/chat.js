/*
 * Elbow's local try-out web chat. Posts Bot Framework activities to /api/messages with
 * deliveryMode "expectReplies" and renders the replies: text, and Adaptive Cards with the
 * locally served renderer (window.AdaptiveCards). Card buttons post the card's data as `value`.
 * No inline scripts or styles: the page runs under CSP script-src 'self'; style-src 'self'.
 */
(function () {
  'use strict';

  var CARD_TYPE = 'application/vnd.microsoft.card.adaptive';
  var transcript = document.getElementById('transcript');
  var form = document.getElementById('composer');
  var input = document.getElementById('message');
  var restart = document.getElementById('restart');
  if (!transcript || !form || !input) return;

  function randomId() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join('');
  }

  function stored(storage, key, make) {
    var value = null;
    try { value = storage.getItem(key); } catch (e) { /* storage disabled: use a fresh id */ }
    if (!value) {
      value = make();
      try { storage.setItem(key, value); } catch (e) { /* ignore */ }
    }
    return value;
  }

  // A stable random user id per browser; a conversation per tab (new one on "Start a new conversation").
  var user = { id: stored(window.localStorage, 'elbow.userId', function () { return 'webchat-user-' + randomId(); }), name: 'Web chat user' };
  var bot = { id: 'elbow-bot', name: 'Elbow' };
  var conversationId = stored(window.sessionStorage, 'elbow.conversationId', function () { return 'webchat-' + randomId(); });

  // ---- rendering -------------------------------------------------------------------------

  function scrollDown() {
    transcript.scrollTop = transcript.scrollHeight;
  }

  function safeUrl(url) {
    try {
      var parsed = new URL(url, window.location.href);
      return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
    } catch (e) {
      return null;
    }
  }

  /** Appends text with **bold**, [links](url), bare URLs and line breaks as DOM nodes (never innerHTML). */
  function appendRichText(parent, text) {
    var lines = String(text).split('\n');
    lines.forEach(function (line, i) {
      if (i > 0) parent.appendChild(document.createElement('br'));
      var pattern = /\*\*([^*]+)\*\*|\[([^\]]+)\]\(([^)\s]+)\)|(https?:\/\/[^\s)]+)/g;
      var last = 0;
      var match;
      while ((match = pattern.exec(line)) !== null) {
        if (match.index > last) parent.appendChild(document.createTextNode(line.slice(last, match.index)));
        if (match[1] !== undefined) {
          var strong = document.createElement('strong');
          strong.textContent = match[1];
          parent.appendChild(strong);
        } else {
          var href = safeUrl(match[3] || match[4]);
          if (href) {
            var a = document.createElement('a');
            a.href = href;
            a.textContent = match[2] || match[4];
            a.target = '_blank';
            a.rel = 'noopener noreferrer';
            parent.appendChild(a);
          } else {
            parent.appendChild(document.createTextNode(match[0]));
          }
        }
        last = pattern.lastIndex;
      }
      if (last < line.length) parent.appendChild(document.createTextNode(line.slice(last)));
    });
  }

  function bubble(from, className) {
    var row = document.createElement('div');
    row.className = 'msg ' + from + (className ? ' ' + className : '');
    var inner = document.createElement('div');
    inner.className = 'bubble';
    row.appendChild(inner);
    transcript.appendChild(row);
    return inner;
  }

  function say(from, text, className) {
    appendRichText(bubble(from, className), text);
    scrollDown();
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }

  /** Markdown for card text blocks: escaped first, then list bullets, **bold**, _italic_, [links](url), line breaks. */
  function cardMarkdown(text) {
    return escapeHtml(text)
      .replace(/^[ \t]*[-*][ \t]+/gm, '\u2022 ')
      .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
      .replace(/(^|\s)_([^_]+)_(?=\s|$)/g, '$1<em>$2</em>')
      .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, function (m, label, url) {
        var href = safeUrl(url.replace(/&amp;/g, '&'));
        return href ? '<a href="' + escapeHtml(href) + '" target="_blank" rel="noopener noreferrer">' + label + '</a>' : m;
      })
      .replace(/\n/g, '<br>');
  }

  function openUrl(url) {
    var href = safeUrl(url);
    if (href) window.open(href, '_blank', 'noopener');
  }

  /** Card look: the page's font, slightly larger text. Falls back to the renderer's defaults if rejected. */
  function makeHostConfig() {
    try {
      return new window.AdaptiveCards.HostConfig({
        fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
        fontSizes: { small: 13, default: 15, medium: 17, large: 21, extraLarge: 26 }
      });
    } catch (e) {
      return null;
    }
  }
  var hostConfig = window.AdaptiveCards ? makeHostConfig() : null;

  function renderCard(content) {
    var AC = window.AdaptiveCards;
    var holder = bubble('bot', 'card');
    if (!AC) {
      holder.textContent = '(This reply is a card, but the card renderer did not load.)';
      return;
    }
    var card = new AC.AdaptiveCard();
    if (hostConfig) card.hostConfig = hostConfig;
    card.onExecuteAction = function (action) {
      if (action instanceof AC.OpenUrlAction) {
        openUrl(action.url);
      } else if (action instanceof AC.SubmitAction || (action.getJsonTypeName && action.getJsonTypeName() === 'Action.Execute')) {
        say('user', action.title || 'OK');
        send({ value: action.data });
      }
    };
    try {
      card.parse(content);
      var element = card.render();
      if (element) holder.appendChild(element);
    } catch (e) {
      holder.textContent = '(This card could not be shown.)';
    }
    scrollDown();
  }

  function renderActivity(activity) {
    if (!activity || typeof activity !== 'object') return;
    if (activity.type === 'event' && activity.name === 'handoff.initiate') {
      say('system', 'Handing over to a person from the help desk.');
      return;
    }
    if (activity.type !== 'message') return;
    if (typeof activity.text === 'string' && activity.text.trim()) say('bot', activity.text);
    (activity.attachments || []).forEach(function (attachment) {
      if (attachment && attachment.contentType === CARD_TYPE) renderCard(attachment.content);
    });
  }

  // ---- talking to the bot ----------------------------------------------------------------

  var queue = Promise.resolve();

  function post(fields) {
    var activity = Object.assign(
      {
        type: 'message',
        id: 'webchat-' + randomId(),
        channelId: 'webchat',
        serviceUrl: window.location.origin,
        timestamp: new Date().toISOString(),
        locale: navigator.language || 'en-US',
        from: user,
        recipient: bot,
        conversation: { id: conversationId, conversationType: 'personal' },
        deliveryMode: 'expectReplies'
      },
      fields
    );
    var typing = bubble('bot', 'typing');
    typing.textContent = 'Elbow is typing…';
    transcript.setAttribute('aria-busy', 'true');
    return fetch('/api/messages', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      credentials: 'same-origin',
      body: JSON.stringify(activity)
    })
      .then(function (res) {
        if (!res.ok) throw new Error('HTTP ' + res.status);
        return res.status === 200 ? res.json().catch(function () { return {}; }) : {};
      })
      .then(function (body) {
        typing.parentNode.remove();
        (body.activities || []).forEach(renderActivity);
      })
      .catch(function (err) {
        typing.parentNode.remove();
        say('system', 'Elbow could not be reached (' + err.message + '). Try again in a moment.', 'error');
      })
      .then(function () {
        transcript.removeAttribute('aria-busy');
      });
  }

  /** Sends in order: each activity waits for the previous replies. */
  function send(fields) {
    queue = queue.then(function () { return post(fields); });
    return queue;
  }

  window.AdaptiveCards && (window.AdaptiveCards.AdaptiveCard.onProcessMarkdown = function (text, result) {
    result.outputHtml = cardMarkdown(text);
    result.didProcess = true;
  });

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) return;
    input.value = '';
    say('user', text);
    send({ text: text, textFormat: 'plain' });
  });

  if (restart) {
    restart.addEventListener('click', function () {
      try { window.sessionStorage.removeItem('elbow.conversationId'); } catch (e) { /* ignore */ }
      window.location.reload();
    });
  }

  // A new conversation: let the bot greet us, as Teams does when the app is opened.
  var greetedKey = 'elbow.greeted.' + conversationId;
  var greeted = false;
  try { greeted = window.sessionStorage.getItem(greetedKey) === '1'; } catch (e) { /* ignore */ }
  if (!greeted) {
    try { window.sessionStorage.setItem(greetedKey, '1'); } catch (e) { /* ignore */ }
    send({ type: 'conversationUpdate', membersAdded: [{ id: bot.id, name: bot.name }, user] });
  }

  // Messages Elbow sends later (a help-desk update on a ticket) wait on the server until picked up here.
  function pollUpdates() {
    if (document.visibilityState === 'hidden') return;
    fetch('/chat/api/updates?conversationId=' + encodeURIComponent(conversationId), { credentials: 'same-origin' })
      .then(function (res) { return res.ok ? res.json() : {}; })
      .then(function (body) { (body.activities || []).forEach(renderActivity); })
      .catch(function () { /* offline for a moment: try again at the next tick */ });
  }
  window.setInterval(pollUpdates, 5000);

  var prefill = new URL(window.location.href).searchParams.get('q');
  // Cut on code points: half an emoji is not text.
  if (prefill) input.value = Array.from(prefill).slice(0, 1000).join('').slice(0, 1000).replace(/[\uD800-\uDBFF]$/, '');
  input.focus();
})();
