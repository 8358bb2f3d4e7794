// Copy-link buttons of the share links: shown only where this script runs and the browser
// offers the clipboard; the plain share links work without it. Sends nothing anywhere.
(function () {
  "use strict";
  if (!navigator.clipboard || !window.isSecureContext) return;
  document.querySelectorAll(".share__copy[data-copy]").forEach(function (button) {
    var status = button.closest(".share").querySelector(".share__status");
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(button.dataset.copy).then(
        function () {
          button.textContent = "Link copied";
          if (status) status.textContent = "The link to this page is copied.";
        },
        function () {
          if (status) status.textContent = "The link could not be copied; copy it from the address bar.";
        }
      );
    });
  });
})();
