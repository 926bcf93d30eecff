// The focal point, set by clicking the preview on the image's change form (images/admin.py).
// Progressive: without this script the two number fields are filled in by hand.
(function () {
  "use strict";
  function ready() {
    var box = document.querySelector(".focal-point");
    var x = document.getElementById("id_focal_x");
    var y = document.getElementById("id_focal_y");
    if (!box || !x || !y) return;
    var image = box.querySelector(".focal-point-image");
    var marker = box.querySelector(".focal-point-marker");
    function show() {
      // Style properties set from script are allowed by the CSP; style attributes are not.
      marker.style.left = (parseFloat(x.value) * 100) + "%";
      marker.style.top = (parseFloat(y.value) * 100) + "%";
      marker.hidden = isNaN(parseFloat(x.value)) || isNaN(parseFloat(y.value));
    }
    image.addEventListener("click", function (event) {
      var rect = image.getBoundingClientRect();
      var fx = Math.min(1, Math.max(0, (event.clientX - rect.left) / rect.width));
      var fy = Math.min(1, Math.max(0, (event.clientY - rect.top) / rect.height));
      x.value = fx.toFixed(3);
      y.value = fy.toFixed(3);
      show();
    });
    x.addEventListener("input", show);
    y.addEventListener("input", show);
    show();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
