// Draws every chart on the page from the JSON that Django's json_script filter put there, as it
// comes near the screen. plotly.js (the script tag's data-plotly) is fetched only then, so a
// page whose charts are all below the fold loads none of it until the reader scrolls. Each
// chart's box already has its drawn height (templates/leaguetable/_chart.html): nothing moves.
// The pages carry no inline script, so a Content Security Policy can forbid inline scripts.
(function () {
  "use strict";

  var script = document.currentScript;
  // Where nothing hovers (a phone, a tablet) plotly's mode bar never hides: it is shown always,
  // in a band of its own above the chart (static/css/wcc.css), never over a title or a point.
  var BANDED = window.matchMedia("(hover: none), (max-width: 40rem)").matches;
  var CONFIG = {
    responsive: true,
    displaylogo: false,
    displayModeBar: BANDED ? true : "hover",
    modeBarButtonsToRemove: ["select2d", "lasso2d"],
  };
  var plotly = null;

  function loadPlotly() {
    if (plotly === null) {
      plotly = new Promise(function (resolve, reject) {
        if (typeof Plotly !== "undefined") {
          resolve();
          return;
        }
        var tag = document.createElement("script");
        tag.src = script.dataset.plotly;
        tag.onload = resolve;
        tag.onerror = reject;
        document.head.appendChild(tag);
      });
    }
    return plotly;
  }

  function imageOptions(plot) {
    // Twice the screen's pixels, so a chart pasted into a report stays sharp.
    return { format: "png", filename: plot.dataset.filename, scale: 2 };
  }

  function offerPng(plot) {
    // Plotly's own download button is in the mode bar, which a keyboard cannot reach.
    var button = document.querySelector('[data-png-for="' + plot.id + '"]');
    if (!button) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      Plotly.downloadImage(plot, imageOptions(plot));
    });
  }

  function draw(plot) {
    if (plot.dataset.drawing) {
      return;
    }
    plot.dataset.drawing = "yes";
    var figure = JSON.parse(document.getElementById(plot.dataset.figure).textContent);
    var config = Object.assign({}, CONFIG, { toImageButtonOptions: imageOptions(plot) });
    plot.textContent = "";
    Plotly.newPlot(plot, figure.data, figure.layout, config).then(function () {
      plot.closest("figure").classList.add("drawn");
      offerPng(plot);
    });
  }

  // Charts are drawn one per task, in the order they come near the screen: between two
  // charts the browser answers the reader's taps and scrolls rather than drawing them all in
  // one long task (about 0.2 s a chart on a mid-range phone).
  var queue = Promise.resolve();

  function drawSoon(plot) {
    queue = queue.then(loadPlotly).then(function () {
      return new Promise(function (resolve) {
        setTimeout(function () {
          draw(plot);
          resolve();
        }, 0);
      });
    });
  }

  function drawWhenNear(plots) {
    var observer = new IntersectionObserver(
      function (entries) {
        entries.forEach(function (entry) {
          if (entry.isIntersecting) {
            observer.unobserve(entry.target);
            drawSoon(entry.target);
          }
        });
      },
      // Half a screen ahead, so a chart is usually drawn before it scrolls into view.
      { rootMargin: "50% 0px" },
    );
    plots.forEach(function (plot) {
      observer.observe(plot);
    });
  }

  function start() {
    var plots = document.querySelectorAll(".plot[data-figure]");
    if (!plots.length) {
      return;
    }
    // Paper shows every chart: those not drawn yet are drawn before printing, when plotly
    // is there (the captions and tables give every figure otherwise).
    window.addEventListener("beforeprint", function () {
      if (typeof Plotly !== "undefined") {
        plots.forEach(draw);
      }
    });
    if ("IntersectionObserver" in window) {
      drawWhenNear(plots);
    } else {
      loadPlotly().then(function () {
        plots.forEach(draw);
      });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
