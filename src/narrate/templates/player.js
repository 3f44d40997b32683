// narrate player: seek on cue click, highlight the cue being heard. No external resources.
(function () {
  "use strict";
  var audio = document.querySelector("audio[data-narrate-player]");
  if (!audio) { return; }
  var list = document.querySelector("[data-narrate-transcript]");
  var cues = list ? Array.prototype.slice.call(list.querySelectorAll("[data-start]")) : [];
  var times = cues.map(function (el) {
    return [parseFloat(el.getAttribute("data-start")), parseFloat(el.getAttribute("data-end"))];
  });
  var current = -1;

  function cueAt(t) {
    for (var i = 0; i < times.length; i++) {
      if (t >= times[i][0] && t < times[i][1]) { return i; }
    }
    return -1;
  }

  function keepVisible(el) {
    var top = el.offsetTop - list.offsetTop;
    if (top < list.scrollTop || top + el.offsetHeight > list.scrollTop + list.clientHeight) {
      list.scrollTop = Math.max(0, top - list.clientHeight / 3);
    }
  }

  function highlight(index) {
    if (index === current) { return; }
    if (current >= 0) {
      cues[current].classList.remove("active");
      cues[current].removeAttribute("aria-current");
    }
    current = index;
    if (index >= 0) {
      cues[index].classList.add("active");
      cues[index].setAttribute("aria-current", "true");
      keepVisible(cues[index]);
    }
  }

  audio.addEventListener("timeupdate", function () { highlight(cueAt(audio.currentTime)); });
  audio.addEventListener("seeked", function () { highlight(cueAt(audio.currentTime)); });
  cues.forEach(function (el, index) {
    el.addEventListener("click", function () {
      audio.currentTime = times[index][0];
      highlight(index);
    });
  });
})();
