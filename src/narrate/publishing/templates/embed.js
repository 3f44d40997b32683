// The embed's extras: its height for the page that embeds it (the snippet's script sets the
// iframe's height from it), and the share link made a copy-link button.
(() => {
  "use strict";
  let last = 0;
  const tell = () => {
    const height = Math.ceil(document.body.getBoundingClientRect().height);
    if (height !== last && window.parent !== window) {
      last = height;
      window.parent.postMessage({ narrate: "height", height }, "*");
    }
  };
  if (window.ResizeObserver) { new ResizeObserver(tell).observe(document.body); }
  document.querySelectorAll("details").forEach((d) => d.addEventListener("toggle", tell));
  addEventListener("load", tell);
  tell();

  document.querySelectorAll("[data-share]").forEach((link) => {
    const url = link.getAttribute("data-share");
    const sheet = navigator.share && window.matchMedia && matchMedia("(pointer: coarse)").matches;
    const copy = !sheet && navigator.clipboard && window.isSecureContext;
    if (!sheet && !copy) { return; } // the link opens the episode's page, to copy it there
    const label = link.textContent = sheet ? "Share" : "Copy link";
    const said = (text) => {
      link.textContent = text;
      setTimeout(() => { link.textContent = label; }, 2000);
    };
    link.setAttribute("role", "button");
    link.addEventListener("click", (ev) => {
      if (sheet) {
        ev.preventDefault();
        navigator.share({ title: document.title, url }).catch(() => {});
      } else {
        ev.preventDefault();
        navigator.clipboard.writeText(url).then(() => said("Link copied"),
          () => window.open(url, "_blank", "noopener"));
      }
    });
  });
})();
