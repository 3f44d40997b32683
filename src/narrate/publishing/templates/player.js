// narrate player: controls, chapters and a transcript that follows the <audio> of each
// [data-narrate] of the page. Loads nothing from elsewhere. narrate-element.js extends it.
(() => {
  "use strict";
  const SKIP = 15, STEP = 5, RATES = [0.75, 1, 1.25, 1.5, 1.75, 2];

  const el = (tag, attrs, ...kids) => {
    const e = document.createElement(tag);
    for (const k in attrs) { e.setAttribute(k, attrs[k]); }
    e.append(...kids);
    return e;
  };
  const on = (target, names, fn) => names.split(" ").forEach((n) => target.addEventListener(n, fn));
  const two = (n) => (n < 10 ? "0" : "") + n;
  const clock = (s) => {
    s = Math.max(0, Math.floor(s || 0));
    const h = Math.floor(s / 3600), m = Math.floor(s / 60) % 60;
    return (h ? h + ":" + two(m) : m) + ":" + two(s % 60);
  };
  const store = (key, value) => { // get, set or (null) remove; storage may be off (sandbox)
    try {
      if (value === undefined) { return localStorage.getItem(key); }
      if (value === null) { localStorage.removeItem(key); } else { localStorage[key] = value; }
    } catch (e) { return null; }
  };

  // Keeps the cue in sight: in its scrolling box, or else (when playing) in the page, unless the
  // reader scrolled away from the last one. Never scrolls a parent page.
  const follow = (e, before, audio) => {
    let box = e.closest("[data-narrate-transcript]"), b = { top: 0, bottom: innerHeight };
    if (box.scrollHeight > box.clientHeight + 1) { b = box.getBoundingClientRect(); }
    else { box = null; }
    const r = e.getBoundingClientRect(), p = before && before.getBoundingClientRect();
    if ((box || !audio.paused) && (!p || (p.bottom > b.top && p.top < b.bottom)) &&
        (r.top < b.top || r.bottom > b.bottom)) {
      const by = r.top - b.top - (b.bottom - b.top) / 3;
      if (box) { box.scrollTop += by; } else { scrollBy(0, by); }
    }
  };

  // Marks (aria-current, .active) the item of a list of cues or chapters that holds time t.
  const follower = (items, audio) => {
    const at = (e) => e && +e.getAttribute("data-start");
    const end = (e, i) => +e.getAttribute("data-end") || at(items[i + 1]) || 1e6;
    const spans = items.map((e, i) => [at(e), end(e, i)]);
    let current = -1;
    return (t) => {
      const i = spans.findIndex((s) => t >= s[0] && t < s[1]), before = items[current];
      if (i === current) { return; }
      if (before) { before.classList.remove("active"); before.removeAttribute("aria-current"); }
      current = i;
      if (i < 0) { return; }
      items[i].classList.add("active");
      items[i].setAttribute("aria-current", "true");
      if (audio) { follow(items[i], before, audio); }
    };
  };

  const enhance = (root, scope, keys) => {
    const audio = root.querySelector("audio");
    if (!audio || root.npReady) { return; }
    root.npReady = true;
    const d = root.dataset, key = "narrate:" + (d.key || audio.src);
    const all = (sel) => Array.from(scope.querySelectorAll(sel));
    const cues = all("[data-narrate-transcript] [data-start]");
    const chapters = all("[data-narrate-chapters] [data-start]");
    const marks = [follower(cues, audio), follower(chapters, null)];
    let ready = false, saved = -9;

    const button = (label, text, cls) =>
      el("button", { type: "button", "class": cls, "aria-label": label }, text);
    const play = button("Play", "", "np-play"); // its icon is CSS
    const back = button(`Back ${SKIP} seconds`, "\u2212" + SKIP, "np-back");
    const fwd = button(`Forward ${SKIP} seconds`, "+" + SKIP, "np-fwd");
    const rate = el("select", { "class": "np-rate", "aria-label": "Playback speed" },
      ...RATES.map((r) => el("option", { value: r }, r + "\u00d7")));
    const seek = el("input", { type: "range", step: "any", value: 0, "aria-label": "Seek" });
    const time = el("span", { "class": "np-time" });
    audio.after(el("div", { "class": "np-bar", role: "group", "aria-label": "Player" },
      play, back, fwd, rate, el("div", { "class": "np-track" }, seek, time)));
    audio.controls = false;

    const toggle = () => (audio.paused ? audio.play().catch(() => {}) : audio.pause());
    const jump = (t) => {
      audio.currentTime = Math.max(0, Math.min(t, audio.duration || t));
      update();
    };
    const update = () => {
      const t = audio.currentTime, total = audio.duration || 0;
      seek.max = total;
      seek.value = t;
      seek.setAttribute("aria-valuetext", `${clock(t)} of ${clock(total)}`);
      time.textContent = `${clock(t)} / ${clock(total)}`;
      marks.forEach((mark) => mark(t));
      if (ready && Math.abs(t - saved) >= 1) { saved = t; store(key, t.toFixed(1)); }
    };
    const resume = () => { // where this listener left off, unless it was (nearly) the end
      if (ready) { return; }
      ready = true;
      const t = parseFloat(store(key));
      if (t > 0 && t < audio.duration - 1) { audio.currentTime = saved = t; }
      update();
    };
    const showState = () => {
      play.setAttribute("aria-label", audio.paused ? "Play" : "Pause");
      play.classList.toggle("np-on", !audio.paused);
    };
    const session = () => { // the lock screen and media keys
      const ms = navigator.mediaSession;
      if (!ms || !window.MediaMetadata) { return; }
      ms.metadata = new MediaMetadata({
        title: d.title || document.title, artist: d.artist || "", album: d.album || "",
        artwork: d.artwork ? [{ src: new URL(d.artwork, location.href).href }] : []
      });
      const actions = {
        play: () => audio.paused && toggle(), pause: () => audio.pause(),
        seekto: (e) => jump(e.seekTime),
        seekbackward: (e) => jump(audio.currentTime - (e.seekOffset || SKIP)),
        seekforward: (e) => jump(audio.currentTime + (e.seekOffset || SKIP))
      };
      for (const a in actions) {
        try { ms.setActionHandler(a, actions[a]); } catch (e) { /* not supported here */ }
      }
    };

    on(play, "click", toggle);
    on(back, "click", () => jump(audio.currentTime - SKIP));
    on(fwd, "click", () => jump(audio.currentTime + SKIP));
    on(seek, "input", () => jump(+seek.value));
    on(rate, "change", () => {
      audio.playbackRate = audio.defaultPlaybackRate = +rate.value;
      store("narrate:rate", rate.value);
    });
    on(audio, "ratechange", () => { rate.value = audio.playbackRate; });
    on(audio, "timeupdate seeked durationchange", update);
    on(audio, "loadedmetadata", resume);
    on(audio, "play pause", showState);
    on(audio, "play", session);
    on(audio, "pause", () => store(key, audio.currentTime.toFixed(1)));
    on(audio, "ended", () => store(key, null));
    cues.concat(chapters).forEach((e) => on(e, "click", () => {
      jump(+e.getAttribute("data-start"));
      if (audio.paused) { toggle(); }
    }));
    on(keys, "keydown", (ev) => {
      const tag = ev.target.tagName || "", left = ev.key === "ArrowLeft";
      if (ev.altKey || ev.ctrlKey || ev.metaKey || /^(INPUT|SELECT|TEXTAREA)$/.test(tag)) {
        return;
      }
      if (ev.key === " ") {
        if (/^(BUTTON|A|SUMMARY)$/.test(tag)) { return; } // space presses those
        toggle();
      } else if (left || ev.key === "ArrowRight") {
        jump(audio.currentTime + (left ? -STEP : STEP));
      } else { return; }
      ev.preventDefault();
    });

    const r = parseFloat(store("narrate:rate"));
    if (RATES.indexOf(r) >= 0) { audio.playbackRate = audio.defaultPlaybackRate = r; }
    rate.value = audio.playbackRate;
    showState();
    if (audio.readyState >= 1) { resume(); } else { update(); }
  };

  document.querySelectorAll("[data-narrate]").forEach((root) => enhance(root, document, document));
})();
