/*
 * Draws the analysts' dashboard charts with the locally served Chart.js (window.Chart).
 * The data comes from <script type="application/json" id="dashboard-data"> on the page.
 */
(function () {
  'use strict';

  var dataElement = document.getElementById('dashboard-data');
  if (!dataElement || !window.Chart) return;
  var data;
  try {
    data = JSON.parse(dataElement.textContent || '{}');
  } catch (e) {
    return;
  }
  var series = data.series || {};
  var days = (series.days || []).map(function (d) { return d.slice(5); });

  var COLORS = {
    answers: '#2e7d32',
    clarify: '#f9a825',
    noMatch: '#c62828',
    escalations: '#6a1b9a',
    solved: '#1565c0',
    notSolved: '#ef6c00'
  };

  function dataset(label, values, color) {
    return {
      label: label,
      data: values || [],
      borderColor: color,
      backgroundColor: color,
      borderWidth: 2,
      pointRadius: days.length > 45 ? 0 : 2,
      tension: 0.2
    };
  }

  var common = {
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    interaction: { mode: 'index', intersect: false },
    plugins: { legend: { position: 'bottom' } },
    scales: { y: { beginAtZero: true, ticks: { precision: 0 } } }
  };

  function draw(id, config) {
    var canvas = document.getElementById(id);
    if (canvas) new window.Chart(canvas, config);
  }

  draw('chart-outcomes', {
    type: 'line',
    data: {
      labels: days,
      datasets: [
        dataset('Answered', series.answers, COLORS.answers),
        dataset('Clarified', series.clarify, COLORS.clarify),
        dataset('No match', series.noMatch, COLORS.noMatch),
        dataset('Escalated', series.escalations, COLORS.escalations)
      ]
    },
    options: common
  });

  draw('chart-feedback', {
    type: 'bar',
    data: {
      labels: days,
      datasets: [dataset('Solved', series.solved, COLORS.solved), dataset('Not solved', series.notSolved, COLORS.notSolved)]
    },
    options: Object.assign({}, common, { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } })
  });
})();
