/*
 * The admin pages' buttons: post a notice, end one, accept / dismiss a suggestion. Each sends JSON to
 * /admin/api/… (the session cookie is scoped to /admin) and reloads the page or shows the answer.
 */
(function () {
  'use strict';

  function send(url, body) {
    return fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body || {})
    }).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (data) {
        if (!res.ok) throw new Error(data.error || 'HTTP ' + res.status);
        return data;
      });
    });
  }

  function list(value) {
    return String(value || '').split(',').map(function (s) { return s.trim(); }).filter(Boolean);
  }

  function show(el, text, ok) {
    if (!el) return;
    el.textContent = text;
    el.className = 'status ' + (ok ? 'ok' : 'error');
  }

  var form = document.getElementById('notice-form');
  if (form) {
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var status = document.getElementById('notice-status');
      var f = form.elements;
      send('/admin/api/notices', {
        title: f.title.value,
        articles: list(f.articles.value),
        ends: f.ends.value ? f.ends.value + ':00Z' : '',
        units: list(f.units.value),
        body: f.body.value
      }).then(function (data) {
        show(status, 'Posted ' + data.id + '.', true);
        window.location.assign('/admin/notices');
      }, function (err) { show(status, err.message, false); });
    });
  }

  document.addEventListener('click', function (event) {
    var button = event.target.closest ? event.target.closest('button[data-id]') : null;
    if (!button) return;
    if (button.classList.contains('end-notice')) {
      button.disabled = true;
      send('/admin/api/notices/' + encodeURIComponent(button.getAttribute('data-id')) + '/end').then(
        function () { window.location.assign('/admin/notices'); },
        function (err) { button.disabled = false; button.textContent = err.message; }
      );
    } else if (button.classList.contains('suggestion-decision')) {
      var row = button.closest('tr');
      var out = document.getElementById('suggestion-result');
      button.disabled = true;
      send('/admin/api/suggestions/' + button.getAttribute('data-decision'), {
        articleId: row.getAttribute('data-article'),
        question: row.getAttribute('data-question')
      }).then(function (data) {
        row.parentNode.removeChild(row);
        show(out, data.message || 'Done.', true);
        var patch = document.getElementById('suggestion-patch');
        if (patch) {
          patch.textContent = data.patch || '';
          patch.hidden = !data.patch;
        }
        var download = document.getElementById('suggestion-download');
        if (download && data.patch) {
          download.href = 'data:text/x-diff;charset=utf-8,' + encodeURIComponent(data.patch);
          download.setAttribute('download', (data.file || 'article').replace(/[^\w.-]+/g, '_') + '.patch');
          download.hidden = false;
        }
      }, function (err) { button.disabled = false; show(out, err.message, false); });
    }
  });
})();
