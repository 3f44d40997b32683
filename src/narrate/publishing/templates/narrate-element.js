// <narrate-player> for other sites' pages. Not a script by itself: player.static_files() puts it
// inside player.js's function (it uses el, on, clock and enhance), after `const css = "...";`,
// to make narrate-player.js. Chapters and transcript come from the episode's JSON files
// (Podcasting 2.0 formats, fetched with CORS), a folding list each.
const item = (it, text) => el("li", {}, el("button",
  { type: "button", "class": "cue", "data-start": it.startTime, "data-end": it.endTime || "" },
  el("time", {}, clock(it.startTime)), el("span", {}, it[text])));
const list = (label, attr, items, text) => el("details", {}, el("summary", {}, label),
  el("ol", { "class": "np-list", [attr]: "" }, ...items.map((it) => item(it, text))));
const json = (url) => url && fetch(url).then((r) => r.ok && r.json()).catch(() => null);
const start = (host) => {
  const got = ["chapters", "transcript"].map((a) => json(host.getAttribute(a)));
  Promise.all(got).then(([ch, tr]) => {
    ch = (ch && ch.chapters) || [];
    tr = (tr && tr.segments) || [];
    if (ch.length > 1) { host.append(list("Chapters", "data-narrate-chapters", ch, "title")); }
    if (tr.length) { host.append(list("Transcript", "data-narrate-transcript", tr, "body")); }
    enhance(host, host, host);
  });
};
if (window.customElements && !customElements.get("narrate-player")) {
  document.head.append(el("style", {}, css));
  customElements.define("narrate-player", class extends HTMLElement {
    connectedCallback() {
      if (this.npStarted) { return; }
      this.npStarted = true;
      this.classList.add("np");
      if (document.readyState === "loading") { // its children are not parsed yet
        on(document, "DOMContentLoaded", () => start(this));
      } else { start(this); }
    }
  });
}
