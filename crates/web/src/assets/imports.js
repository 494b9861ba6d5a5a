// jianping — the import job page follows its job without reloading: polls the job's JSON
// and reloads once the job has finished its step. Without JavaScript a <noscript> meta
// refresh does the same.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const box = document.querySelector("[data-job-poll]");
  if (!box) return;
  const url = box.getAttribute("data-job-poll");
  const bar = box.querySelector("progress");
  const text = box.querySelector("[data-job-text]");
  const tick = async () => {
    try {
      const r = await fetch(url, { credentials: "same-origin", cache: "no-store" });
      if (!r.ok) return;
      const j = await r.json();
      if (!j.running) { window.location.reload(); return; }
      if (bar) bar.value = j.percent;
      if (text) text.textContent = j.percent + "%";
    } catch (e) { /* the next tick tries again */ }
    setTimeout(tick, 1000);
  };
  setTimeout(tick, 1000);
});
