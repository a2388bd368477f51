// Draws every chart on the page from the JSON that Django's json_script filter put there.
// The pages carry no inline script, so a Content Security Policy can forbid inline scripts.
(function () {
  "use strict";

  var CONFIG = {
    responsive: true,
    displaylogo: false,
    modeBarButtonsToRemove: ["select2d", "lasso2d"],
  };

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
    var figure = JSON.parse(document.getElementById(plot.dataset.figure).textContent);
    var config = Object.assign({}, CONFIG, { toImageButtonOptions: imageOptions(plot) });
    plot.textContent = "";
    Plotly.newPlot(plot, figure.data, figure.layout, config).then(function () {
      plot.closest("figure").classList.add("drawn");
      offerPng(plot);
    });
  }

  function drawAll() {
    // Without plotly.js the captions and tables still give every figure.
    if (typeof Plotly === "undefined") {
      return;
    }
    document.querySelectorAll(".plot[data-figure]").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
