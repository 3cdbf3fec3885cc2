/*
 * Elbow's embeddable chat: <script src="https://elbow.example.org/embed.js" data-token-url="/your-backend/token"></script>
 * adds a launcher button and a chat panel running Microsoft's Web Chat (served by Elbow, no CDN) over Elbow's
 * Direct Line. The token comes from the host page's own backend (POST data-token-url, same-origin cookies), which
 * calls Elbow's /v3/directline/tokens/generate with the site secret and the signed-in user's id and role.
 * Strict-CSP friendly: no inline scripts or styles; a nonce on this script tag is passed on to Web Chat's styles.
 */
(function () {
  'use strict';
  var script = document.currentScript;
  if (!script || window.__elbowEmbed) return;
  window.__elbowEmbed = true;
  var base = new URL(script.src, document.baseURI).origin;
  var tokenUrl = script.getAttribute('data-token-url');
  var title = script.getAttribute('data-title') || 'Ask Elbow';
  var nonce = script.nonce || script.getAttribute('nonce') || undefined;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  var css = el('link');
  css.rel = 'stylesheet';
  css.href = base + '/static/embed.css';
  document.head.appendChild(css);

  var launcher = el('button', 'elbow-launcher', title);
  launcher.type = 'button';
  launcher.setAttribute('aria-expanded', 'false');
  launcher.setAttribute('aria-controls', 'elbow-panel');
  var panel = el('section', 'elbow-panel');
  panel.id = 'elbow-panel';
  panel.hidden = true;
  panel.setAttribute('aria-label', title);
  var header = el('header', 'elbow-panel-header');
  header.appendChild(el('h2', 'elbow-panel-title', title));
  var close = el('button', 'elbow-close', '\u00d7');
  close.type = 'button';
  close.setAttribute('aria-label', 'Close');
  header.appendChild(close);
  var status = el('p', 'elbow-status', 'Connecting\u2026');
  status.setAttribute('role', 'status');
  var chat = el('div', 'elbow-webchat');
  panel.appendChild(header);
  panel.appendChild(status);
  panel.appendChild(chat);

  function mount() {
    document.body.appendChild(panel);
    document.body.appendChild(launcher);
  }
  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount);

  function loadWebChat() {
    if (window.WebChat) return Promise.resolve(window.WebChat);
    return new Promise(function (resolve, reject) {
      var tag = el('script');
      tag.src = base + '/static/vendor/webchat.js';
      if (nonce) tag.nonce = nonce;
      tag.onload = function () { resolve(window.WebChat); };
      tag.onerror = function () { reject(new Error('Web Chat did not load')); };
      document.head.appendChild(tag);
    });
  }

  function fetchToken() {
    if (!tokenUrl) return Promise.reject(new Error('data-token-url is missing'));
    return fetch(tokenUrl, { method: 'POST', credentials: 'same-origin', headers: { Accept: 'application/json' } }).then(function (res) {
      if (!res.ok) throw new Error('token request failed: ' + res.status);
      return res.json();
    });
  }

  var started = false;
  function start() {
    started = true;
    Promise.all([loadWebChat(), fetchToken()])
      .then(function (results) {
        var WebChat = results[0];
        var directLine = WebChat.createDirectLine({ token: results[1].token, domain: base + '/v3/directline' });
        WebChat.renderWebChat({ directLine: directLine, nonce: nonce, locale: document.documentElement.lang || 'en-US' }, chat);
        status.textContent = '';
        status.hidden = true;
      })
      .catch(function () {
        started = false;
        status.textContent = 'Elbow is not available right now. Please try again, or call the help desk.';
      });
  }

  function toggle(open) {
    panel.hidden = !open;
    launcher.setAttribute('aria-expanded', String(open));
    if (open && !started) start();
    if (open) panel.focus();
  }
  panel.tabIndex = -1;
  launcher.addEventListener('click', function () { toggle(panel.hidden); });
  close.addEventListener('click', function () { toggle(false); launcher.focus(); });
})();
